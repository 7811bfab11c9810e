import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser, privateChatOf, textMessage } from "../support/updates.ts";
import { fileUntilReview, pressSubmit } from "./faults-support.ts";
import { cardsOf, waitForCard } from "./triage-support.ts";

const servers = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

/**
 * PostgreSQL and Redis out of reach, injected with a TCP proxy between the bot and the shared servers (the
 * servers themselves keep running for the other tests on the machine).
 */
describe.skipIf(!servers)("outages of PostgreSQL and Redis", { timeout: 180_000 }, () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await TestBot.start({ STAFF_RATE: "50/1", LOG_LEVEL: "info" }, { proxy: ["database", "redis"] });
  }, 120_000);
  afterAll(() => t?.stop());

  it("PostgreSQL down at Submit: try again in a moment, draft kept, no partial ticket; then Submit works and the card arrives", async () => {
    const citizen = makeUser(9701, { languageCode: "id" });
    const review = await fileUntilReview(t.api, citizen);

    t.proxies.database!.cut();
    const refused = await pressSubmit(t.api, citizen, review);
    expect(refused.code).toBeUndefined();
    expect(refused.alert).toContain("sedang terganggu");
    const logged = t.bot.logs.length;
    // A second try while it is still down: the same answer, the process stays up.
    expect((await pressSubmit(t.api, citizen, review)).alert).toContain("sedang terganggu");
    expect(t.bot.logs.slice(logged).some((line) => line.msg === "start-up failed")).toBe(false);
    expect(await t.query((db) => db.report.count())).toBe(0);

    t.proxies.database!.restore();
    const accepted = await eventually("Submit works again once PostgreSQL is back", async () => {
      const outcome = await pressSubmit(t.api, citizen, review);
      return outcome.code;
    });
    await waitForCard(t.api, accepted, 30_000);
    expect(cardsOf(t.api, accepted)).toHaveLength(1);
    const stored = await t.query((db) => db.report.findMany({ select: { code: true } }));
    expect(stored.map((report) => report.code)).toEqual([accepted]);
  });

  it("Redis down: a short 'temporarily unavailable' in the user's language, no crash; the draft saved before survives", async () => {
    const citizen = makeUser(9702, { languageCode: "en" });
    const review = await fileUntilReview(t.api, makeUser(9703, { languageCode: "id" }));
    const chat = privateChatOf(citizen);
    // The session is written after the bot's reply: let the review's write reach Redis before cutting it, so the
    // draft is one "saved before the outage".
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    t.proxies.redis!.cut();
    const mark = t.api.mark();
    t.api.pushUpdate(textMessage(citizen, "/start", { chat }));
    const answer = await t.api.waitForCall("sendMessage", (p) => p.chat_id === citizen.id, {
      after: mark,
      timeoutMs: 20_000,
    });
    expect(String(answer.params.text)).toContain("temporarily unavailable");
    expect(t.bot.exitResult).toBeUndefined();

    t.proxies.redis!.restore();
    // It recovers by itself: the same citizen is greeted normally, and the other citizen's draft (saved before
    // the outage) is still there: Submit gives a ticket.
    await eventually("the bot answers normally again once Redis is back", async () => {
      const before = t.api.mark();
      t.api.pushUpdate(textMessage(citizen, "/start", { chat }));
      const reply = await t.api.waitForCall("sendMessage", (p) => p.chat_id === citizen.id, {
        after: before,
        timeoutMs: 10_000,
      });
      return !String(reply.params.text).includes("temporarily unavailable");
    });
    const outcome = await pressSubmit(t.api, makeUser(9703, { languageCode: "id" }), review);
    expect(outcome.code).toBeDefined();
  });
});
