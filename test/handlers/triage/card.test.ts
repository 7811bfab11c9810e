import { beforeAll, describe, expect, it } from "vitest";
import { createI18n } from "../../../bot/i18n.ts";
import { electionCalendar, followUpDeadline } from "../../../domain/legal-clock/deadlines.ts";
import { createHolidayCalendar } from "../../../domain/legal-clock/holiday-calendar.ts";
import { getRegionCatalog } from "../../../domain/regions/region-catalog.ts";
import type { Ticket } from "../../../domain/triage/ticket-store.ts";
import type { Evidence } from "../../../generated/prisma/client.ts";
import { cardData, parseAnswerData, parseCardData } from "../../../handlers/triage/callback-data.ts";
import type { CardContext } from "../../../handlers/triage/card.ts";
import { renderCard, shorten } from "../../../handlers/triage/card.ts";
import { evidenceGroups } from "../../../handlers/triage/staff-delivery.ts";

const NOW = new Date("2026-11-24T03:00:00Z");

function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: "7c0f3a52-5a1e-4d6e-9b0e-4c1f4b1b2a10",
    code: "PU-7K3Q9M",
    category: "MONEY_POLITICS",
    status: "NEW",
    reporterLinkEnc: "x",
    draftId: "d1",
    anonymous: true,
    reporterNameEnc: null,
    reporterPhoneEnc: null,
    locale: "id",
    occurredOn: new Date("2026-11-23T00:00:00Z"),
    learnedOn: new Date("2026-11-23T00:00:00Z"),
    provinceCode: "31",
    regencyCode: "31.74",
    districtCode: "31.74.01",
    latitude: null,
    longitude: null,
    placeNote: "TPS 12 <RT 03>",
    chronology: "Tim sukses membagikan amplop.",
    details: { mp_given: ["CASH"], mp_giver: 'Caleg "nomor 3" & <timnya>' },
    assigneeId: null,
    assigneeName: null,
    forwardedTo: null,
    rejectReason: null,
    duplicateOfCode: null,
    staffChatId: null,
    staffMessageId: null,
    staffThreadId: null,
    subscribeOffered: false,
    createdAt: new Date("2026-11-24T01:00:00Z"),
    updatedAt: NOW,
    closedAt: null,
    personalDataPurgedAt: null,
    pseudonym: "A7F2",
    _count: { evidence: 0 },
    ...overrides,
  } as Ticket;
}

/** Telegram's HTML parse: what officers read (tags removed, the four entities decoded). */
const visible = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

