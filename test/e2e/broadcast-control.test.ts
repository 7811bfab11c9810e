import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.ts";
import { TestBot } from "../support/test-bot.ts";
import {
  adminIn,
  answering,
  chatIds,
  composeAndPreview,
  deliveries,
  maxInAnyWindow,
  messageWithButton,
  officerIn,
  pressAndWait,
  STAFF_CHAT_ID,
  saying,
  seedSubscribers,
  sendAndWait,
  summaries,
} from "./broadcast-support.ts";

const SUBSCRIBERS = chatIds(20_001, 300);
const RATE = 20;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The two-person rule, and Pause / Resume / Cancel of a running broadcast, with a slow rate to watch it. */
// Timing-sensitive (pause latency, lanes in flight during a 429): run against the real servers, which is how
// announcements are deployed. The embedded single-session PGlite on a 2-core CI machine is too slow to hold
// these bounds reliably; broadcast.test.ts and subscription.test.ts still run in embedded mode.
describe.runIf(process.env.TEST_DATABASE_URL)("approving and controlling announcements", () => {
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

  it("needs a second administrator: the author cannot approve, an officer cannot, another admin can; a rejection sends nothing", async () => {
    const author = adminIn(t.api, 8201, "Rina");
    const second = adminIn(t.api, 8202, "Agus");
    const officer = officerIn(t.api, 8203);

    // A request rejected by another administrator sends nothing.
    let mark = t.api.mark();
    await composeAndPreview(author.chat, "Pengumuman yang ditolak");
    await pressAndWait(author.chat, /^bc:send:/, saying("Menunggu persetujuan"));
    await pressAndWait(second.chat, /^bc:no:/, saying("Pengumuman ditolak oleh Agus"));

    mark = t.api.mark();
    const preview = await composeAndPreview(author.chat, "Pengumuman dua orang");
    const ready = preview.find(saying("Siap dikirim"));
    expect(ready?.text).toContain("Aturan dua orang berlaku");
    expect(ready?.keyboard?.labels).toContain("📨 Minta persetujuan");
    const requested = await pressAndWait(author.chat, /^bc:send:/, saying("Menunggu persetujuan"));
    expect(requested.find(saying("Menunggu persetujuan"))?.text).toContain("Diminta oleh Rina");

    await pressAndWait(author.chat, /^bc:ok:/, answering("tidak dapat menyetujui pengumuman Anda sendiri"));
    await pressAndWait(officer.chat, /^bc:ok:/, answering("Hanya administrator"));
    await sendAndWait(officer.chat, "/siaran", saying("Hanya administrator"), "the officer's refusal");
    await pause(500);
    expect(sentCount(mark)).toBe(0);

    await pressAndWait(second.chat, /^bc:ok:/, saying("disetujui oleh Agus"));
    await eventually("copies go out after approval", () => sentCount(mark) > 0, 10_000);

    // Cancel it from the progress message (two steps), so that the next test starts from a quiet group.
    await pressAndWait(second.chat, /^bc:stop:/, answering("Batalkan pengiriman?"));
    await pressAndWait(second.chat, /^bc:stopy:/, answering("Pengiriman dibatalkan"));
    await eventually("the cancelled broadcast's summary", () => summaries(t.api, mark).length > 0, 15_000);
  });

  it("shows an administrator's name as text, never as HTML, on the approval request", async () => {
    const author = adminIn(t.api, 8221, "<b>x</b>&");
    const second = adminIn(t.api, 8222, "Agus");
    await composeAndPreview(author.chat, "Pengumuman dengan nama aneh");
    const requested = await pressAndWait(author.chat, /^bc:send:/, saying("Menunggu persetujuan"));
    expect(requested.find(saying("Menunggu persetujuan"))?.text).toContain("Diminta oleh <b>x</b>&");
    await pressAndWait(second.chat, /^bc:no:/, saying("Pengumuman ditolak oleh Agus"));
  });

  it("pauses, resumes and cancels a running broadcast (admins only), never above the rate", async () => {
    const author = adminIn(t.api, 8211, "Dewi");
    const approver = adminIn(t.api, 8212, "Eko");
    const officer = officerIn(t.api, 8213);
    const mark = t.api.mark();
    await composeAndPreview(author.chat, "Pengumuman panjang");
    await pressAndWait(author.chat, /^bc:send:/, saying("Menunggu persetujuan"));
    await pressAndWait(approver.chat, /^bc:ok:/, saying("Pengumuman: sedang dikirim"));
    const progressId = messageWithButton(t.api, /^bc:pause:/)!.message_id;
    await eventually("a few copies are out", () => sentCount(mark) >= 20, 10_000);

    await pressAndWait(officer.chat, /^bc:pause:/, answering("Hanya administrator"));
    await pressAndWait(approver.chat, /^bc:pause:/, saying("Pengumuman: dijeda"));
    // The sender sees the pause at once in this process (within its 0.5 s poll elsewhere) and lets the one
    // message in flight per lane finish.
    await pause(1_000);
    const atPause = sentCount(mark);
    await pause(2_000);
    expect(sentCount(mark)).toBe(atPause);
    expect(atPause).toBeLessThan(SUBSCRIBERS.length);

    await pressAndWait(author.chat, /^bc:resume:/, saying("Pengumuman: sedang dikirim"));
    await eventually("sending resumes", () => sentCount(mark) > atPause + 10, 10_000);
    const edits = t.api.mark();
    await eventually(
      "the progress message shows a rate",
      () => t.api.message(STAFF_CHAT_ID, progressId)?.text?.includes("pesan/detik"),
      15_000,
    );
    expect(t.api.callsTo("editMessageText", { after: edits }).length).toBeGreaterThan(0);

    await pressAndWait(author.chat, /^bc:stop:/, answering("Batalkan pengiriman?"));
    await pressAndWait(author.chat, /^bc:stopy:/, answering("Pengiriman dibatalkan"));
    const [summary] = await eventually("the summary of the cancelled broadcast", () => {
      const found = summaries(t.api, mark);
      return found.length > 0 ? found : undefined;
    });
    expect(summary?.params.text).toContain("Pengumuman dibatalkan");
    expect(summary?.params.text).toMatch(/tidak dikirim/);
    await pause(1_000);
    const atCancel = sentCount(mark);
    await pause(1_500);
    expect(sentCount(mark)).toBe(atCancel);
    expect(atCancel).toBeLessThan(SUBSCRIBERS.length);

    // Every copy went to a different subscriber, and never more than RATE in any second.
    const copies = deliveries(t.api, SUBSCRIBERS, mark);
    expect(new Set(copies.map((call) => call.params.chat_id)).size).toBe(copies.length);
    expect(maxInAnyWindow(copies)).toBeLessThanOrEqual(RATE);
    const final = t.api.message(STAFF_CHAT_ID, progressId);
    expect(final?.text).toContain("Pengumuman: dibatalkan");
    expect(final?.reply_markup).toBeUndefined();
  });
});
