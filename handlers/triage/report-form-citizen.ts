import type { ReportStore } from "../../domain/report/report-store.ts";
import { parseTicketCode } from "../../domain/report/ticket-code.ts";
import { commandNames } from "../common/commands.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { reportFormDocument } from "./report-form-service.ts";

/**
 * `/formulir KODE` in a private chat: the reporter of an identified report gets the filled-in form with their own
 * data, to sign and bring to the office. Another citizen's code reads like an unknown one. Audited as FORM_ISSUED.
 */
export function createCitizenFormFeature(deps: { store: ReportStore }): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType("private").command(commandNames("form"), async (ctx) => {
    const code = parseTicketCode(ctx.match.trim());
    if (!code) {
      await ctx.reply(ctx.t("reportForm:usage"));
      return;
    }
    const report = await deps.store.findForReporter(ctx.from.id, code);
    if (!report) {
      await ctx.reply(ctx.t("reportForm:notYours", { code }));
      return;
    }
    if (report.anonymous || !report.reporterNameEnc) {
      await ctx.reply(ctx.t("reportForm:anonymousTicket", { code }));
      return;
    }
    const document = await reportFormDocument(ctx.app, report, new Date());
    await ctx.replyWithDocument(document, { caption: ctx.t("reportForm:caption", { code }) });
    await ctx.app.db.reportEvent.create({
      data: { reportId: report.id, type: "FORM_ISSUED", note: "reporter" },
    });
    ctx.logger.info({ report_id: report.id }, "report form sent to its reporter");
  });
  return feature;
}
