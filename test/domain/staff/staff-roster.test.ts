import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffRoster } from "../../../domain/staff/staff-roster.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";

describe("the staff roster (/siapa)", { timeout: 120_000 }, () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await migratedDatabase();
  }, 180_000); // an embedded database on a loaded machine can take a while to migrate
  afterAll(() => db?.close());

  it("keeps the start of the current role, restarts it on promotion, forgets who can no longer act", async () => {
    const roster = createStaffRoster(db.prisma);
    const day = (n: number) => new Date(Date.UTC(2026, 10, n));
    await roster.record(11, "OFFICER", day(1), "Sari");
    await roster.record(11, "OFFICER", day(5)); // seen again: still since day 1, name kept
    await roster.record(12, "OFFICER", day(2), "Tono");
    await roster.record(12, "ADMIN", day(3), "Tono");
    await roster.record(13, "OFFICER", day(2), "Leaver");
    await roster.record(13, null, day(4));
    expect(await roster.list()).toMatchObject([
      { userId: 12n, name: "Tono", role: "ADMIN", since: day(3) },
      { userId: 11n, name: "Sari", role: "OFFICER", since: day(1) },
    ]);
  });
});
