import { InlineKeyboard } from "grammy";
import { type MatchReason, readDuplicateHint } from "../../domain/case/incident-match.ts";
import { type FollowUpTicket, type LegalDeadline, RULES } from "../../domain/legal-clock/deadlines.ts";
import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import type { Category } from "../../domain/report/categories.ts";
import { formatDate } from "../../domain/report/dates.ts";
import { formatRemaining } from "../../domain/ticket/deadlines.ts";
import {
  FORWARD_DESTINATIONS,
  isOpen,
  REJECT_REASONS,
  type ReportStatus,
  type TicketState,
} from "../../domain/ticket/workflow.ts";
import { cardActions } from "../../domain/triage/staff-policy.ts";
import type { Ticket } from "../../domain/triage/ticket-store.ts";
import type { ReportEvent } from "../../generated/prisma/client.ts";
import type { Translate } from "../common/context.ts";
import { escapeHtml } from "../common/html.ts";
import type { Locale } from "../common/locale.ts";
import { answerFormatter } from "../common/report-format.ts";
import { type CardCallback, cardData } from "./callback-data.ts";

/** Telegram's limit for a message text (after entity parsing); the HTML we build is never shorter than that text. */
const MESSAGE_LIMIT = 4096;
/** Room kept free for the longest footer and rounding. */
const SAFETY = 96;
/** Characters of the chronology a card shows before "More". */
export const CARD_CHRONOLOGY_CHARS = 700;

export interface CardView {
  text: string;
  keyboard: InlineKeyboard;
}

/** Everything a card shows besides the ticket row. */
export interface CardContext {
  t: Translate;
  locale: Locale;
  regions: RegionCatalog;
  now: Date;
  /** The ticket's legal follow-up deadline (handlers/common/legal-clock.ts). */
  deadlineOf: (ticket: FollowUpTicket) => LegalDeadline;
}

/** The workflow's view of a ticket row. */
export const ticketState = (ticket: Ticket): TicketState => ({
  status: ticket.status,
  assigneeId: ticket.assigneeId,
  anonymous: ticket.anonymous,
});

const WIB = "Asia/Jakarta";
const DATE_TIME = {
  id: new Intl.DateTimeFormat("id-ID", { dateStyle: "medium", timeStyle: "short", timeZone: WIB }),
  en: new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: WIB }),
} as const;

