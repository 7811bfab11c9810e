import { InlineKeyboard } from "grammy";
import { RULES } from "../../domain/legal-clock/deadlines.ts";
import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import { formatDate } from "../../domain/report/dates.ts";
import type { ReportStore } from "../../domain/report/report-store.ts";
import { parseTicketCode } from "../../domain/report/ticket-code.ts";
import { isOpen } from "../../domain/ticket/workflow.ts";
import { commandNames } from "../common/commands.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { canBecomeFormal, FORMAL_CALLBACK, legalClockOf } from "../common/legal-clock.ts";
import { MENU } from "../common/menu.ts";
import { answerFormatter } from "../common/report-format.ts";

const PAGE_SIZE = 5;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * "My reports": `/status` lists the citizen's own tickets, newest first, paged; a code opens its detail, and so
 * does `/status KODE`. Another citizen's code reads exactly like an unknown one.
 */
export function createMyReportsFeature(deps: { store: ReportStore; regions: () => Promise<RegionCatalog> }) {
  const feature = new Composer<BotContext>();
  const citizen = feature.chatType("private");

  async function list(ctx: BotContext, page: number): Promise<void> {
    const { total, items } = await deps.store.listForReporter(ctx.from!.id, page, PAGE_SIZE);
    if (total === 0) {
      await ctx.reply(ctx.t("myReports:empty"), {
        reply_markup: new InlineKeyboard().text(ctx.t("welcome:menu.report"), MENU.report),
      });
      return;
    }
    const format = answerFormatter(ctx.t, ctx.locale, await deps.regions());
    const pages = Math.ceil(total / PAGE_SIZE);
    const lines = [ctx.t("myReports:title", { count: total, page, pages })];
    const keyboard = new InlineKeyboard();
    for (const report of items) {
      lines.push(
        ctx.t("myReports:line", {
          code: report.code,
          category: format.category(report.category),
          status: ctx.t(`myReports:status.${report.status}`),
          date: formatDate(isoDay(report.updatedAt), ctx.locale),
        }),
      );
      keyboard.text(report.code, `mine:o:${report.code}`).row();
    }
    if (page > 1) keyboard.text("◀️", `mine:p:${page - 1}`);
    if (page < pages) keyboard.text("▶️", `mine:p:${page + 1}`);
    await ctx.reply(lines.join("\n\n"), { reply_markup: keyboard });
  }

  async function detail(ctx: BotContext, typed: string): Promise<void> {
    const code = parseTicketCode(typed);
    const report = code ? await deps.store.findForReporter(ctx.from!.id, code) : null;
    if (!report) {
      await ctx.reply(ctx.t("myReports:notFound"));
      return;
    }
    const format = answerFormatter(ctx.t, ctx.locale, await deps.regions());
    const location =
      report.districtCode || report.regencyCode
        ? format.location({
            type: "region",
            provinceCode: report.provinceCode ?? "",
            regencyCode: report.regencyCode ?? "",
            districtCode: report.districtCode ?? undefined,
          })
        : report.latitude !== null && report.longitude !== null
          ? format.location({ type: "point", latitude: report.latitude, longitude: report.longitude })
          : ctx.t("report:format.notGiven");
    const lines = [
      ctx.t("myReports:detail", {
        code: report.code,
        category: format.category(report.category),
        status: ctx.t(`myReports:status.${report.status}`),
        explanation: ctx.t(`myReports:statusExplained.${report.status}`),
        created: formatDate(isoDay(report.createdAt), ctx.locale),
        updated: formatDate(isoDay(report.updatedAt), ctx.locale),
        occurred: formatDate(isoDay(report.occurredOn), ctx.locale),
        location,
        evidence: report._count.evidence,
        identity: ctx.t(`report:options.identity.${report.anonymous ? "ANONYMOUS" : "IDENTIFIED"}`),
      }),
      ...deadlineLines(ctx, report),
    ];
    const keyboard = canBecomeFormal(report, ctx.app.config)
      ? new InlineKeyboard().text(ctx.t("legalClock:formal.button"), FORMAL_CALLBACK.explain(report.code))
      : undefined;
    await ctx.reply(lines.join("\n"), { reply_markup: keyboard });
  }

  /** What happens next, the officers' follow-up deadline and the reporter's formal-report days left. */
  function deadlineLines(
    ctx: BotContext,
    report: NonNullable<Awaited<ReturnType<ReportStore["findForReporter"]>>>,
  ): string[] {
    const clock = legalClockOf(ctx.app.config);
    const lines = ["", ctx.t(`legalClock:status.next.${report.status}`)];
    if (isOpen(report.status)) {
      const deadline = clock.followUp(report);
      lines.push(
        ctx.t("legalClock:status.followUp", {
          date: formatDate(deadline.lastDay, ctx.locale),
          rule: ctx.t(`legalClock:rule.${deadline.rule}`, { basis: RULES[deadline.rule].basis }),
        }),
      );
    }
    if (report.anonymous && isOpen(report.status)) {
      const window = clock.formalReport(report.learnedOn, new Date());
      const date = formatDate(window.deadline, ctx.locale);
      lines.push(
        window.daysLeft > 0
          ? ctx.t("legalClock:status.formalOpen", {
              date,
              left: ctx.t(`report:deadline.left.${window.counting}`, { count: window.daysLeft }),
            })
          : ctx.t("legalClock:status.formalPassed", { date }),
      );
    }
    return lines;
  }

  citizen.command(commandNames("myReports"), async (ctx) => {
    const typed = ctx.match.trim();
    if (typed) await detail(ctx, typed);
    else await list(ctx, 1);
  });
  citizen.callbackQuery(MENU.myReports, async (ctx) => {
    await ctx.answerCallbackQuery();
    await list(ctx, 1);
  });
  citizen.callbackQuery(/^mine:p:(\d{1,4})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await list(ctx, Math.max(1, Number(ctx.match[1])));
  });
  citizen.callbackQuery(/^mine:o:([A-Z0-9-]{3,16})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await detail(ctx, ctx.match[1]!);
  });
  return feature;
}
