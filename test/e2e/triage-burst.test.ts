import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Category } from "../../domain/report/categories.ts";
import { type BotProcess, startBotProcess, webhookEnv } from "../support/bot-process.ts";
import { eventually } from "../support/eventually.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import { cardsOf, type SeedTicket, STAFF_CHAT_ID, seedTickets, seedWhileStopped } from "./triage-support.ts";

const BUDGET = { limit: 20, windowMs: 2_000 };
const TICKETS = 100;
const CATEGORIES: Category[] = ["MONEY_POLITICS", "HOAX", "ASN_NEUTRALITY", "OTHER"];

/** The most calls that arrived within any window of `windowMs` (a window starts at each call). */
function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let start = 0, end = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    max = Math.max(max, end - start);
  }
  return max;
}

function seedFor(count: number, firstUserId: number): SeedTicket[] {
  return Array.from({ length: count }, (_, i) => ({
    category: CATEGORIES[i % CATEGORIES.length]!,
    reporter: makeUser(firstUserId + (i % 25), { languageCode: i % 2 ? "en" : "id" }),
    chronology: `Laporan nomor ${i + 1}: tim sukses membagikan amplop <${i}> & sembako di TPS ${i + 1}.`,
  }));
}

const isCard = (params: Record<string, unknown>, call: ApiCall) =>
  params.chat_id === STAFF_CHAT_ID && call.response?.ok === true && String(params.text).startsWith("🎫");

describe("a peak day: 100 new tickets at once", () => {
  let t: TestBot;
  let codes: string[];
  let staffCalls: ApiCall[];
  let throttledAt: number | undefined;
  let elapsedMs: number;

  beforeAll(async () => {
    t = await TestBot.start({
      STAFF_RATE: `${BUDGET.limit}/${BUDGET.windowMs / 1000}`,
      QUEUE_SUMMARY_THRESHOLD: "10",
    });
    // Telegram throttles the 31st message to the group once with "retry after 1".
    let sends = 0;
    t.api.onCall("sendMessage", (params, call) => {
      if (params.chat_id !== STAFF_CHAT_ID || ++sends !== 31) return undefined;
      throttledAt = call.at;
      return {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 1",
        parameters: { retry_after: 1 },
      };
    });
    const mark = t.api.mark();
    codes = await seedWhileStopped(t, seedFor(TICKETS, 20_000));
    const started = performance.now();
    await t.api.waitForCalls("sendMessage", TICKETS, isCard, { after: mark, timeoutMs: 90_000 });
    elapsedMs = performance.now() - started;
    staffCalls = t.api.messagesTo(STAFF_CHAT_ID, { after: mark });
  }, 180_000);
  afterAll(() => t?.stop());

  it("posts every card exactly once", () => {
    for (const code of codes) expect(cardsOf(t.api, code), code).toHaveLength(1);
  });

  it("never sends the group more than the budget in any window, 429 included", () => {
    const observed = maxInAnyWindow(
      staffCalls.map((call) => call.at),
      BUDGET.windowMs,
    );
    console.info(
      `burst of ${TICKETS}: ${staffCalls.length} calls to the group, at most ${observed} in any ${BUDGET.windowMs} ms ` +
        `(budget ${BUDGET.limit}), all cards in ${Math.round(elapsedMs)} ms after start`,
    );
    expect(observed).toBeLessThanOrEqual(BUDGET.limit);
  });

  it("honours retry_after: nothing reaches the group for a second after the 429, then delivery resumes", () => {
    expect(throttledAt).toBeDefined();
    const next = staffCalls.find((call) => call.at > throttledAt!);
    expect(next).toBeDefined();
    expect(next!.at - throttledAt!).toBeGreaterThanOrEqual(1_000);
  });

  it("posts one summary of the queue before the cards", () => {
    const summaries = staffCalls.filter((call) =>
      String(call.params.text).includes("laporan baru sedang menunggu"),
    );
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.messages[0]!.text).toContain(`${TICKETS} laporan baru sedang menunggu.`);
    expect(staffCalls[0]).toBe(summaries[0]);
  });

  it("records every card with its outbox row: nothing lost, nothing twice", async () => {
    const stored = await t.query(
      async (db) => ({
        posted: await db.report.count({ where: { staffMessageId: { not: null } } }),
        events: await db.reportEvent.count({ where: { type: "CARD_POSTED" } }),
        pending: await db.outboxMessage.count({
          where: { kind: "staff.newReport", status: { not: "DONE" } },
        }),
      }),
      { restart: false }, // the last test of this bot: no need to start the embedded bot again
    );
    expect(stored).toEqual({ posted: TICKETS, events: TICKETS, pending: 0 });
  });
});

/**
 * Two instances sharing PostgreSQL and Redis (webhook mode) post the cards together: the group's budget is one
 * budget, kept in Redis, so together they stay within it. Needs real servers.
 */
describe.runIf(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL)(
  "two instances posting cards together",
  () => {
    const TOGETHER = 60;
    let t: TestBot;
    let second: BotProcess | undefined;

    beforeAll(async () => {
      const [first, other] = [await webhookEnv(), await webhookEnv()];
      const env = {
        STAFF_RATE: `${BUDGET.limit}/${BUDGET.windowMs / 1000}`,
        QUEUE_SUMMARY_THRESHOLD: "1000",
      };
      t = await TestBot.start({ ...env, ...first });
      second = await startBotProcess({ api: t.api, env: { ...t.botEnv, ...other } });
    });
    afterAll(async () => {
      await second?.stop().catch(() => undefined);
      await t?.stop();
    });

    it("never sends the group more than the budget in any window, together, and posts each card once", async () => {
      const mark = t.api.mark();
      const codes = await t.query((db) => seedTickets(db, seedFor(TOGETHER, 21_000)));
      await t.api.waitForCalls("sendMessage", TOGETHER, isCard, { after: mark, timeoutMs: 90_000 });

      for (const code of codes) expect(cardsOf(t.api, code), code).toHaveLength(1);
      const calls = t.api.messagesTo(STAFF_CHAT_ID, { after: mark });
      expect(
        maxInAnyWindow(
          calls.map((call) => call.at),
          BUDGET.windowMs,
        ),
      ).toBeLessThanOrEqual(BUDGET.limit);
      const posted = (logs: Array<{ msg?: unknown }>) =>
        logs.filter((line) => line.msg === "card posted").length;
      // Both took part (their logs arrive a moment after the cards).
      await eventually(
        "both logged every card they posted",
        () => posted(t.bot.logs) + posted(second!.logs) === TOGETHER,
        10_000,
      );
      expect(posted(t.bot.logs)).toBeGreaterThan(0);
      expect(posted(second!.logs)).toBeGreaterThan(0);
    }, 120_000);
  },
);