/** "24 Nov 2026, 14.02 WIB": officers work in Jakarta time whatever the server's zone. */
export function formatDateTime(date: Date, locale: Locale): string {
  return `${DATE_TIME[locale].format(date)} WIB`;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Cuts text to at most `max` characters (code points) at a word boundary where one is near, adding "…". */
export function shorten(text: string, max: number): { text: string; cut: boolean } {
  const chars = Array.from(text);
  if (chars.length <= max) return { text, cut: false };
  let head = chars.slice(0, Math.max(0, max - 1)).join("");
  const space = head.search(/\s\S*$/);
  if (space > head.length * 0.8) head = head.slice(0, space);
  return { text: `${head.trimEnd()}…`, cut: true };
}

/** A status with its emoji, e.g. "🔎 In review". */
export const statusLabel = (t: Translate, status: ReportStatus) => t(`triage:status.${status}`);

/** "6 days 23 hours left" or "overdue by 5 hours". */
export function remainingLabel(ctx: CardContext, ticket: FollowUpTicket): string {
  const ms = ctx.deadlineOf(ticket).at.getTime() - ctx.now.getTime();
  const time = formatRemaining(ms, ctx.locale);
  return ms < 0 ? time : ctx.t("triage:time.left", { time });
}

/**
 * The rule behind a deadline, for officers: "7 hari kerja (UU 7/2017 Pasal 454; Perbawaslu 7/2022), melewati
 * libur: 2026-03-20 Cuti bersama Idul Fitri".
 */
export function ruleLabel(t: Translate, deadline: LegalDeadline): string {
  const rule = t(`legalClock:rule.${deadline.rule}`, { basis: RULES[deadline.rule].basis });
  if (deadline.skipped.length === 0) return rule;
  const days = deadline.skipped.map((holiday) => `${holiday.date} ${holiday.name}`).join(", ");
  return t("legalClock:card.skipping", { rule, days });
}

/** The location of a ticket as HTML: region names, or the coordinates of a pin. */
export function locationLabel(ctx: CardContext, ticket: Ticket): string {
  const format = answerFormatter(ctx.t, ctx.locale, ctx.regions);
  if (ticket.regencyCode) {
    return format.location({
      type: "region",
      provinceCode: ticket.provinceCode ?? "",
      regencyCode: ticket.regencyCode,
      districtCode: ticket.districtCode ?? undefined,
    });
  }
  if (ticket.latitude !== null && ticket.longitude !== null) {
    return format.location({ type: "point", latitude: ticket.latitude, longitude: ticket.longitude });
  }
  return ctx.t("report:format.notGiven");
}

/** How an event reads in the card's footer and in the history. */
export function eventLabel(t: Translate, event: Pick<ReportEvent, "type" | "toStatus" | "note">): string {
  if (event.type === "STATUS_CHANGED" && event.toStatus) {
    return t("triage:events.STATUS_CHANGED", { status: statusLabel(t, event.toStatus) });
  }
  if (event.type === "IDENTIFIED") return t("legalClock:events.IDENTIFIED");
  return t(`triage:events.${event.type}`);
}

/** An event's note in words: a destination or reason code becomes its label; other notes are shown escaped. */
export function noteLabel(t: Translate, note: string | null): string | undefined {
  if (!note) return undefined;
  const [head = "", ...rest] = note.split(" ");
  if ((FORWARD_DESTINATIONS as readonly string[]).includes(head)) return t(`triage:destination.${head}`);
  if ((REJECT_REASONS as readonly string[]).includes(head)) {
    const reason = t(`triage:reason.${head}`);
    return rest.length > 0 ? `${reason} ${escapeHtml(rest.join(" "))}` : reason;
  }
  if (note === "unclaimed" || note === "deadlineNear") return undefined;
  return `“${escapeHtml(shorten(note, 80).text)}”`;
}

/**
 * A ticket card: code, category, status, officer, age and legal time left, when and where, the category's answers,
 * the chronology (shortened, with a More button, when long), evidence count, the reporter's pseudonym, the last
 * action; and the buttons valid in its status. Every citizen text is escaped (answerFormatter, escapeHtml), so a
 * hostile chronology cannot break or forge the card.
 */
export function renderCard(
  ctx: CardContext,
  ticket: Ticket,
  lastAction: ReportEvent | null,
  options: { chronologyChars?: number; extra?: string } = {},
): CardView {
  const { t, locale } = ctx;
  const lead = ticket.case?.reports[0];
  if (lead && lead.id !== ticket.id) return collapsedCard(t, ticket, lead.code);
  const format = answerFormatter(t, locale, ctx.regions);
  const category = ticket.category as Category;
  const head: string[] = [
    t("triage:card.title", { code: ticket.code, category: format.category(category) }),
    t("triage:card.status", { status: statusLabel(t, ticket.status) }),
    ticket.assigneeId === null
      ? t("triage:card.unassigned")
      : t("triage:card.assignee", { name: ticket.assigneeName ?? String(ticket.assigneeId) }),
  ];
  if (ticket.forwardedTo) {
    head.push(t("triage:card.forwardedTo", { destination: t(`triage:destination.${ticket.forwardedTo}`) }));
  }
  if (ticket.rejectReason) {
    const reason = t(`triage:reason.${ticket.rejectReason}`);
    const duplicate = ticket.duplicateOfCode
      ? t("triage:card.duplicateOf", { code: ticket.duplicateOfCode })
      : "";
    head.push(t("triage:card.rejected", { reason: duplicate ? `${reason} (${duplicate})` : reason }));
  }
  const age = formatRemaining(ctx.now.getTime() - ticket.createdAt.getTime(), locale);
  const deadline = ctx.deadlineOf(ticket);
  head.push(
    t("triage:card.received", { date: formatDateTime(ticket.createdAt, locale), age }),
    t("triage:card.deadline", {
      date: formatDateTime(deadline.at, locale),
      remaining: remainingLabel(ctx, ticket),
    }),
    t("legalClock:card.rule", { rule: ruleLabel(t, deadline) }),
    t("triage:card.happened", {
      occurred: formatDate(isoDay(ticket.occurredOn), locale),
      learned: formatDate(isoDay(ticket.learnedOn), locale),
    }),
    t("triage:card.where", { location: locationLabel(ctx, ticket) }),
  );
  if (ticket.placeNote) head.push(t("triage:card.place", { note: ticket.placeNote }));
  const details = format.details(category, (ticket.details ?? {}) as Record<string, unknown>);

  const tail: string[] = [
    ticket._count.evidence > 0
      ? t("triage:card.evidence", { count: ticket._count.evidence })
      : t("triage:card.evidenceNone"),
    t("triage:card.reporter", {
      pseudonym: reporterLabel(t, ticket),
      kind: t(ticket.anonymous ? "triage:card.anonymous" : "triage:card.identified"),
    }),
  ];
  // No follow-up, erased or unlinked: questions cannot reach anyone.
  if (!ticket.reporterLinkEnc) tail.push(t("erasure:card.unreachable"));
  const caseLine = caseSummaryLine(t, ticket);
  if (caseLine) tail.push(caseLine);
  const hint = duplicateHintOf(ticket);
  if (hint)
    tail.push(t("cases:card.possibleDuplicate", { code: hint.code, why: duplicateWhy(t, hint.reasons) }));
  if (lastAction) {
    const action = eventLabel(t, lastAction);
    const date = formatDateTime(lastAction.createdAt, locale);
    tail.push(
      lastAction.actorName
        ? t("triage:card.last", { action, name: lastAction.actorName, date })
        : t("triage:card.lastSystem", { action, date }),
    );
  }
  if (options.extra) tail.push(options.extra);

  const fixed = [...head, ...details, ...tail].join("\n").length + SAFETY;
  const room = Math.max(
    80,
    Math.min(options.chronologyChars ?? CARD_CHRONOLOGY_CHARS, MESSAGE_LIMIT - fixed - 200),
  );
  const chronology = shorten(ticket.chronology, room);
  const body = [
    ...head,
    ...details,
    t("triage:card.chronology", { text: escapeHtml(chronology.text) }),
    ...(chronology.cut ? [t("triage:card.shortened")] : []),
    ...tail,
  ];
  return { text: body.join("\n"), keyboard: cardKeyboard(t, ticket, chronology.cut) };
}

/** "Pelapor #A7F2": the reporter's pseudonym on this report (each report has its own). */
export function reporterLabel(t: Translate, ticket: Pick<Ticket, "pseudonym">): string {
  return t("triage:card.pseudonym", { id: ticket.pseudonym ?? "?" });
}

/** The card's buttons: the workflow actions valid in its status, then evidence, full text, map pin, contact. */
export function cardKeyboard(t: Translate, ticket: Ticket, shortened: boolean): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  const code = ticket.code;
  const button = (label: string, callback: CardCallback) => keyboard.text(label, cardData(callback));
  let inRow = 0;
  for (const action of cardActions(ticketState(ticket))) {
    if (action === "forward") button(t("triage:buttons.forward"), { verb: "forwardMenu", code });
    else if (action === "reject") button(t("triage:buttons.reject"), { verb: "rejectMenu", code });
    else if (action === "infoReceived") continue;
    else button(t(`triage:buttons.${action}`), { verb: action, code } as CardCallback);
    if (++inRow % 2 === 0) keyboard.row();
  }
  keyboard.row();
  if (ticket._count.evidence > 0) {
    button(t("triage:buttons.evidence", { count: ticket._count.evidence }), { verb: "evidence", code });
  }
  if (shortened) button(t("triage:buttons.more"), { verb: "more", code });
  if (ticket.latitude !== null && ticket.longitude !== null)
    button(t("triage:buttons.pin"), { verb: "pin", code });
  keyboard.row();
  if (!ticket.anonymous) button(t("triage:buttons.revealContact"), { verb: "revealContact", code });
  if (isOpen(ticket.status)) button(t("reportForm:button"), { verb: "form", code });
  if (duplicateHintOf(ticket)) {
    keyboard.row();
    button(t("cases:buttons.link"), { verb: "link", code });
    button(t("cases:buttons.notSame"), { verb: "notSame", code });
  }
  return keyboard;
}

