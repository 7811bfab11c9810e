import { Composer } from "../common/composer.ts";
import type { BackgroundWorker, BotContext, WorkerDeps } from "../common/context.ts";
import { createDigestWorkers } from "./digest.ts";
import { exportCommand } from "./export-command.ts";
import { insightCommandNames } from "./insight-commands.ts";
import { insightRefusal } from "./insight-guard.ts";
import { insightServices } from "./insight-services.ts";
import { mapCommand } from "./map-command.ts";
import { summaryCommand } from "./summary-command.ts";

export { insightStaffCommands } from "./insight-commands.ts";

/**
 * Officers' insight in the staff group (issue 11): `/peta` (vulnerability map), `/rekap` (statistics chart),
 * `/ekspor` (CSV/XLSX, admins). Elsewhere, and for non-members, they are refused.
 */
export function createInsightFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const guarded =
    (need: "officer" | "admin", run: (ctx: BotContext, text: string) => Promise<void>) =>
    async (ctx: BotContext & { match: string | RegExpMatchArray }) => {
      const refusal = await insightRefusal(ctx, need);
      if (refusal) {
        ctx.logger.info({ reason: refusal }, "insight command refused");
        const t = ctx.chat?.type === "private" ? ctx.t : insightServices(ctx.app).staffT;
        await ctx.reply(t(`insight:errors.${refusal}`), { protect_content: ctx.app.config.protectContent });
        return;
      }
      await ctx
        .replyWithChatAction(need === "admin" ? "upload_document" : "upload_photo")
        .catch(() => undefined);
      await run(ctx, typeof ctx.match === "string" ? ctx.match : "");
    };
  feature.command(insightCommandNames("map"), guarded("officer", mapCommand));
  feature.command(insightCommandNames("summary"), guarded("officer", summaryCommand));
  feature.command(insightCommandNames("export"), guarded("admin", exportCommand));
  return feature;
}

/** The daily digest (DIGEST_TIME in TZ), sent once to the staff group however many instances run. */
export function createInsightWorkers(deps: WorkerDeps): BackgroundWorker[] {
  return createDigestWorkers(deps);
}
