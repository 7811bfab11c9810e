import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVERYONE } from "../../../domain/broadcast/audience.ts";
import { createBroadcastStore } from "../../../domain/broadcast/broadcast-store.ts";
import { createDeliveryQueue } from "../../../domain/broadcast/delivery-queue.ts";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";

const cipher = createDataCipher(Buffer.alloc(32, 3).toString("base64"));
const admin = { id: 1, name: "Admin" };

/** The delivery queue against a real database (TEST_DATABASE_URL, or an in-memory embedded one). */
describe("delivery queue", () => {
  let database: MigratedDatabase;
  beforeAll(async () => {
    database = await migratedDatabase();
    const rows = Array.from({ length: 25 }, (_, i) => ({
      chatIdHash: cipher.hash("subscriptionChat", String(1_000 + i)),
      chatIdEnc: cipher.encrypt(String(1_000 + i)),
      locale: i % 10 === 0 ? "en" : "id",
      active: i % 8 !== 7,
    }));
    await database.prisma.subscription.createMany({ data: rows });
  });
  afterAll(() => database?.close());

  async function sendingBroadcast(): Promise<string> {
    const store = createBroadcastStore(database.prisma);
    const draft = await store.createDraft({
      content: { kind: "text", text: "Uji" },
      audience: EVERYONE,
      linkedReportCodes: [],
      createdBy: admin,
    });
    const started = await store.start(draft.id, admin, { requireApproval: false, channelId: undefined });
    expect(started.ok).toBe(true);
    return draft.id;
  }

  it("lists the audience in batches, counting each recipient once, until it is complete", async () => {
    const queue = createDeliveryQueue(database.prisma);
    const id = await sendingBroadcast();
    expect(await queue.materialize(id, EVERYONE, 10)).toEqual({ inserted: 10, complete: false });
    expect(await queue.materialize(id, EVERYONE, 10)).toEqual({ inserted: 10, complete: false });
    expect(await queue.materialize(id, EVERYONE, 10)).toEqual({ inserted: 2, complete: true });
    // Listing again (a second instance, a retry) adds nobody and leaves the count alone.
    expect((await queue.materialize(id, EVERYONE, 10)).inserted).toBe(0);
    const broadcast = await database.prisma.broadcast.findUniqueOrThrow({ where: { id } });
    expect(broadcast.total).toBe(22);
    expect(broadcast.audienceReadyAt).not.toBeNull();
    expect(await database.prisma.broadcastDelivery.count({ where: { broadcastId: id } })).toBe(22);
  });

  it("gives concurrent lanes disjoint rows, and a dead lane's rows to another after the lease", async () => {
    const queue = createDeliveryQueue(database.prisma);
    const id = await sendingBroadcast();
    await queue.materialize(id, EVERYONE, 100);
    const [a, b] = await Promise.all([queue.claim(id, "a", 8, 60_000), queue.claim(id, "b", 8, 60_000)]);
    const ids = [...a!, ...b!].map((row) => row.id);
    expect(new Set(ids).size).toBe(16);
    const c = await queue.claim(id, "c", 100, 300);
    expect(c).toHaveLength(6);
    expect(await queue.claim(id, "d", 100, 60_000)).toEqual([]);
    // Lane c dies; after its lease the rows are claimable again, and c can no longer give them back.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const d = await queue.claim(id, "d", 100, 60_000);
    expect(d.map((row) => row.id)).toEqual(c.map((row) => row.id));
    expect(cipher.decrypt(d[0]!.chatIdEnc)).toMatch(/^10\d\d$/);
    await queue.release(
      c.map((row) => row.id),
      "c",
    );
    expect(await queue.claim(id, "e", 100, 60_000)).toEqual([]);
    await queue.release(
      d.map((row) => row.id),
      "d",
    );
    expect(await queue.claim(id, "e", 100, 60_000)).toHaveLength(6);
  });

  it("records each outcome once with its counter, unsubscribes the blocked, and completes once", async () => {
    const queue = createDeliveryQueue(database.prisma);
    const id = await sendingBroadcast();
    await queue.materialize(id, EVERYONE, 100);
    const rows = await queue.claim(id, "a", 100, 60_000);
    expect(rows).toHaveLength(22);
    const [sent, blocked, failed, skipped, retried, ...rest] = rows;
    expect(await queue.finish(sent!.id, { status: "SENT" })).toBe(true);
    expect(await queue.finish(sent!.id, { status: "SENT" })).toBe(false);
    expect(
      await queue.finish(blocked!.id, {
        status: "BLOCKED",
        reason: "403 Forbidden: bot was blocked by the user",
      }),
    ).toBe(true);
    expect(await queue.finish(failed!.id, { status: "FAILED", reason: "400 Bad Request" })).toBe(true);
    expect(await queue.finish(skipped!.id, { status: "SKIPPED", reason: "unsubscribed" })).toBe(true);
    await queue.retryLater(retried!.id, 60_000, "502 Bad Gateway");
    for (const row of rest) await queue.finish(row.id, { status: "SENT" });

    expect(await queue.tryComplete(id)).toBe(false); // one retry is still pending
    // Lanes add their tallies per batch; the counters are exact once the broadcast completes.
    await queue.addCounts(id, { sent: 18, blocked: 1, failed: 1, skipped: 0 });
    const broadcast = await database.prisma.broadcast.findUniqueOrThrow({ where: { id } });
    expect(broadcast).toMatchObject({ sent: 18, blocked: 1, failed: 1, skipped: 0, status: "SENDING" });
    const blockedRow = await database.prisma.broadcastDelivery.findUniqueOrThrow({
      where: { id: blocked!.id },
      include: { subscription: true },
    });
    expect(blockedRow.subscription.active).toBe(false);
    const retry = await database.prisma.broadcastDelivery.findUniqueOrThrow({ where: { id: retried!.id } });
    expect(retry).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastError: "502 Bad Gateway",
      claimedBy: null,
    });

    await queue.finish(retried!.id, { status: "SENT" });
    const [first, second] = await Promise.all([queue.tryComplete(id), queue.tryComplete(id)]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(
      await database.prisma.outboxMessage.count({ where: { dedupeKey: `broadcast.summary:${id}` } }),
    ).toBe(1);
    expect(await database.prisma.broadcast.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "DONE",
      sent: 19,
      blocked: 1,
      failed: 1,
      skipped: 1,
    });
    // A lane's late tally cannot change the exact counters of a finished broadcast.
    await queue.addCounts(id, { sent: 5, blocked: 0, failed: 0, skipped: 0 });
    expect((await database.prisma.broadcast.findUniqueOrThrow({ where: { id } })).sent).toBe(19);
  });
});
