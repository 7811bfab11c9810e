import { TRIAGE_OUTBOX } from "../../domain/triage/outbox-kinds.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { triageServices } from "./services.ts";

/**
 * Deliveries that failed, seen from the update side:
 * - when the bot is given back the right to post in the staff group (Telegram sends `my_chat_member`), the staff
 *   messages that wait for their next retry are made due now, so the alert and the queued cards go out at once;
 * - a reporter whose answer could not be copied to the officers (they deleted it) is told on their next message
 *   to the bot, then that message goes on as usual. The parked outbox rows (`reporter.replyLost`) name only the
 *   ticket; they are found through the reporter's (encrypted) list of reports.
 */
export function deliveryFaults(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on("my_chat_member", async (ctx, next) => {
    const member = ctx.myChatMember.new_chat_member;
    const canPost =
      member.status === "administrator" ||
      member.status === "member" ||
      (member.status === "restricted" && member.can_send_messages);
    if (ctx.chat.id !== ctx.app.config.staffChatId || !canPost) return next();
    const woken = await ctx.app.db.outboxMessage.updateMany({
      where: { status: "PENDING", kind: { startsWith: "staff." }, availableAt: { gt: new Date() } },
      data: { availableAt: new Date() },
    });
    ctx.logger.info(
      { status: member.status, woken: woken.count },
      "the bot may post in the staff group again",
    );
    return next();
  });

  composer
    .chatType("private")
    .on("message", (ctx, next) =>
      triageServices(ctx.app).lostReplies.knownNone() ? next() : tellLostReplies(ctx).then(next),
    );

  return composer;
}

async function tellLostReplies(ctx: BotContext & { from: { id: number } }): Promise<void> {
  // Telling is a courtesy: a failure here (the database out of reach) must not hold up the message itself.
  const codes = await lostReplyCodes(ctx).catch((error: unknown) => {
    ctx.logger.warn({ err: error }, "could not look for lost answers");
    return [];
  });
  if (codes.length > 0) await ctx.reply(ctx.t("faults:reporter.replyLost", { codes: codes.join(", ") }));
}

/** Codes of the tickets whose answers from this reporter were lost, marked as told in the same statement. */
async function lostReplyCodes(ctx: BotContext & { from: { id: number } }): Promise<string[]> {
  const { db } = ctx.app;
  const services = triageServices(ctx.app);
  // Almost always none: a remembered look before reading the reporter's list of reports.
  if (!(await services.lostReplies.anyParked())) return [];
  const reportIds = await services.links.reportIds(db, ctx.from.id);
  if (reportIds.length === 0) return [];
  const rows = await db.$queryRaw<Array<{ code: string }>>`
    WITH lost AS (
      UPDATE outbox SET status = 'DONE', delivered_at = now(), updated_at = now()
      WHERE kind = ${TRIAGE_OUTBOX.replyLost} AND status = 'PENDING'
        AND payload->>'reportId' = ANY(${reportIds}::text[])
      RETURNING payload->>'reportId' AS report_id)
    SELECT DISTINCT r.code FROM reports r JOIN lost ON lost.report_id = r.id::text ORDER BY r.code`;
  return rows.map((row) => row.code);
}
