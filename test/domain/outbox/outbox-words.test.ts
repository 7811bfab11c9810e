import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutboxWorker, PermanentOutboxError } from "../../../domain/outbox/outbox-worker.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";

describe("people's words in outbox payloads", () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await migratedDatabase();
  });
  afterAll(() => db?.close());

  it("are cleared when a message is delivered and when it fails for good, and kept while it waits", async () => {
    await db.prisma.outboxMessage.createMany({
      data: [
        { kind: "test.deliver", dedupeKey: "w:ok", payload: { reportId: "r1", text: "Rumah saya di RT 03" } },
        {
          kind: "test.fail",
          dedupeKey: "w:fail",
          payload: { reportId: "r2", caption: "Foto tetangga saya" },
        },
        { kind: "test.retry", dedupeKey: "w:retry", payload: { reportId: "r3", text: "Coba lagi nanti" } },
      ],
    });
    const seen: unknown[] = [];
    const worker = createOutboxWorker({
      db: db.prisma,
      logger: pino({ level: "silent" }),
      handlers: {
        "test.deliver": async (message) => void seen.push(message.payload),
        "test.fail": async () => {
          throw new PermanentOutboxError("chat not found");
        },
        "test.retry": async () => {
          throw new Error("network down");
        },
      },
    });
    expect(await worker.runOnce()).toBe(3);
    expect(seen).toEqual([{ reportId: "r1", text: "Rumah saya di RT 03" }]); // the handler still gets the text
    const rows = await db.rawQuery<{ dedupe_key: string; status: string; payload: unknown }>(
      "SELECT dedupe_key, status, payload FROM outbox ORDER BY dedupe_key",
    );
    expect(rows).toEqual([
      { dedupe_key: "w:fail", status: "FAILED", payload: { reportId: "r2" } },
      { dedupe_key: "w:ok", status: "DONE", payload: { reportId: "r1" } },
      { dedupe_key: "w:retry", status: "PENDING", payload: { reportId: "r3", text: "Coba lagi nanti" } },
    ]);
  });
});