describe("ticket cards", () => {
  let context: CardContext;
  beforeAll(async () => {
    const i18n = await createI18n("id");
    context = {
      t: i18n.forLocale("id"),
      locale: "id",
      regions: await getRegionCatalog(),
      now: NOW,
      deadlineOf: (ticket) =>
        followUpDeadline(ticket, "pemilu", createHolidayCalendar(), electionCalendar([])),
    };
  });

  it("escapes every citizen text, so the card's markup is only the bot's own", () => {
    const hostile = '</code></b><a href="tg://x">klik</a> & <script>';
    const view = renderCard(context, ticket({ chronology: hostile }), null);
    const tags = [...view.text.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(["b"]));
    expect(visible(view.text)).toContain(hostile);
    expect(visible(view.text)).toContain('Caleg "nomor 3" & <timnya>');
    expect(visible(view.text)).toContain("Tempat: TPS 12 <RT 03>");
    expect(visible(view.text)).toContain("Diterima: 24 Nov 2026, 08.00 WIB (2 jam lalu)");
    expect(visible(view.text)).toContain("Batas tindak lanjut: 4 Des 2026, 00.00 WIB (sisa 9 hari 14 jam)");
    expect(visible(view.text)).toContain("Pelapor: Pelapor #A7F2 · informasi awal anonim");
  });

  it("shortens a long chronology with a Full text button, and stays within Telegram's 4096 characters", () => {
    const long = "Warga antre di depan rumah ketua RT lalu menerima amplop. ".repeat(60);
    const details = {
      mp_given: ["CASH", "GOODS"],
      mp_giver: "x".repeat(300),
      mp_beneficiary: "y".repeat(200),
    };
    const view = renderCard(context, ticket({ chronology: long, details, _count: { evidence: 3 } }), null);
    expect(view.text.length).toBeLessThan(4096);
    expect(visible(view.text)).toContain("(dipersingkat: tekan 📄 Teks lengkap)");
    expect(
      view.keyboard.inline_keyboard.flat().map((b) => ("callback_data" in b ? b.callback_data : "")),
    ).toEqual([
      "tkt:cl:PU-7K3Q9M",
      "tkt:rj:PU-7K3Q9M",
      "tkt:ev:PU-7K3Q9M",
      "tkt:mo:PU-7K3Q9M",
      "tkt:fm:PU-7K3Q9M",
    ]);
  });

  it("cuts text at a word where it can, never inside a surrogate pair", () => {
    expect(shorten("satu dua tiga empat lima", 16)).toEqual({ text: "satu dua tiga…", cut: true });
    expect(shorten("pendek", 10)).toEqual({ text: "pendek", cut: false });
    expect(shorten("😀😀😀😀", 3)).toEqual({ text: "😀😀…", cut: true });
  });

  it("shows status, officer, destination, reason and the last action", () => {
    const view = renderCard(
      context,
      ticket({
        status: "REJECTED",
        assigneeId: 5n,
        assigneeName: "Rudi <admin>",
        rejectReason: "DUPLICATE",
        duplicateOfCode: "PU-2222AA",
      }),
      {
        id: 1n,
        reportId: "x",
        type: "STATUS_CHANGED",
        actorId: 5n,
        actorName: "Rudi <admin>",
        fromStatus: "NEW",
        toStatus: "REJECTED",
        note: null,
        createdAt: NOW,
      },
    );
    const text = visible(view.text);
    expect(text).toContain("Status: ✖️ Ditolak");
    expect(text).toContain("Petugas: Rudi <admin>");
    expect(text).toContain("Ditolak: Duplikat (duplikat dari PU-2222AA)");
    expect(text).toContain("Terakhir: status: ✖️ Ditolak · Rudi <admin> · 24 Nov 2026, 10.00 WIB");
    expect(view.keyboard.inline_keyboard.flat().map((b) => b.text)).toEqual(["🔄 Buka kembali"]);
  });
});

describe("callback data", () => {
  it("round-trips every card button within 64 bytes", () => {
    const code = "PU-7K3Q9M";
    const all = [
      ...(["claim", "release", "askReporter", "verify", "close", "reopen", "revealContact"] as const).map(
        (verb) => ({ verb, code }),
      ),
      ...(["forwardMenu", "rejectMenu", "back", "evidence", "more", "pin"] as const).map((verb) => ({
        verb,
        code,
      })),
      { verb: "forward" as const, destination: "KASN_BKN" as const, code },
      { verb: "reject" as const, reason: "DUPLICATE" as const, code },
    ];
    for (const callback of all) {
      const data = cardData(callback);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(parseCardData(data)).toEqual(callback);
    }
  });

  it("reads nothing from malformed or forged data", () => {
    for (const data of [
      "tkt:cl",
      "tkt:zz:PU-7K3Q9M",
      "tkt:cl:PU-0OOOOO",
      "tkt:fd:Q:PU-7K3Q9M",
      "tkt:cl:x:PU-7K3Q9M",
      "rep:cl:PU-7K3Q9M",
    ]) {
      expect(parseCardData(data), data).toBeUndefined();
    }
    expect(parseAnswerData("ans:pu7k3q9m")).toEqual({ kind: "reply", code: "PU-7K3Q9M" });
    expect(parseAnswerData("ans:done")).toEqual({ kind: "done" });
    expect(parseAnswerData("ans:nonsense")).toBeUndefined();
  });
});

describe("evidence albums", () => {
  const item = (kind: Evidence["kind"], mediaGroupId: string | null, position: number): Evidence =>
    ({
      id: String(position),
      reportId: "r",
      kind,
      fileId: `f${position}`,
      fileUniqueId: null,
      mediaGroupId,
      fileNameEnc: null,
      mimeType: null,
      fileSize: null,
      caption: null,
      url: null,
      position,
      createdAt: NOW,
    }) as Evidence;

  it("keeps an album together where Telegram can, and sends the rest alone", () => {
    const groups = evidenceGroups([
      item("PHOTO", "a", 0),
      item("VIDEO", "a", 1),
      item("DOCUMENT", "a", 2),
      item("DOCUMENT", "b", 3),
      item("DOCUMENT", "b", 4),
      item("VOICE", null, 5),
      item("LINK", null, 6),
    ]);
    expect(groups.map((group) => group.map((e) => e.position))).toEqual([[0, 1], [2], [3, 4], [5], [6]]);
  });
});
