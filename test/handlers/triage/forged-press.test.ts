import type { Message } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardData } from "../../../handlers/triage/callback-data.ts";
import { cardIn, seedTickets, staffGroup } from "../../e2e/triage-support.ts";
import { InProcessBot } from "../../support/in-process-bot.ts";
import { callbackQuery, makeUser, photoMessage } from "../../support/updates.ts";

// Found by the fuzz test (test/fuzz/): callback data can be forged, and a press naming one ticket, made on another
// message, made the bot edit that message into this ticket's card (or fail on a message without text).
describe("a ticket button pressed on a message that is not that ticket's card", { timeout: 120_000 }, () => {
  let harness: InProcessBot;
  const officer = makeUser(8401, { firstName: "Petugas" });
  const reporter = makeUser(8402);
  let codes: string[];

  beforeAll(async () => {
    harness = await InProcessBot.start();
    harness.api.setChatMember(staffGroup.id, officer.id, "member");
    codes = await seedTickets(harness.db, [
      { category: "HOAX", reporter },
      { category: "OTHER", reporter },
    ]);
    await harness.drainStaffOutbox();
  }, 120_000);
  afterAll(() => harness?.stop());

  it("acts on the ticket it names and leaves the other ticket's card as it was", async () => {
    const [a, b] = codes as [string, string];
    const cardOfB = cardIn(harness.api, b)!;
    await harness.send(callbackQuery(officer, cardData({ verb: "claim", code: a }), cardOfB));
    expect(harness.api.message(staffGroup.id, cardOfB.message_id)?.text).toContain(b);
    expect(cardIn(harness.api, a)?.text).toContain("Petugas");
    expect(harness.errorLogs()).toEqual([]);
  });

  it("answers a press on a photo without trying to edit it into a card", async () => {
    const [a] = codes as [string];
    const photo = harness.api.receive(photoMessage(officer, { chat: staffGroup })).message as Message;
    const mark = harness.api.mark();
    await harness.send(callbackQuery(officer, cardData({ verb: "release", code: a }), photo));
    const calls = harness.api.calls.slice(mark);
    expect(calls.filter((call) => call.response?.ok === false)).toEqual([]);
    expect(calls.map((call) => call.method)).toContain("answerCallbackQuery");
    expect(harness.caught).toEqual([]);
  });
});
