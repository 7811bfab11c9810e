import type { Message, Update, User } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.ts";
import { type MemberStatus, memberOf } from "../support/telegram-rules.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import {
  cardIn,
  officer,
  press,
  STAFF_CHAT_ID,
  say,
  seedWhileStopped,
  staffGroup,
  waitForCard,
  waitForText,
} from "./triage-support.ts";

/** A chat_member update of the staff group: `user` goes from `before` to `after`, done by `by`. */
function memberChange(
  user: User,
  by: User,
  before: MemberStatus,
  after: MemberStatus,
  inviteLinkName?: string,
): Omit<Update, "update_id"> {
  return {
    chat_member: {
      chat: staffGroup,
      from: by,
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { ...memberOf(before), user },
      new_chat_member: { ...memberOf(after), user, ...(after === "restricted" ? { is_member: true } : {}) },
      ...(inviteLinkName
        ? {
            invite_link: {
              invite_link: "https://t.me/+AbCdEf…",
              creator: by,
              creates_join_request: false,
              is_primary: false,
              is_revoked: false,
              name: inviteLinkName,
            },
          }
        : {}),
    },
  } as unknown as Omit<Update, "update_id">;
}

describe("the staff group's insiders", { timeout: 180_000 }, () => {
  let t: TestBot;
  let codes: string[];
  const citizen = makeUser(9701, { firstName: "Warga", languageCode: "id" });
  const witness = makeUser(9702, { firstName: "Saksi", languageCode: "id" });
  let admin: User;
  let sari: User;
  let tono: User;
  let rina: User;
  const stranger = makeUser(9699, { firstName: "Orang", lastName: "Asing", languageCode: "id" });

  beforeAll(async () => {
    t = await TestBot.start({ STAFF_ALLOWLIST: "9601, 9602,9603,9604", STAFF_RATE: "20/2" });
    codes = await seedWhileStopped(t, [
      { category: "MONEY_POLITICS", reporter: citizen },
      { category: "HOAX", reporter: citizen },
      { category: "OTHER", reporter: witness, identified: { name: "Saksi Utama", phone: "+6281233334444" } },
    ]);
    for (const code of codes) await waitForCard(t.api, code);
    admin = officer(t.api, 9601, "Admin Rudi", "admin").user;
    sari = officer(t.api, 9602, "Sari").user;
    tono = officer(t.api, 9603, "Tono").user;
    rina = officer(t.api, 9604, "Rina").user;
  }, 120_000);
  afterAll(() => t?.stop());

  const card = (i: number) => cardIn(t.api, codes[i]!)!;
  const alertOf = async (user: User, data: string, message: Message) =>
    String((await press(t.api, user, data, message)).params.text ?? "");

  it("asks Telegram for chat_member updates", () => {
    const polls = t.api.callsTo("getUpdates");
    expect(
      polls.some((call) => (call.params.allowed_updates as string[] | undefined)?.includes("chat_member")),
    ).toBe(true);
  });

  it("announces a join through an invite link, and that a member off STAFF_ALLOWLIST cannot act", async () => {
    const mark = t.api.mark();
    t.api.pushUpdate(memberChange(stranger, stranger, "left", "member", "Piket Desember"));
    const notice = await waitForText(t.api, STAFF_CHAT_ID, "bergabung", mark);
    expect(notice.text).toContain("Orang Asing");
    expect(notice.text).toContain("Piket Desember");
    expect(notice.text).toContain("Tidak ada di STAFF_ALLOWLIST");

    const attempt = t.api.mark();
    const alert = await alertOf(stranger, `tkt:cl:${codes[0]}`, card(0));
    expect(alert).toContain("STAFF_ALLOWLIST");
    const announced = await waitForText(t.api, STAFF_CHAT_ID, "mencoba bertindak", attempt);
    expect(announced.text).toContain("9699");
    expect(await t.query((db) => db.report.findFirst({ where: { code: codes[0]! } }))).toMatchObject({
      assigneeId: null,
    });
  });

  it("forgets a member's cached role at once when they are removed", async () => {
    expect(await alertOf(tono, `tkt:cl:${codes[0]}`, card(0))).toContain("milik Anda");
    // Tono is removed; within the 60 s the role used to be cached, his next press must already be refused.
    t.api.pushUpdate(memberChange(tono, admin, "member", "left"));
    // Handled once the roster forgot him (the cached role is forgotten first).
    await eventually("the removal is handled", async () =>
      (await t.query((db) => db.staffMember.count({ where: { userId: BigInt(tono.id) } }))) === 0
        ? true
        : undefined,
    );
    expect(await alertOf(tono, `tkt:rl:${codes[0]}`, card(0))).toContain("Hanya anggota");
  });

  it("announces a promotion; a restricted member is never an officer", async () => {
    const mark = t.api.mark();
    t.api.pushUpdate(memberChange(sari, admin, "member", "administrator"));
    const notice = await waitForText(t.api, STAFF_CHAT_ID, "dijadikan administrator", mark);
    expect(notice.text).toContain("Sari");
    expect(notice.text).toContain("Admin Rudi");

    t.api.setChatMember(STAFF_CHAT_ID, rina.id, "restricted", { is_member: true });
    expect(await alertOf(rina, `tkt:cl:${codes[1]}`, card(1))).toContain("Hanya anggota");
  });

  it("/siapa lists who can act, with role and since when", async () => {
    const list = await say(t.api, admin, "/siapa", "Yang bisa bertindak");
    expect(list.text).toContain("Admin Rudi: administrator sejak");
    expect(list.text).toContain("Sari: administrator sejak");
    expect(list.text).not.toContain("Tono");
    expect(list.text).not.toContain("Orang Asing");
    expect(list.text).not.toContain("Rina");
    expect(list.text).toContain("Hanya id di STAFF_ALLOWLIST");
    // Officers only: no reporter is ever in the roster.
    const roster = await t.query((db) => db.staffMember.findMany());
    expect(roster.map((row) => Number(row.userId)).sort()).toEqual([9601, 9602]);
  });

  it("Show contact asks for a typed reason, records it and announces who revealed which ticket", async () => {
    const code = codes[2]!;
    const mark = t.api.mark();
    expect(await alertOf(admin, `tkt:ct:${code}`, card(2))).toContain("alasan");
    const prompt = await waitForText(t.api, STAFF_CHAT_ID, "alasan Anda memerlukan kontak", mark);
    const short = await say(t.api, admin, "ok", "minimal", { replyTo: prompt });
    expect(short.text).toContain("minimal 5 karakter");
    const noted = await say(t.api, admin, "Klarifikasi sebelum pemanggilan saksi", "dicatat", {
      replyTo: prompt,
    });
    const revealMark = t.api.mark();
    const shown = await alertOf(admin, `tkt:ct:${code}`, noted);
    expect(shown).toContain("Saksi Utama");
    expect(shown).toContain("+6281233334444");
    const announce = await waitForText(t.api, STAFF_CHAT_ID, "melihat data kontak", revealMark);
    expect(announce.text).toContain("Admin Rudi");
    expect(announce.text).toContain(code);
    expect(announce.text).toContain("Klarifikasi sebelum pemanggilan saksi");
    expect(announce.text).not.toContain("Saksi Utama");
    const event = await t.query((db) =>
      db.reportEvent.findFirst({ where: { report: { code }, type: "CONTACT_REVEALED" } }),
    );
    expect(event).toMatchObject({ actorName: "Admin Rudi", note: "Klarifikasi sebelum pemanggilan saksi" });
    // The reason is spent: the next press asks again.
    expect(await alertOf(admin, `tkt:ct:${code}`, card(2))).toContain("alasan");
  });
});
