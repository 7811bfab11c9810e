import { parseTicketCode } from "../../domain/report/ticket-code.ts";
import { isOpen, type ReportStatus } from "../../domain/ticket/workflow.ts";
import { TRIAGE_OUTBOX } from "../../domain/triage/outbox-kinds.ts";
import { missingCards, openQueue, searchTickets } from "../../domain/triage/ticket-queries.ts";
import type { Ticket } from "../../domain/triage/ticket-store.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext, Translate } from "../common/context.ts";
import type { Locale } from "../common/locale.ts";
import { answerFormatter } from "../common/report-format.ts";
import { type CardContext, historyLines, remainingLabel, renderCard, statusLabel } from "./card.ts";
import { triageServices } from "./services.ts";
import { officerOf } from "./staff-guard.ts";

/** Officers' commands: each has an Indonesian and an English name; both work, the menu shows STAFF_LOCALE's. */
export const STAFF_COMMANDS = {
  ticket: { id: "tiket", en: "ticket" },
  queue: { id: "antrian", en: "queue" },
  search: { id: "cari", en: "search" },
  case: { id: "kasus", en: "case" },
  cancel: { id: "batal", en: "cancel" },
} as const satisfies Record<string, Record<Locale, string>>;

type StaffCommand = keyof typeof STAFF_COMMANDS;
const names = (command: StaffCommand): string[] => [...new Set(Object.values(STAFF_COMMANDS[command]))];

/** Both names of the cancel command (a pending question is cancelled by either). */
export const CANCEL_COMMANDS: readonly string[] = names("cancel");

/** The staff group's command menu (`setMyCommands` with scope `{ type: "chat", chat_id: STAFF_CHAT_ID }`). */
export function staffCommandMenu(locale: Locale, t: Translate) {
  return (Object.keys(STAFF_COMMANDS) as StaffCommand[]).map((key) => ({
    command: STAFF_COMMANDS[key][locale],
    description: t(`triage:menu.${key}`),
  }));
}

const QUEUE_LIMIT = 40;
const SEARCH_LIMIT = 20;
const HISTORY_LIMIT = 15;

/** A link to a message of a supergroup (`https://t.me/c/<id>/<message>`), for officers to jump to a card. */
export function messageLink(
  chatId: bigint | number,
  messageId: bigint | number,
  threadId?: bigint | null,
): string | undefined {
  const id = String(chatId);
  if (!id.startsWith("-100")) return undefined;
  const thread = threadId ? `?thread=${threadId}` : "";
  return `https://t.me/c/${id.slice(4)}/${messageId}${thread}`;
}

/** The ticket code as HTML: a link to its card when it has one. */
export function codeLink(ticket: Ticket): string {
  const link =
    ticket.staffChatId !== null && ticket.staffMessageId !== null
      ? messageLink(ticket.staffChatId, ticket.staffMessageId, ticket.staffThreadId)
      : undefined;
  return link ? `<a href="${link}">${ticket.code}</a>` : `<code>${ticket.code}</code>`;
}

/** One line of a ticket list: code, category, status, legal time left, officer. */
export function ticketLine(ctx: CardContext, ticket: Ticket): string {
  const format = answerFormatter(ctx.t, ctx.locale, ctx.regions);
  return ctx.t("triage:queue.line", {
    code: codeLink(ticket),
    category: format.category(ticket.category),
    status: statusLabel(ctx.t, ticket.status),
    remaining: remainingLabel(ctx, ticket),
    who: ticket.assigneeName ?? ctx.t("triage:queue.unclaimed"),
  });
}

/**
 * `/tiket KODE` (the card and its history), `/antrian` (open tickets, unclaimed first, then by legal time left),
 * `/cari TEXT` (code, chronology, answers, place, region). Only in the staff group, only for current members;
 * elsewhere they are refused.
 */
export function staffCommands(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  const guarded =
    (handler: (ctx: BotContext & { match: string }) => Promise<unknown>) =>
    async (ctx: BotContext & { match: string | RegExpMatchArray }) => {
      const officer = await officerOf(ctx);
      if (officer === "notStaffChat") {
        ctx.logger.info("staff command outside the staff group refused");
        await ctx.reply(ctx.t("triage:command.staffOnly"));
        return;
      }
      if (typeof officer === "string") {
        ctx.logger.warn({ reason: officer }, "staff command refused: not a member");
        await ctx.reply(ctx.t(`triage:alerts.${officer}`), {
          protect_content: ctx.app.config.protectContent,
        });
        return;
      }
      await handler(ctx as BotContext & { match: string });
    };

  composer.command(names("ticket"), guarded(showTicket));
  composer.command(names("queue"), guarded(showQueue));
  composer.command(names("search"), guarded(search));
  composer.command(names("case"), guarded(showCase));
  return composer;
}

/** How the staff commands answer: protected, without link previews. */
const replyOptions = (ctx: BotContext) => ({
  protect_content: ctx.app.config.protectContent,
  link_preview_options: { is_disabled: true },
});

