import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reminderDue } from "../../../domain/ticket/deadlines.ts";
import { decide } from "../../../domain/ticket/workflow.ts";
import { queueDueReminders } from "../../../domain/triage/reminders.ts";
import { likePattern, openQueue, searchTickets } from "../../../domain/triage/ticket-queries.ts";
import { createTicketStore, type Ticket, type TicketStore } from "../../../domain/triage/ticket-store.ts";
import { seedTickets } from "../../e2e/triage-support.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { makeUser } from "../../support/updates.ts";

const HOUR = 3_600_000;
const state = (ticket: Ticket) => ({
  status: ticket.status,
  assigneeId: ticket.assigneeId,
  anonymous: ticket.anonymous,
});

describe("the ticket store (PostgreSQL, or the embedded database)", () => {
  let database: MigratedDatabase;
  let store: TicketStore;
  const reporter = makeUser(31_001, { languageCode: "en" });

  beforeAll(async () => {
    database = await migratedDatabase();
    store = createTicketStore(database.prisma);
  }, 60_000);
  afterAll(() => database?.close());

  const seed = async (extra: Partial<Parameters<typeof seedTickets>[1][number]> = {}) => {
    const [code] = await seedTickets(database.prisma, [{ category: "MONEY_POLITICS", reporter, ...extra }]);
    return (await store.byCode(code!))!;
  };

  it("lets exactly one of two concurrent claims win; the loser reads the winner", async () => {
    const ticket = await seed();
    const sari = { id: 1n, role: "officer" as const };
    const tono = { id: 2n, role: "officer" as const };
    const claimBy = async (actor: typeof sari, name: string) => {
      const decision = decide(state(ticket), { type: "claim" }, actor);
      if (!decision.ok) throw new Error(decision.reason);
      return store.apply(ticket, decision, { id: actor.id, name }, { notify: true });
    };
    const [a, b] = await Promise.all([claimBy(sari, "Sari"), claimBy(tono, "Tono")]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const lost = a.ok ? b : a;
    if (lost.ok) throw new Error("both won");
    const winner = a.ok ? "Sari" : "Tono";
    expect(lost.current).toMatchObject({ status: "IN_REVIEW", assigneeName: winner });
    expect(decide(state(lost.current!), { type: "claim" }, a.ok ? tono : sari)).toEqual({
      ok: false,
      reason: "alreadyClaimed",
    });
    const events = await database.prisma.reportEvent.findMany({
      where: { reportId: ticket.id, type: "CLAIMED" },
    });
    expect(events).toEqual([
      expect.objectContaining({ actorName: winner, fromStatus: "NEW", toStatus: "IN_REVIEW" }),
    ]);
    const notices = await database.prisma.outboxMessage.findMany({ where: { kind: "reporter.notice" } });
    expect(notices.filter((n) => (n.payload as { reportId: string }).reportId === ticket.id)).toHaveLength(1);
  });

  it("records a posted card once, with its outbox row, and refuses a second card", async () => {
    const ticket = await seed();
    const row = await database.prisma.outboxMessage.findUniqueOrThrow({
      where: { dedupeKey: `staff.newReport:${ticket.id}` },
    });
    const card = { reportId: ticket.id, outboxId: row.id, chatId: -100123, threadId: undefined };
    expect(await store.recordCardPosted({ ...card, messageId: 41 })).toBe(true);
    expect(await store.recordCardPosted({ ...card, messageId: 42 })).toBe(false);
    expect(await store.byId(ticket.id)).toMatchObject({ staffMessageId: 41n, staffChatId: -100123n });
    expect(await database.prisma.outboxMessage.findUnique({ where: { id: row.id } })).toMatchObject({
      status: "DONE",
    });
    expect(
      await database.prisma.reportEvent.count({ where: { reportId: ticket.id, type: "CARD_POSTED" } }),
    ).toBe(1);
  });

  it("writes an answer once even when Telegram delivers the update twice", async () => {
    const ticket = await seed();
    const row = {
      kind: "staff.answer",
      dedupeKey: `staff.answer:${ticket.id}:77`,
      payload: { reportId: ticket.id },
    };
    expect(await store.recordEvent(ticket.id, { type: "ANSWER_RELAYED" }, null, [row])).not.toBeNull();
    expect(await store.recordEvent(ticket.id, { type: "ANSWER_RELAYED" }, null, [row])).toBeNull();
    expect(
      await database.prisma.reportEvent.count({ where: { reportId: ticket.id, type: "ANSWER_RELAYED" } }),
    ).toBe(1);
  });

  it("lists the queue unclaimed first, oldest first, and searches text, codes and regions", async () => {
    const older = await seed({
      createdAgoMs: 5 * HOUR,
      chronology: "Amplop berisi 50% uang muka dibagikan di TPS 7.",
    });
    const newer = await seed({ createdAgoMs: HOUR });
    const queue = await openQueue(database.prisma, 100);
    const codes = queue.tickets.map((ticket) => ticket.code);
    expect(codes.indexOf(older.code)).toBeLessThan(codes.indexOf(newer.code));
    const firstClaimed = queue.tickets.findIndex((ticket) => ticket.status !== "NEW");
    expect(queue.tickets.slice(firstClaimed).every((ticket) => ticket.status !== "NEW")).toBe(true);
    expect(queue.unclaimed).toBeLessThanOrEqual(queue.open);

    expect(likePattern("50%_a\\b")).toBe("%50\\%\\_a\\\\b%");
    expect((await searchTickets(database.prisma, "50%", [], 10)).map((t) => t.code)).toEqual([older.code]);
    expect((await searchTickets(database.prisma, "0%", [], 10)).map((t) => t.code)).toEqual([older.code]);
    expect(
      (await searchTickets(database.prisma, older.code.toLowerCase(), [], 10)).map((t) => t.code),
    ).toEqual([older.code]);
    expect(await searchTickets(database.prisma, "tidak ada di mana pun", ["99"], 10)).toEqual([]);
    expect((await searchTickets(database.prisma, "zzzz", ["31.74.01"], 100)).length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it("queues one reminder per kind, not again until due again, and once with two schedulers at once", async () => {
    await database.prisma.report.updateMany({ data: { status: "CLOSED" } });
    const unclaimed = await seed({ createdAgoMs: 2 * HOUR });
    const overdue = await seed({ createdAgoMs: 6.5 * 24 * HOUR });
    await seed();
    const now = new Date();
    const options = { unclaimedAfterMs: HOUR, followUpDays: 7, warnBeforeMs: 24 * HOUR };
    const [first, second] = await Promise.all([
      queueDueReminders(database.prisma, now, options),
      queueDueReminders(database.prisma, now, options),
    ]);
    // Each digest is written by exactly one of the two (which one is the database's choice).
    expect({
      unclaimed: first.unclaimed + second.unclaimed,
      deadlineNear: first.deadlineNear + second.deadlineNear,
    }).toEqual({ unclaimed: 1, deadlineNear: 1 });
    const rows = await database.prisma.outboxMessage.findMany({ where: { kind: "staff.reminder" } });
    expect(rows.map((row) => row.payload)).toEqual(
      expect.arrayContaining([
        { kind: "unclaimed", reportIds: [unclaimed.id] },
        { kind: "deadlineNear", reportIds: [overdue.id] },
      ]),
    );
    expect(rows).toHaveLength(2);
    expect(await database.prisma.reportEvent.count({ where: { type: "REMINDER_SENT" } })).toBe(2);

    expect(await queueDueReminders(database.prisma, new Date(now.getTime() + 30 * 60_000), options)).toEqual({
      unclaimed: 0,
      deadlineNear: 0,
      urgentNear: 0,
    });
    // An hour later all three NEW tickets are unclaimed for an hour since created or last reminded.
    expect(await queueDueReminders(database.prisma, new Date(now.getTime() + HOUR), options)).toEqual({
      unclaimed: 3,
      deadlineNear: 0,
      urgentNear: 0,
    });
    // The rules are the workflow's: the reminder module only adds the last reminder from the audit trail.
    expect(reminderDue([], now, options)).toEqual({ unclaimed: [], deadlineNear: [], urgentNear: [] });
  });
});
