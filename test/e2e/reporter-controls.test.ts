import type { User } from "grammy/types";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSubscriptionStore } from "../../domain/subscription/subscription-store.ts";
import { type BotReply, UserChat } from "../support/conversation.ts";
import { eventually } from "../support/eventually.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import {
  cardIn,
  cipher,
  officer,
  press,
  STAFF_CHAT_ID,
  say,
  seedWhileStopped,
  waitForCard,
} from "./triage-support.ts";

const CODE = /\b(PU|HK|AS|LN)-[2-9A-HJKMNP-Z]{6}\b/;
const texts = (replies: BotReply[]) => replies.map((reply) => reply.text ?? "").join("\n");

/** A whole "other violation" report up to the review, then the identity choice and Submit. */
async function report(t: TestBot, chat: UserChat, identity: string): Promise<string> {
  await chat.send("/lapor");
  await chat.press("📌 Pelanggaran lainnya");
  await chat.send("Perusakan alat peraga kampanye");
  await chat.press("Hari ini");
  await chat.press("Hari yang sama dengan kejadian");
  await chat.send("tebet");
  await chat.press(/^Tebet, Kota Jakarta Selatan/);
  await chat.press("⏭ Lewati");
  await chat.send("Malam hari spanduk calon nomor 2 dirobek oleh sekelompok orang bermotor di perempatan.");
  await chat.press("✅ Selesai kirim bukti");
  await chat.press(identity);
  const mark = t.api.mark();
  await chat.press("📨 Kirim laporan");
  const call = await t.api.waitForCall(
    "sendMessage",
    (params) => params.chat_id === chat.user.id && /Terima kasih|Kode tiket/.test(String(params.text)),
    { after: mark, timeoutMs: 15_000 },
  );
  return String(call.params.text);
}

/** Whether the bot's session storage still holds a session of this private chat. */
async function sessionExists(t: TestBot, user: User): Promise<boolean> {
  const key = `session:${cipher.hash("session", `${user.id}:${user.id}`).slice(0, 32)}`;
  const url = process.env.TEST_REDIS_URL;
  if (url) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `awasi-test:*${key}`, "COUNT", 1000);
        if (keys.length > 0) return true;
        cursor = next;
      } while (cursor !== "0");
      return false;
    } finally {
      redis.disconnect();
    }
  }
  return (await t.query((db) => db.sessionRecord.count({ where: { key } }))) > 0;
}