/** The duplicate proposal a card shows: only while the ticket is in no case. */
export function duplicateHintOf(ticket: Ticket) {
  return ticket.caseId ? undefined : readDuplicateHint(ticket.duplicateHint);
}

/** "same post URL, 2 days apart": the reasons of a duplicate proposal in one line. */
export function duplicateWhy(t: Translate, reasons: MatchReason[]): string {
  return reasons
    .map((reason) => {
      switch (reason.kind) {
        case "nearby":
          return t("cases:reason.nearby", { meters: reason.meters });
        case "daysApart":
          return reason.days === 0
            ? t("cases:reason.sameDay")
            : t("cases:reason.daysApart", { count: reason.days });
        case "similarText":
          return t("cases:reason.similarText", { percent: reason.percent });
        default:
          return t(`cases:reason.${reason.kind}`);
      }
    })
    .join(", ");
}

/** The lead card's case line: tickets and independent reporters (never who). */
export function caseSummaryLine(t: Translate, ticket: Ticket): string | undefined {
  const tickets = ticket.case?.reports;
  if (!tickets || tickets.length < 2) return undefined;
  return t("cases:card.case", {
    count: tickets.length,
    reporters: ticket.case?.reporterCount,
    codes: tickets.map((item) => item.code).join(", "),
  });
}

