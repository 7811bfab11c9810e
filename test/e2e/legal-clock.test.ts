import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endOfDayWib } from "../../domain/legal-clock/deadlines.ts";
import { createHolidayCalendar } from "../../domain/legal-clock/holiday-calendar.ts";
import { addDays, dayOfWeek, todayInJakarta } from "../../domain/report/dates.ts";
import { openWitnesses } from "../../domain/witness/witnesses.ts";
import { formatDateTime } from "../../handlers/triage/card.ts";
import { UserChat } from "../support/conversation.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import {
  cardIn,
  cipher,
  officer,
  STAFF_CHAT_ID,
  say,
  seedWhileStopped,
  waitForCard,
  waitForText,
} from "./triage-support.ts";

/** The next `n` days after `from` that count as working days without HOLIDAYS (weekdays, not in the SKB table). */
function workingDaysAfter(from: string, n: number): string[] {
  const calendar = createHolidayCalendar();
  const days: string[] = [];
  for (let day = addDays(from, 1); days.length < n; day = addDays(day, 1)) {
    if (dayOfWeek(day) !== 0 && dayOfWeek(day) !== 6 && !calendar.has(day)) days.push(day);
  }
  return days;
}

describe("the legal clock, a Pemilu with a late-decreed holiday and an English-speaking staff group", () => {
  let t: TestBot;
  const citra = makeUser(9301, { firstName: "Citra", languageCode: "en" });
  const today = todayInJakarta(new Date());
  const [holiday = "", ...rest] = workingDaysAfter(today, 8);
  let code: string;

  beforeAll(async () => {
    t = await TestBot.start({ HOLIDAYS: holiday, STAFF_LOCALE: "en", ELECTION_KIND: "pemilu" });
    [code = ""] = await seedWhileStopped(t, [{ category: "MONEY_POLITICS", reporter: citra }]);
    await waitForCard(t.api, code);
  }, 120_000);
  afterAll(() => t?.stop());

  it("pushes the 7-working-day limit past a HOLIDAYS day and says so on the card, in STAFF_LOCALE", () => {
    const card = cardIn(t.api, code)!;
    // Without HOLIDAYS the 7th working day would be rest[5]; the holiday moves it one working day on.
    const lastDay = rest[6]!;
    expect(card.text).toContain(`Follow up by: ${formatDateTime(endOfDayWib(lastDay), "en")}`);
    expect(card.text).toContain(
      `Deadline rule: 7 working days (UU 7/2017 Pasal 454; Perbawaslu 7/2022), skipping days off: ${holiday} HOLIDAYS`,
    );
  });

  it("gives the staff group its command menu in STAFF_LOCALE", () => {
    const menu = t.api
      .callsTo("setMyCommands")
      .find((call) => (call.params.scope as { chat_id?: number } | undefined)?.chat_id === STAFF_CHAT_ID);
    const commands = (menu!.params.commands as Array<{ command: string }>).map((item) => item.command);
    expect(commands).toContain("ticket");
    expect(commands).not.toContain("tiket");
  });

  it("turns an anonymous tip into a formal report from /status, with witnesses; card and history show it", async () => {
    const chat = new UserChat(t.api, citra);
    const [status] = await chat.send(`/status ${code}`);
    expect(status!.text).toContain("Next: a duty officer takes your report for review.");
    expect(status!.text).toMatch(/Formal report deadline: .* \(working days left: 7\)/);
    expect(status!.text).toContain("Officers' follow-up deadline");

    const explained = await chat.press(/^frm:i:/);
    expect(explained.map((reply) => reply.text).join("\n")).toContain("LPSK");
    const [askName] = (await chat.press(/^frm:y:/)).filter((reply) => reply.method === "sendMessage");
    expect(askName!.text).toContain("Type your full name");
    const [tooShort] = await chat.send("C");
    expect(tooShort!.text).toContain("too short");
    const [askPhone] = await chat.send("Citra Lestari");
    expect(askPhone!.text).toContain("Share your own phone number");
    const [otherContact] = await chat.sendContact({ phone: "6281200001111", userId: 4242 });
    expect(otherContact!.text).toContain("someone else's contact");
    const [badPhone] = await chat.send("12");
    expect(badPhone!.text).toMatch(/short|number/i);
    const afterPhone = await chat.sendContact();
    expect(afterPhone.map((reply) => reply.text).join("\n")).toContain("Witness 1 of 3");
    const [askContact] = await chat.send("Budi Santoso");
    expect(askContact!.text).toContain("How to reach Budi Santoso");
    const [askSecond] = await chat.send("0813 1111 2222");
    expect(askSecond!.text).toContain("Witness 2 of 3");
    const done = await chat.press(/^frm:s$/);
    expect(done.map((reply) => reply.text).join("\n")).toContain(
      `Report ${code} is now a formal report in your name (1 witnesses)`,
    );

    const row = await t.query((db) => db.report.findUniqueOrThrow({ where: { code } }));
    expect(row.anonymous).toBe(false);
    expect(cipher.decrypt(row.reporterNameEnc!)).toBe("Citra Lestari");
    expect(openWitnesses(cipher, row.witnessesEnc)).toEqual([
      { name: "Budi Santoso", contact: "0813 1111 2222" },
    ]);
    expect(row.witnessesEnc).not.toContain("Budi");

    await waitForText(t.api, STAFF_CHAT_ID, "identified (formal report)").catch(() => undefined);
    expect(cardIn(t.api, code)!.text).toContain("identified (formal report)");
    const sari = officer(t.api, 9311, "Sari").user;
    const history = await say(t.api, sari, `/ticket ${code}`, "History");
    expect(history.text).toContain("Became a formal report");

    // No second time: the ticket is identified now.
    const [again] = await chat.send(`/status ${code}`);
    expect(again!.message?.reply_markup).toBeUndefined();
  }, 120_000);
});