/** The ticket a command names (`/tiket KODE`, `/kasus KODE`); else answers with the usage or "not found". */
async function namedTicket(
  ctx: BotContext & { match: string },
  usageKey: string,
): Promise<Ticket | undefined> {
  const services = triageServices(ctx.app);
  const code = parseTicketCode(ctx.match.trim());
  if (!code) {
    await ctx.reply(services.staffT(usageKey), replyOptions(ctx));
    return undefined;
  }
  const ticket = await services.store.byCode(code);
  if (!ticket) await ctx.reply(services.staffT("triage:command.notFound", { code }), replyOptions(ctx));
  return ticket ?? undefined;
}

async function showTicket(ctx: BotContext & { match: string }): Promise<void> {
  const services = triageServices(ctx.app);
  const options = replyOptions(ctx);
  const ticket = await namedTicket(ctx, "triage:command.ticketUsage");
  if (!ticket) return;
  const cardContext = await services.cardContext();
  const [last, events, total] = await Promise.all([
    services.store.lastAction(ticket.id),
    services.store.history(ticket.id, HISTORY_LIMIT),
    services.store.countEvents(ticket.id),
  ]);
  const history = historyLines(cardContext, events, total).join("\n");
  const view = renderCard(cardContext, ticket, last, { chronologyChars: 300, extra: `\n${history}` });
  await ctx.reply(view.text, { ...options, reply_markup: view.keyboard });
}

async function showQueue(ctx: BotContext): Promise<void> {
  const services = triageServices(ctx.app);
  const cardContext = await services.cardContext();
  const t = services.staffT;
  const queue = await openQueue(ctx.app.db, QUEUE_LIMIT);
  const options = {
    protect_content: ctx.app.config.protectContent,
    link_preview_options: { is_disabled: true },
  };
  if (queue.open === 0) {
    await ctx.reply(t("triage:queue.empty"), options);
    return;
  }
  const title = t("triage:queue.title", { open: queue.open, unclaimed: queue.unclaimed });
  const cases =
    queue.cases > 0 ? t("cases:queue", { cases: queue.cases, tickets: queue.ticketsInCases }) : "";
  const lines = [`${title}${cases}`];
  // A ticket whose card is not in the group is marked, so that a delivery that failed is seen.
  const withoutCard = await missingCards(
    ctx.app.db,
    queue.tickets.filter((ticket) => ticket.staffMessageId === null).map((ticket) => ticket.id),
    TRIAGE_OUTBOX.card,
  );
  for (const ticket of queue.tickets) {
    const missing = withoutCard.get(ticket.id);
    const mark =
      missing === "missing" ? t("faults:queue.cardMissing") : missing ? t("faults:queue.cardWaiting") : "";
    lines.push(mark ? `${ticketLine(cardContext, ticket)} · ${mark}` : ticketLine(cardContext, ticket));
  }
  if (queue.open > queue.tickets.length)
    lines.push(t("triage:queue.more", { count: queue.open - queue.tickets.length }));
  await ctx.reply(lines.join("\n"), options);
}

/** `/kasus KODE`: the case a ticket belongs to, every ticket of it and how many people reported it. */
async function showCase(ctx: BotContext & { match: string }): Promise<void> {
  const services = triageServices(ctx.app);
  const t = services.staffT;
  const options = replyOptions(ctx);
  const ticket = await namedTicket(ctx, "cases:command.usage");
  if (!ticket) return;
  const summary = ticket.caseId ? await services.cases.summary(ticket.caseId) : null;
  if (!summary) {
    await ctx.reply(t("cases:command.notInCase", { code: ticket.code }), options);
    return;
  }
  const cardContext = await services.cardContext();
  const tickets = await Promise.all(summary.tickets.map((item) => services.store.byId(item.id)));
  const open = summary.tickets.filter((item) => isOpen(item.status as ReportStatus)).length;
  const lines = [
    t("cases:command.title", {
      lead: summary.tickets[0]!.code,
      tickets: summary.tickets.length,
      open,
      reporters: summary.independentReporters,
    }),
    ...tickets.flatMap((item) => (item ? [ticketLine(cardContext, item)] : [])),
  ];
  await ctx.reply(lines.join("\n"), options);
}

async function search(ctx: BotContext & { match: string }): Promise<void> {
  const services = triageServices(ctx.app);
  const t = services.staffT;
  const options = {
    protect_content: ctx.app.config.protectContent,
    link_preview_options: { is_disabled: true },
  };
  const query = ctx.match.trim().slice(0, 100);
  if (query.length < 2) {
    await ctx.reply(t("triage:search.usage"), options);
    return;
  }
  const regions = await ctx.app.regions();
  const needle = query.toLowerCase();
  const regionCodes = regions
    .search(query, { limit: 20 })
    .filter((region) => region.name.toLowerCase().includes(needle))
    .map((region) => region.code);
  const code = parseTicketCode(query);
  const found = await searchTickets(ctx.app.db, code ?? query, regionCodes, SEARCH_LIMIT);
  if (found.length === 0) {
    await ctx.reply(t("triage:search.none", { query }), options);
    return;
  }
  const cardContext = await services.cardContext();
  const lines = [t("triage:search.title", { query, count: found.length })];
  for (const ticket of found) lines.push(ticketLine(cardContext, ticket));
  await ctx.reply(lines.join("\n"), options);
}
