import type { Message, User } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import { fileUntilReview, pressSubmit } from "./faults-support.ts";
import { cardsOf, STAFF_CHAT_ID } from "./triage-support.ts";

const servers = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);
const SUBMISSIONS = 200;
const CONCURRENT_CHATS = 10;
const KILLS = 4;

/** A small seeded generator (mulberry32), so that a failing run can be replayed with KILL_TEST_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

async function inPool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * kill -9 while 200 citizens press Submit: at random moments, and exactly between Telegram accepting a ticket
 * card and the database recording it (the fake Bot API kills the bot while it answers the card's sendMessage).
 * Citizens do what a person does: press Submit again when no answer comes. Afterwards every acknowledged report
 * (the citizen saw its code) is stored once and has its card in the group; the duplicate cards from that one
 * window are counted and printed.
 */
describe.skipIf(!servers)("kill -9 during 200 submissions", { timeout: 420_000 }, () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await TestBot.start(
      { STAFF_RATE: "100/1", FLOOD_LIMIT: "1000/10", QUEUE_SUMMARY_THRESHOLD: "100000", LOG_LEVEL: "info" },
      {},
    );
  }, 120_000);
  afterAll(() => t?.stop());

  it("stores every acknowledged report once and posts every card; duplicates at most one per crash", async () => {
    const seed = Number(process.env.KILL_TEST_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    console.log(`kill -9 test seed: ${seed} (replay with KILL_TEST_SEED=${seed})`);

    // Drafts up to the review, ten chats at a time (no crash yet: this is the citizens' typing).
    const citizens: User[] = Array.from({ length: SUBMISSIONS }, (_, i) =>
      makeUser(20_000 + i, { languageCode: "id" }),
    );
    const reviews = new Map<number, Message>();
    await inPool(citizens, CONCURRENT_CHATS, async (citizen) => {
      reviews.set(citizen.id, await fileUntilReview(t.api, citizen, { timeoutMs: 30_000 }));
    });

    // Kills: alternately in the card window and at a random moment, each after a random share of the
    // acknowledgements.
    let cardWindowArmed = false;
    let windowKill: (() => void) | undefined;
    const windowKilled = () =>
      new Promise<void>((resolve) => {
        windowKill = resolve;
      });
    t.api.onCall("sendMessage", (params) => {
      if (!cardWindowArmed || params.chat_id !== STAFF_CHAT_ID || !String(params.text).startsWith("🎫"))
        return undefined;
      cardWindowArmed = false;
      // Telegram takes the card (the fake stores it below), but the bot dies before it reads the answer.
      process.kill(t.bot.pid!, "SIGKILL");
      windowKill?.();
      return undefined;
    });

    const acknowledged = new Map<number, string>();
    let attempts = 0;
    const submitting = inPool(citizens, CONCURRENT_CHATS * 2, async (citizen) => {
      for (;;) {
        attempts++;
        const outcome = await pressSubmit(t.api, citizen, reviews.get(citizen.id)!, 8_000).catch(() => ({
          code: undefined,
        }));
        if (outcome.code) {
          acknowledged.set(citizen.id, outcome.code);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    });

    const kills: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const target = Math.floor(((k + 0.3 + next() * 0.6) / (KILLS + 0.5)) * SUBMISSIONS);
      await eventually(`${target} reports acknowledged`, () => acknowledged.size >= target, 240_000, 50);
      if (k % 2 === 0) {
        const killed = windowKilled();
        cardWindowArmed = true;
        await killed;
        kills.push(
          `after ${acknowledged.size} acknowledged: between Telegram accepting a card and recording it`,
        );
      } else {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 400)));
        kills.push(`after ${acknowledged.size} acknowledged: at a random moment`);
      }
      await t.restart({ kill: true });
    }
    await submitting;

    // Every card in the group (a card waiting for a killed process's lease is posted when the lease ends).
    const codes = [...acknowledged.values()];
    await eventually(
      "every acknowledged report has its card in the staff group",
      () => codes.every((code) => cardsOf(t.api, code).length > 0),
      120_000,
      250,
    );
    const stored = await t.query((db) =>
      db.report.findMany({ select: { code: true, staffMessageId: true } }),
    );
    const duplicates = codes.reduce((sum, code) => sum + cardsOf(t.api, code).length - 1, 0);
    console.log(
      [
        `kill -9 test: ${SUBMISSIONS} submissions, ${attempts} presses of Submit, ${kills.length} kills:`,
        ...kills.map((kill) => `  - ${kill}`),
        `  stored reports: ${stored.length}; duplicate cards in the staff group: ${duplicates}`,
      ].join("\n"),
    );

    expect(acknowledged.size).toBe(SUBMISSIONS);
    expect(new Set(codes).size).toBe(SUBMISSIONS);
    expect(stored.map((report) => report.code).sort()).toEqual([...codes].sort());
    expect(stored.every((report) => report.staffMessageId !== null)).toBe(true);
    expect(duplicates).toBeLessThanOrEqual(kills.length);
  });
});
