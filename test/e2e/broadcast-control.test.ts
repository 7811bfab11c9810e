import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBot } from "../support/test-bot.ts";
import {
  adminIn,
  chatIds,
  composeAndPreview,
  deliveries,
  eventually,
  officerIn,
  STAFF_CHAT_ID,
  seedSubscribers,
  summaries,
} from "./broadcast-support.ts";

const SUBSCRIBERS = chatIds(20_001, 300);
const RATE = 20;

/** The two-person rule, and Pause / Resume / Cancel of a running broadcast, with a slow rate to watch it. */
describe("approving and controlling announcements", () => {
  let t: TestBot;

  beforeAll(async () => {
    t = await TestBot.start({ BROADCAST_TWO_PERSON: "true", BROADCAST_RATE: String(RATE) });
    await t.query((db) =>
      seedSubscribers(
        db,
        SUBSCRIBERS.map((chatId) => ({ chatId })),
      ),
    );
  });
  afterAll(() => t?.stop());

  const sentCount = (after: number) => deliveries(t.api, SUBSCRIBERS, after).length;
  const progressMessage = (after: number) =>
    t.api
      .callsTo("editMessageText", { after })
      .filter((call) => String(call.params.chat_id) === String(STAFF_CHAT_ID))
      .map((call) => call.messages[0])
      .findLast((message) => message?.text?.startsWith("📣 Pengumuman:"));

  it("needs a second administrator: the author cannot approve, an officer cannot, another admin can; a rejection sends nothing", async () => {
    const author = adminIn(t.api, 8201, "Rina");
    const second = adminIn(t.api, 8202, "Agus");
    const officer = officerIn(t.api, 8203);

    // A request rejected by another administrator sends nothing.
    let mark = t.api.mark();
    await composeAndPreview(author.chat, "Pengumuman yang ditolak");
    await author.chat.press(/^bc:send:/);
    const rejected = await second.chat.press(/^bc:no:/, { message: author.chat.lastMessage() });
    expect(rejected.map((reply) => reply.text).join("\n")).toContain("Pengumuman ditolak oleh Agus");

    mark = t.api.mark();
    const preview = await composeAndPreview(author.chat, "Pengumuman dua orang");
    expect(preview.at(-1)?.text).toContain("Aturan dua orang berlaku");
    expect(preview.at(-1)?.keyboard?.labels).toContain("📨 Minta persetujuan");
    const requested = await author.chat.press(/^bc:send:/);
    const request = requested.find((reply) => reply.method === "editMessageText");
    expect(request?.text).toContain("Menunggu persetujuan");
    expect(request?.text).toContain("Diminta oleh Rina");
    const requestMessage = author.chat.lastMessage()!;

    const own = await author.chat.press(/^bc:ok:/, { message: requestMessage });
    expect(own.find((reply) => reply.method === "answerCallbackQuery")?.call.params.text).toContain(
      "tidak dapat menyetujui pengumuman Anda sendiri",
    );
    const byOfficer = await officer.chat.press(/^bc:ok:/, { message: requestMessage });
    expect(byOfficer.find((reply) => reply.method === "answerCallbackQuery")?.call.params.text).toContain(
      "Hanya administrator",
    );
    const byOfficerPreview = await officer.chat.send("/siaran");
    expect(byOfficerPreview[0]?.text).toContain("Hanya administrator");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentCount(mark)).toBe(0);

    const approved = await second.chat.press(/^bc:ok:/, { message: requestMessage });
    expect(approved.find((reply) => reply.method === "editMessageText")?.text).toContain(
      "disetujui oleh Agus",
    );
    await eventually("copies go out after approval", () => sentCount(mark) > 0, 10_000);

    // Cancel it from the progress message (two steps), to keep the next test's subscribers' counts apart.
    await second.chat.press(/^bc:stop:/, { message: requestMessage });
    await second.chat.press(/^bc:stopy:/, { message: requestMessage });
    await eventually("the cancelled broadcast's summary", () => summaries(t.api, mark).length > 0, 15_000);
  });

  it("pauses, resumes and cancels a running broadcast (admins only), and the rate never exceeds the limit", async () => {
    const author = adminIn(t.api, 8211, "Dewi");
    const approver = adminIn(t.api, 8212, "Eko");
    const officer = officerIn(t.api, 8213);
    const mark = t.api.mark();
    await composeAndPreview(author.chat, "Pengumuman panjang");
    await author.chat.press(/^bc:send:/);
    const progress = author.chat.lastMessage()!;
    await approver.chat.press(/^bc:ok:/, { message: progress });
    await eventually("a few copies are out", () => sentCount(mark) >= 20, 10_000);

    const refused = await officer.chat.press(/^bc:pause:/, {
      message: t.api.message(STAFF_CHAT_ID, progress.message_id),
    });
    expect(refused.find((reply) => reply.method === "answerCallbackQuery")?.call.params.text).toContain(
      "Hanya administrator",
    );

    await approver.chat.press(/^bc:pause:/, { message: t.api.message(STAFF_CHAT_ID, progress.message_id) });
    expect(t.api.message(STAFF_CHAT_ID, progress.message_id)?.text).toContain("Pengumuman: dijeda");
    // The sender notices within its poll (0.5 s) and lets the message in flight finish.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const atPause = sentCount(mark);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(sentCount(mark)).toBe(atPause);
    expect(atPause).toBeLessThan(SUBSCRIBERS.length);

    await author.chat.press(/^bc:resume:/, { message: t.api.message(STAFF_CHAT_ID, progress.message_id) });
    await eventually("sending resumes", () => sentCount(mark) > atPause + 10, 10_000);

    const edits = t.api.mark();
    await eventually(
      "the progress message shows a rate",
      () => progressMessage(edits)?.text?.includes("pesan/detik"),
      15_000,
    );

    await author.chat.press(/^bc:stop:/, { message: t.api.message(STAFF_CHAT_ID, progress.message_id) });
    await author.chat.press(/^bc:stopy:/, { message: t.api.message(STAFF_CHAT_ID, progress.message_id) });
    const [summary] = await eventually("the summary of the cancelled broadcast", () => {
      const found = summaries(t.api, mark);
      return found.length > 0 ? found : undefined;
    });
    expect(summary?.params.text).toContain("Pengumuman dibatalkan");
    expect(summary?.params.text).toMatch(/tidak dikirim/);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const atCancel = sentCount(mark);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sentCount(mark)).toBe(atCancel);
    expect(atCancel).toBeLessThan(SUBSCRIBERS.length);

    // Every copy went to a different subscriber, and never more than RATE in any second.
    const copies = deliveries(t.api, SUBSCRIBERS, mark);
    expect(new Set(copies.map((call) => call.params.chat_id)).size).toBe(copies.length);
    const times = copies.map((call) => call.at).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(RATE);
    const final = t.api.message(STAFF_CHAT_ID, progress.message_id);
    expect(final?.text).toContain("Pengumuman: dibatalkan");
    expect(final?.reply_markup).toBeUndefined();
  });
});
