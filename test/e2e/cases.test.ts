import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import { buttonData, cardIn, officer, press, say, seedWhileStopped, waitForCard } from "./triage-support.ts";

const HOAX_URL = "https://www.facebook.com/share/p/abc123";

describe("two citizens report the same hoax post", () => {
  let t: TestBot;
  let codes: string[];
  const sari = makeUser(8601, { firstName: "Sari", languageCode: "id" });
  const budi = makeUser(8602, { firstName: "Budi", languageCode: "en" });

  beforeAll(async () => {
    t = await TestBot.start({ STAFF_RATE: "30/1" });
    codes = await seedWhileStopped(t, [
      {
        category: "HOAX",
        reporter: sari,
        details: {
          hx_platforms: ["FACEBOOK"],
          hx_links: [HOAX_URL],
          hx_falsehood: "Unggahan menyebut pemungutan suara diundur sepekan",
        },
      },
      {
        category: "HOAX",
        reporter: budi,
        details: {
          hx_platforms: ["FACEBOOK"],
          hx_links: [`${HOAX_URL}?utm_source=wa&fbclid=xyz`],
          hx_falsehood: "Postingan bilang pencoblosan ditunda satu minggu",
        },
      },
    ]);
    for (const code of codes) await waitForCard(t.api, code);
  }, 120_000);
  afterAll(() => t?.stop());

  it("proposes the first ticket on the second card, Link makes one case with 2 independent reporters", async () => {
    const [first, second] = codes as [string, string];
    const secondCard = cardIn(t.api, second)!;
    expect(secondCard.text).toContain(`Mungkin duplikat dari ${first}`);
    expect(secondCard.text).toContain("URL unggahan sama");
    const admin = officer(t.api, 8690, "Wati", "admin");
    const link = buttonData(secondCard).find((data) => data.startsWith("tkt:lk:"))!;
    const answer = await press(t.api, admin.user, link, secondCard);
    expect(String(answer.params.text)).toContain("2 pelapor independen");
    await eventually("the lead card shows the case", () =>
      cardIn(t.api, first)?.text?.includes("2 tiket, 2 pelapor independen"),
    );
    expect(cardIn(t.api, second)?.text).toContain(`ditautkan ke kasus`);
  });

  it("a status change on the case reaches both reporters, each with their own code", async () => {
    const [first, second] = codes as [string, string];
    const admin = officer(t.api, 8690, "Wati", "admin");
    const lead = cardIn(t.api, first)!;
    const claim = buttonData(lead).find((data) => data.startsWith("tkt:cl:"))!;
    await press(t.api, admin.user, claim, lead);
    const heard = (userId: number, code: string) =>
      t.api
        .botMessages(userId)
        .some(
          (message) =>
            message.text?.includes(`${code} sedang ditelaah`) ||
            message.text?.includes(`${code} is being reviewed`),
        );
    await eventually("both reporters hear of it", () => heard(sari.id, first) && heard(budi.id, second));
  });

  it("/kasus shows the case; /antrian counts cases and tickets separately", async () => {
    const [first, second] = codes as [string, string];
    const admin = officer(t.api, 8690, "Wati", "admin");
    const shown = await say(t.api, admin.user, `/kasus ${second}`, "Kasus");
    expect(shown.text).toContain(`Kasus ${first}: 2 tiket (2 terbuka), 2 pelapor independen`);
    expect(shown.text).toContain(second);
    const queue = await say(t.api, admin.user, "/antrian", "Tiket terbuka");
    expect(queue.text).toContain("1 kasus (2 tiket tertaut)");
    const alone = await say(t.api, admin.user, "/kasus HK-2222", "Ketik /kasus");
    expect(alone.text).toContain("/kasus HK-7K3Q9M");
  });

  it("Unlink takes the ticket out of the case again (audited)", async () => {
    const [first, second] = codes as [string, string];
    const admin = officer(t.api, 8690, "Wati", "admin");
    const linked = cardIn(t.api, second)!;
    const unlink = buttonData(linked).find((data) => data.startsWith("tkt:ul:"))!;
    await press(t.api, admin.user, unlink, linked);
    await eventually(
      "the lead card drops the case line",
      () => !cardIn(t.api, first)?.text?.includes("Kasus"),
    );
    const events = await t.query((db) =>
      db.reportEvent.findMany({
        where: { report: { code: second }, type: { in: ["CASE_LINKED", "CASE_UNLINKED"] } },
      }),
    );
    expect(events.map((event) => event.type).sort()).toEqual(["CASE_LINKED", "CASE_UNLINKED"]);
  });
});
