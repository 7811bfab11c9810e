import { describe, expect, it } from "vitest";
import { openDatabase, preparedStatementNames } from "../../bot/db.ts";
import { createLogger } from "../../bot/logger.ts";
import { createTestDatabase, tempDataDir } from "../support/databases.ts";

describe("prepared statement names (bot/db.ts)", () => {
  it("gives one SQL text one name, another text another, and no name past the ceiling", () => {
    const nameOf = preparedStatementNames(2);
    const first = nameOf({ sql: "SELECT 1" });
    expect(first).toMatch(/^awasi_[0-9a-f]{32}$/);
    expect(nameOf({ sql: "SELECT 1" })).toBe(first);
    const second = nameOf({ sql: "SELECT 2" });
    expect(second).not.toBe(first);
    expect(nameOf({ sql: "SELECT 3" })).toBe(""); // unnamed: pg runs it unprepared
    expect(nameOf({ sql: "SELECT 2" })).toBe(second);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "prepares Prisma's statements once per connection on PostgreSQL",
    async () => {
      const database = await createTestDatabase();
      const dataDir = await tempDataDir();
      const db = await openDatabase(
        { databaseUrl: database.url, dataDir: dataDir.path },
        createLogger("silent"),
      );
      try {
        for (let i = 0; i < 12; i++) {
          const rows = await db.prisma.$queryRaw<Array<{ n: number }>>`SELECT ${i}::int + 1 AS n`;
          expect(rows).toEqual([{ n: i + 1 }]);
          expect(await db.prisma.outboxMessage.count({ where: { kind: `k${i}` } })).toBe(0);
        }
        const [prepared] = await db.prisma.$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'awasi\_%'`;
        expect(prepared!.n).toBeGreaterThanOrEqual(2);
      } finally {
        await db.close();
        await dataDir.remove();
        await database.drop();
      }
    },
  );
});