/** A linked ticket's card: one line pointing at the case's lead, with Unlink. */
function collapsedCard(t: Translate, ticket: Ticket, leadCode: string): CardView {
  const text = t("cases:card.collapsed", {
    code: ticket.code,
    lead: leadCode,
    status: statusLabel(t, ticket.status),
  });
  const keyboard = new InlineKeyboard().text(
    t("cases:buttons.unlink"),
    cardData({ verb: "unlink", code: ticket.code }),
  );
  return { text, keyboard };
}

/** Where to forward a verified ticket; Back restores the card's buttons. */
export function forwardKeyboard(t: Translate, code: string): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const destination of FORWARD_DESTINATIONS) {
    keyboard
      .text(t(`triage:destination.${destination}`), cardData({ verb: "forward", destination, code }))
      .row();
  }
  return keyboard.text(t("triage:buttons.back"), cardData({ verb: "back", code }));
}

/** Why a ticket is rejected; Back restores the card's buttons. */
export function rejectKeyboard(t: Translate, code: string): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const reason of REJECT_REASONS) {
    keyboard.text(t(`triage:reason.${reason}`), cardData({ verb: "reject", reason, code })).row();
  }
  return keyboard.text(t("triage:buttons.back"), cardData({ verb: "back", code }));
}

/** The history lines of `/tiket`: date · action (note) · who. */
export function historyLines(
  ctx: Pick<CardContext, "t" | "locale">,
  events: ReportEvent[],
  total: number,
): string[] {
  const { t } = ctx;
  const lines = [t("triage:card.historyTitle")];
  if (total > events.length) lines.push(t("triage:card.historyMore", { count: total - events.length }));
  for (const event of events) {
    const note = noteLabel(t, event.note);
    const action = note ? `${eventLabel(t, event)} · ${note}` : eventLabel(t, event);
    lines.push(
      t("triage:card.historyLine", {
        date: formatDateTime(event.createdAt, ctx.locale),
        action,
        name: event.actorName ?? t("triage:card.systemActor"),
      }),
    );
  }
  return lines;
}
