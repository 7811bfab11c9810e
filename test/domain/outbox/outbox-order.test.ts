import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createOutboxWorker,
  type OutboxHandler,
  PermanentOutboxError,
  RetryLaterError,
} from "../../../domain/outbox/outbox-worker.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";

const KIND = "test.notice";

/** Messages named like `a1`: the letter is the ticket (the order key), the digit the place in its queue. */
function nameOf(payload: unknown): string {
  return (payload as { name: string }).name;
}

describe("outbox messages with an order key", () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await migratedDatabase();
  });
  afterAll(() => db?.close());
  afterEach(() => db.rawQuery("DELETE FROM outbox"));

  async function enqueue(...names: string[]) {
    for (const name of names)
      await db.prisma.outboxMessage.create({
        data: { kind: KIND, dedupeKey: `order:${name}`, payload: { reportId: name.slice(0, 1), name } },
      });
  }

  function worker(handler: OutboxHandler) {
    return createOutboxWorker({
      db: db.prisma,
      logger: pino({ level: "silent" }),
      handlers: { [KIND]: handler },
      batchSize: 20,
      orderKeyField: "reportId",
    });
  }

  async function rows() {
    return db.rawQuery<{ name: string; status: string; attempts: number; locked: boolean }>(
      `SELECT payload->>'name' AS name, status, attempts, locked_until IS NOT NULL AS locked
       FROM outbox ORDER BY id`,
    );
  }

  it("deliver one ticket's messages while another ticket's wait for its chat", async () => {
    await enqueue("a1", "a2", "b1");
    const delivered: string[] = [];
    let chatAFree!: () => void;
    const chatAPaced = new Promise<void>((resolve) => {
      chatAFree = resolve;
    });
    let b1Delivered!: () => void;
    const b1Done = new Promise<void>((resolve) => {
      b1Delivered = resolve;
    });
    const round = worker(async ({ payload }) => {
      const name = nameOf(payload);
      if (name === "a1") await chatAPaced;
      delivered.push(name);
      if (name === "b1") b1Delivered();
    }).runOnce();

    await b1Done;
    expect(delivered, "b1 waited for ticket a's chat").toEqual(["b1"]);
    chatAFree();
    expect(await round).toBe(3);
    expect(delivered).toEqual(["b1", "a1", "a2"]);
  });

  it("deliver one ticket's messages in the order written, also after one fails once", async () => {
    await enqueue("a1", "a2", "a3", "b1");
    const delivered: string[] = [];
    let a2Failed = false;
    const outbox = worker(async ({ payload }) => {
      const name = nameOf(payload);
      if (name === "a2" && !a2Failed) {
        a2Failed = true;
        throw new RetryLaterError(60_000, "429: retry after 60");
      }
      delivered.push(name);
    });

    await outbox.runOnce();
    expect(delivered).toEqual(["a1", "b1"]);
    expect(await rows(), "a3 is handed back untried").toEqual([
      { name: "a1", status: "DONE", attempts: 1, locked: false },
      { name: "a2", status: "PENDING", attempts: 1, locked: false },
      { name: "a3", status: "PENDING", attempts: 0, locked: false },
      { name: "b1", status: "DONE", attempts: 1, locked: false },
    ]);

    await enqueue("a4");
    expect(await outbox.runOnce(), "a3 and a4 overtook a2 while it waits for its retry").toBe(0);

    await db.rawQuery("UPDATE outbox SET available_at = now() WHERE payload->>'name' = 'a2'");
    expect(await outbox.runOnce()).toBe(3);
    expect(delivered).toEqual(["a1", "b1", "a2", "a3", "a4"]);
    expect((await rows()).map((row) => row.attempts)).toEqual([1, 2, 1, 1, 1]);
  });

  it("hold back a ticket's later messages while another instance holds an earlier one", async () => {
    await enqueue("a1", "a2", "b1");
    await db.rawQuery(
      "UPDATE outbox SET locked_until = now() + interval '1 minute', attempts = 1 WHERE payload->>'name' = 'a1'",
    );
    const delivered: string[] = [];
    expect(await worker(async ({ payload }) => void delivered.push(nameOf(payload))).runOnce()).toBe(1);
    expect(delivered).toEqual(["b1"]);
  });

  it("go on after a message that failed for good", async () => {
    await enqueue("a1", "a2");
    const delivered: string[] = [];
    await worker(async ({ payload }) => {
      if (nameOf(payload) === "a1") throw new PermanentOutboxError("chat not found");
      delivered.push(nameOf(payload));
    }).runOnce();
    expect(delivered).toEqual(["a2"]);
    expect((await rows()).map((row) => row.status)).toEqual(["FAILED", "DONE"]);
  });
});
