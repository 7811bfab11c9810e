import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputFile } from "grammy";
import { exportTickets } from "../../domain/insight/ticket-export.ts";
import type { BotContext } from "../common/context.ts";
import { isBadRequest, readRequest } from "./insight-request.ts";
import { insightServices, periodLabel } from "./insight-services.ts";

/**
 * `/ekspor [period] [csv|xlsx]` (admins): the period's tickets as a file, streamed from the database into a
 * temporary file and sent as a document; the file is deleted afterwards.
 */
export async function exportCommand(ctx: BotContext, text: string, now = new Date()): Promise<void> {
  const services = insightServices(ctx.app);
  const t = services.staffT;
  const options = { protect_content: ctx.app.config.protectContent };
  const request = await readRequest(ctx, text, now, { levels: ["province", "regency"], category: true });
  if (isBadRequest(request)) {
    await ctx.reply(`${t(request.errorKey, request.params)}\n${t("insight:errors.examplesExport")}`, options);
    return;
  }
  const { filter, args } = request;
  const format = args.format ?? "csv";
  const period = periodLabel(t, services.locale, filter.period);
  const dir = await mkdtemp(join(tmpdir(), "awasi-export-"));
  try {
    const name = `awasi-tiket-${filter.period.from}_${filter.period.to}.${format}`;
    const result = await exportTickets({
      db: ctx.app.db,
      filter,
      regions: await ctx.app.regions(),
      followUpDays: services.followUpDays,
      format,
      path: join(dir, name),
    });
    if (result.rows === 0) {
      await ctx.reply(t("insight:export.empty", { period }), options);
      return;
    }
    ctx.logger.info({ rows: result.rows, format }, "tickets exported");
    await ctx.replyWithDocument(new InputFile(result.path, name), {
      caption: t("insight:export.caption", { count: result.rows, period, format: format.toUpperCase() }),
      ...options,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
