import { classifyTelegramError } from "../../domain/pacing/backoff.ts";
import type { Ticket } from "../../domain/triage/ticket-store.ts";
import type { BotContext } from "../common/context.ts";
import { reportFormDocument } from "./report-form-service.ts";
import { triageServices } from "./services.ts";
import type { Officer } from "./staff-guard.ts";

type CallbackContext = BotContext & { callbackQuery: NonNullable<BotContext["callbackQuery"]> };

/**
 * "Formulir" on a card: an administrator gets the filled-in report form in their private chat with the bot, never
 * in the group (an identified report's form names the reporter). Audited as FORM_ISSUED.
 */
export async function sendFormToAdmin(ctx: CallbackContext, officer: Officer, ticket: Ticket): Promise<void> {
  const services = triageServices(ctx.app);
  const t = services.staffT;
  if (officer.actor.role !== "admin") {
    await ctx.answerCallbackQuery({ text: t("reportForm:adminsOnly"), show_alert: true });
    return;
  }
  const document = await reportFormDocument(ctx.app, ticket, new Date());
  try {
    await ctx.api.sendDocument(Number(officer.identity.id), document, {
      caption: t("reportForm:caption", { code: ticket.code }),
      protect_content: ctx.app.config.protectContent,
    });
  } catch (error) {
    const kind = classifyTelegramError(error).kind;
    if (kind !== "blocked" && kind !== "badRequest") throw error;
    ctx.logger.info({ report_id: ticket.id }, "report form not sent: no private chat with the administrator");
    await ctx.answerCallbackQuery({ text: t("reportForm:startPrivateChat"), show_alert: true });
    return;
  }
  await services.store.recordEvent(
    ticket.id,
    { type: "FORM_ISSUED", status: ticket.status, note: "admin" },
    officer.identity,
  );
  ctx.logger.info({ report_id: ticket.id }, "report form sent to an administrator");
  await ctx.answerCallbackQuery({ text: t("reportForm:sentPrivately") });
}
