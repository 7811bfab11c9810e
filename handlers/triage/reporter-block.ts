import { createReporterBlocks } from "../../domain/privacy/reporter-block.ts";
import { parseTicketCode } from "../../domain/report/ticket-code.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext, Translate } from "../common/context.ts";
import type { Locale } from "../common/locale.ts";
import { triageServices } from "./services.ts";
import { officerOf } from "./staff-guard.ts";

/** Blocking commands (administrators): each has an Indonesian and an English name; both work. */
export const BLOCK_COMMANDS = {
  block: { id: "blokir", en: "block" },
  unblock: { id: "buka_blokir", en: "unblock" },
} as const satisfies Record<string, Record<Locale, string>>;

type BlockCommand = keyof typeof BLOCK_COMMANDS;
const names = (command: BlockCommand) => [...new Set(Object.values(BLOCK_COMMANDS[command]))];

/** The blocking part of the staff group's command menu. */
export function blockCommandMenu(locale: Locale, t: Translate) {
  return (Object.keys(BLOCK_COMMANDS) as BlockCommand[]).map((key) => ({
    command: BLOCK_COMMANDS[key][locale],
    description: t(`roster:menu.${key}`),
  }));
}

/**
 * `/blokir KODE` and `/buka_blokir KODE`: an administrator blocks (or unblocks) the reporter behind a ticket.
 * The reporter is never told: their further reports get the same thanks as anyone's and go nowhere
 * (handlers/report). Both are recorded on the ticket's audit trail.
 */
export function reporterBlock(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  for (const command of ["block", "unblock"] as const) {
    composer.command(names(command), async (ctx) => {
      const t = triageServices(ctx.app).staffT;
      const options = { protect_content: ctx.app.config.protectContent };
      const officer = await officerOf(ctx);
      if (officer === "notStaffChat") {
        await ctx.reply(ctx.t("triage:command.staffOnly"));
        return;
      }
      if (typeof officer === "string") {
        await ctx.reply(ctx.t(`triage:alerts.${officer}`), options);
        return;
      }
      if (officer.actor.role !== "admin") {
        await ctx.reply(t("roster:block.adminOnly"), options);
        return;
      }
      const code = parseTicketCode(ctx.match.trim());
      if (!code) {
        await ctx.reply(t(`roster:block.usage.${command}`), options);
        return;
      }
      const ticket = await triageServices(ctx.app).store.byCode(code);
      if (!ticket) {
        await ctx.reply(t("triage:command.notFound", { code }), options);
        return;
      }
      const blocks = createReporterBlocks(ctx.app.db, ctx.app.cipher);
      const outcome =
        command === "block"
          ? await blocks.block(ticket, officer.identity)
          : await blocks.unblock(ticket, officer.identity);
      ctx.logger.info({ report_id: ticket.id, outcome }, "reporter block command");
      await ctx.reply(t(`roster:block.${outcome}`, { code: ticket.code }), options);
    });
  }
  return composer;
}
