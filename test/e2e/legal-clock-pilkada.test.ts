import type { User } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endOfDayWib } from "../../domain/legal-clock/deadlines.ts";
import { addDays, todayInJakarta } from "../../domain/report/dates.ts";
import { formatDateTime } from "../../handlers/triage/card.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import {
  cardIn,
  officer,
  press,
  STAFF_CHAT_ID,
  say,
  seedWhileStopped,
  waitForCard,
  waitForText,
} from "./triage-support.ts";

describe("the legal clock, a Pilkada", () => {
  let t: TestBot;
  const dewi = makeUser(9401, { firstName: "Dewi", languageCode: "id" });
  let code: string;
  let sari: User;

  beforeAll(async () => {
    t = await TestBot.start({ ELECTION_KIND: "pilkada" });
    [code = ""] = await seedWhileStopped(t, [{ category: "HOAX", reporter: dewi }]);
    await waitForCard(t.api, code);
    sari = officer(t.api, 9411, "Sari").user;
  }, 120_000);
  afterAll(() => t?.stop());

  it("moves the deadline from 3 to 3 + 2 days when an officer asks the reporter", async () => {
    const received = (await t.query((db) => db.report.findUniqueOrThrow({ where: { code } }))).createdAt;
    const day = todayInJakarta(received);
    const card = () => cardIn(t.api, code)!;
    expect(card().text).toContain(
      `Batas tindak lanjut: ${formatDateTime(endOfDayWib(addDays(day, 3)), "id")}`,
    );
    expect(card().text).toContain("Dasar batas waktu: 3 hari (UU 10/2016 Pasal 134 ayat (5))");

    await press(t.api, sari, `tkt:cl:${code}`, card());
    await press(t.api, sari, `tkt:ak:${code}`, card());
    const prompt = await waitForText(t.api, STAFF_CHAT_ID, `tentang ${code}`);
    await say(t.api, sari, "Di grup WhatsApp mana pesan itu beredar?", "Pertanyaan sedang dikirim", {
      replyTo: prompt,
    });

    expect(card().text).toContain(
      `Batas tindak lanjut: ${formatDateTime(endOfDayWib(addDays(day, 5)), "id")}`,
    );
    expect(card().text).toContain("Dasar batas waktu: 3 + 2 hari karena perlu keterangan tambahan");
    const row = await t.query((db) => db.report.findUniqueOrThrow({ where: { code } }));
    expect(row.infoRequestedAt).not.toBeNull();
  }, 90_000);
});