describe("what a citizen controls", { timeout: 240_000 }, () => {
  let t: TestBot;
  const nina = makeUser(9401, { firstName: "Nina", lastName: "Rahasia", languageCode: "id" });
  const budi = makeUser(9402, { firstName: "Budi", lastName: "Hapus", languageCode: "id" });
  const spam = makeUser(9403, { firstName: "Spammer", languageCode: "id" });
  let admin: User;
  let budiCodes: string[];
  let spamCode: string;

  beforeAll(async () => {
    t = await TestBot.start({ FLOOD_LIMIT: "1000/10", STAFF_RATE: "20/2" });
    const codes = await seedWhileStopped(t, [
      { category: "MONEY_POLITICS", reporter: budi },
      { category: "OTHER", reporter: budi, identified: { name: "Budi Hapus", phone: "+6281277776666" } },
      { category: "HOAX", reporter: spam },
    ]);
    budiCodes = codes.slice(0, 2);
    spamCode = codes[2]!;
    for (const code of codes) await waitForCard(t.api, code);
    admin = officer(t.api, 9501, "Admin Rudi", "admin").user;
  }, 120_000);
  afterAll(() => t?.stop());

  it("files a no-follow-up report: nothing links it to the account, /status CODE works, officers cannot ask", async () => {
    const chat = new UserChat(t.api, nina, { quietMs: 500 });
    const submitted = await report(t, chat, "👻 Anonim tanpa tindak lanjut (tidak tertaut ke akun Anda)");
    expect(submitted).toContain("tanpa tautan ke Anda");
    expect(submitted).toContain("Petugas tidak bisa bertanya");
    const code = submitted.match(CODE)![0];

    const stored = await t.query(async (db) => ({
      report: await db.report.findUniqueOrThrow({ where: { code } }),
      reporters: await db.reporter.count({
        where: { telegramIdHash: { in: cipher.hashes("reporter", String(nina.id)) } },
      }),
    }));
    expect(stored.report).toMatchObject({ reporterLinkEnc: null, anonymous: true });
    expect(stored.reporters).toBe(0);

    const detail = texts(await chat.send(`/status ${code}`));
    expect(detail).toContain(code);
    // Not in the citizen's list: nothing ties it to them.
    expect(texts(await chat.send("/status"))).not.toContain(code);

    const card = await waitForCard(t.api, code);
    expect(card.text).toContain("Pelapor tidak bisa dihubungi");
    const answer = await press(t.api, admin, `tkt:ak:${code}`, card);
    expect(answer.params).toMatchObject({ show_alert: true });
    expect(String(answer.params.text)).toContain("tidak bisa dihubungi");
  });

  it("/hapus erases the citizen after an honest confirmation; no notice reaches them afterwards", async () => {
    await t.query((db) => createSubscriptionStore(db, cipher).subscribe(budi.id, "id"));
    const chat = new UserChat(t.api, budi, { quietMs: 500 });
    await chat.send("/lapor");
    await chat.press("💸 Politik uang"); // a draft in progress
    expect(await sessionExists(t, budi)).toBe(true);

    const confirm = texts(await chat.send("/hapus"));
    expect(confirm).toContain("Yang tetap ada");
    expect(confirm).toContain("dianonimkan");
    const done = texts(await chat.press("🧹 Ya, hapus data saya"));
    expect(done).toContain("2 laporan tidak lagi mengarah kepada Anda");
    expect(done).toContain("langganan Anda dihapus");

    const after = await t.query(async (db) => ({
      reports: await db.$queryRawUnsafe<Record<string, unknown>[]>(
        `SELECT code, reporter_link_enc, reporter_name_enc, reporter_phone_enc FROM reports WHERE code IN ('${budiCodes.join("','")}') ORDER BY code`,
      ),
      reporters: await db.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM reporters WHERE telegram_id_hash IN ('${cipher.hashes("reporter", String(budi.id)).join("','")}')`,
      ),
      subscriptions: await db.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM subscriptions WHERE chat_id_hash IN ('${cipher.hashes("subscriptionChat", String(budi.id)).join("','")}')`,
      ),
    }));
    expect(after.reports).toHaveLength(2);
    for (const row of after.reports) {
      expect(row).toMatchObject({
        reporter_link_enc: null,
        reporter_name_enc: null,
        reporter_phone_enc: null,
      });
    }
    expect(Number(after.reporters[0]!.n)).toBe(0);
    expect(Number(after.subscriptions[0]!.n)).toBe(0);
    // The session goes when the update's handling ends, which may be just after the answer was sent.
    await eventually("the session is deleted", async () => !(await sessionExists(t, budi)));

    // An officer claims one of the erased citizen's tickets: the status notice has nobody to go to.
    const code = budiCodes[0]!;
    const beforeClaim = t.api.mark();
    const claimed = await press(t.api, admin, `tkt:cl:${code}`, cardIn(t.api, code)!);
    expect(claimed.params.text).toBeTruthy();
    await eventually("the claim's notice is settled by the outbox worker", async () => {
      const rows = await t.query((db) =>
        db.$queryRawUnsafe<{ status: string }[]>(
          `SELECT o.status FROM outbox o JOIN reports r ON o.payload->>'reportId' = r.id::text WHERE r.code = '${code}' AND o.kind = 'reporter.notice'`,
        ),
      );
      return rows.length > 0 && rows.every((row) => row.status !== "PENDING") ? true : undefined;
    });
    const toBudi = t.api.calls
      .slice(beforeClaim)
      .filter((call) => call.params.chat_id === budi.id || call.params.chat_id === String(budi.id));
    expect(toBudi).toEqual([]);
    // The ticket code alone still opens the report's status.
    expect(texts(await chat.send(`/status ${code}`))).toContain(code);
  });

  it("/blokir: the blocked reporter's next report gets a neutral thanks and reaches nobody; /buka_blokir lifts it", async () => {
    const blocked = await say(t.api, admin, `/blokir ${spamCode}`, spamCode);
    expect(blocked.text).toContain("diblokir");
    const chat = new UserChat(t.api, spam, { quietMs: 500 });
    const reportsBefore = await t.query((db) => db.report.count());
    const cardsBefore = t.api.callsTo("sendMessage").filter((c) => c.params.chat_id === STAFF_CHAT_ID).length;
    const thanks = await report(t, chat, "🕶 Anonim (informasi awal)");
    expect(thanks).toBe("✅ Terima kasih. Laporan Anda sudah kami terima.");
    expect(thanks).not.toMatch(CODE);
    expect(await t.query((db) => db.report.count())).toBe(reportsBefore);
    const staffMessages = t.api.callsTo("sendMessage").filter((c) => c.params.chat_id === STAFF_CHAT_ID);
    expect(staffMessages.slice(cardsBefore).some((c) => /🎫/.test(String(c.params.text)))).toBe(false);

    const lifted = await say(t.api, admin, `/buka_blokir ${spamCode}`, spamCode);
    expect(lifted.text).toContain("dibuka");
    const events = await t.query((db) =>
      db.reportEvent.findMany({
        where: { report: { code: spamCode }, type: { in: ["REPORTER_BLOCKED", "REPORTER_UNBLOCKED"] } },
        orderBy: { id: "asc" },
      }),
    );
    expect(events.map((event) => [event.type, event.actorName])).toEqual([
      ["REPORTER_BLOCKED", "Admin Rudi"],
      ["REPORTER_UNBLOCKED", "Admin Rudi"],
    ]);
    const again = await report(t, chat, "🕶 Anonim (informasi awal)");
    expect(again).toMatch(CODE);
  });

  it("an officer who is not an admin cannot block", async () => {
    const sari = officer(t.api, 9502, "Sari").user;
    const refused = await say(t.api, sari, `/blokir ${spamCode}`, "administrator");
    expect(refused.text).toContain("Hanya administrator");
  });
});
