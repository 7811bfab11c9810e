import { InlineKeyboard } from "grammy";
import { EVERYONE, parseAudience } from "../../domain/broadcast/audience.ts";
import type { Broadcast } from "../../generated/prisma/client.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { escapeHtml } from "../common/html.ts";
import { adminOf, refusalKey } from "./admin-guard.ts";
import { BC, BROADCAST_ACTION, type BroadcastAction } from "./callbacks.ts";
import { readComposer, writeComposer } from "./composer-state.ts";
import { progressView } from "./progress-view.ts";
import { audienceLabel, composerCard, formatNumber, progressKeyboard } from "./render.ts";
import { broadcastServices } from "./services.ts";

const safe = { interpolation: { escapeValue: false } } as const;

/**
 * The buttons on stored broadcasts, for administrators only, whoever composed them: Send (or Request approval),
 * Edit and Cancel on a preview; Approve and Reject on a request (never by its author); Pause, Resume and Cancel
 * on the progress message. Every change is conditional on the state the button was made for, so a double tap,
 * a second admin or a second instance cannot apply it twice.
 */
export function controlsFeature(): Composer<BotContext> {
  const controls = new Composer<BotContext>();
  const staff = controls.filter((ctx) => ctx.chat?.id === ctx.app.config.staffChatId);

  staff.callbackQuery(BROADCAST_ACTION, async (ctx) => {
    const services = broadcastServices(ctx.app);
    const { staffT: t, store } = services;
    const action = ctx.match[1] as BroadcastAction;
    const id = ctx.match[2]!;
    const admin = await adminOf(ctx);
    if (typeof admin === "string") {
      ctx.logger.info({ action, broadcast_id: id, reason: admin }, "announcement action refused");
      await ctx.answerCallbackQuery({ text: t(refusalKey(admin)), show_alert: true });
      return;
    }
    const broadcast = await store.get(id);
    if (!broadcast) {
      await ctx.answerCallbackQuery({ text: ctx.t("common:expiredButton") });
      return;
    }
    const alreadyHandled = (status: string | null) =>
      ctx.answerCallbackQuery({
        text: t("broadcast:alreadyHandled", { status: t(`broadcast:status.${status ?? broadcast.status}`) }),
        show_alert: true,
      });
    const isAuthor = broadcast.createdById === BigInt(admin.id);
    ctx.logger.info({ action, broadcast_id: id, admin_id: admin.id }, "announcement action");

    switch (action) {
      case "send": {
        if (!isAuthor) {
          await ctx.answerCallbackQuery({ text: t("broadcast:composerGone"), show_alert: true });
          return;
        }
        if (ctx.app.config.broadcastTwoPerson) {
          const result = await store.requestApproval(id);
          if (!result.ok) return void (await alreadyHandled(result.status));
          forgetComposer(ctx);
          await ctx.answerCallbackQuery();
          const count = (await store.countAudience(audienceOf(result.broadcast))).total;
          await ctx.editMessageText(
            t("broadcast:awaitingApproval", {
              author: escapeHtml(broadcast.createdByName ?? admin.name),
              audience: audienceLabel(t, await ctx.app.regions(), audienceOf(result.broadcast)),
              count: formatNumber(count, services.staffLocale),
              ...safe,
            }),
            {
              reply_markup: new InlineKeyboard()
                .text(t("broadcast:buttons.approve"), BC.approve(id))
                .text(t("broadcast:buttons.reject"), BC.reject(id)),
            },
          );
          return;
        }
        const result = await store.start(id, admin, {
          requireApproval: false,
          channelId: ctx.app.config.publicChannelId,
        });
        if (!result.ok) return void (await alreadyHandled(result.status));
        forgetComposer(ctx);
        await ctx.answerCallbackQuery();
        await showStarted(ctx, result.broadcast);
        return;
      }
      case "ok": {
        if (isAuthor) {
          ctx.logger.info({ broadcast_id: id }, "an author tried to approve their own announcement");
          await ctx.answerCallbackQuery({ text: t("broadcast:cannotApproveOwn"), show_alert: true });
          return;
        }
        const result = await store.start(id, admin, {
          requireApproval: true,
          channelId: ctx.app.config.publicChannelId,
        });
        if (!result.ok) return void (await alreadyHandled(result.status));
        await ctx.answerCallbackQuery();
        await showStarted(ctx, result.broadcast);
        return;
      }
      case "no":
      case "drop": {
        if (broadcast.status !== "DRAFT" && broadcast.status !== "AWAITING_APPROVAL") {
          return void (await alreadyHandled(broadcast.status));
        }
        const result = await store.cancel(id);
        if (!result.ok) return void (await alreadyHandled(result.status));
        if (isAuthor) forgetComposer(ctx);
        await ctx.answerCallbackQuery();
        await ctx.editMessageText(
          t(action === "no" ? "broadcast:rejected" : "broadcast:dropped", { name: admin.name }),
        );
        return;
      }
      case "edit": {
        const state = readComposer(ctx.session, Date.now());
        if (!isAuthor || !state || broadcast.status !== "DRAFT") {
          await ctx.answerCallbackQuery({ text: t("broadcast:composerGone"), show_alert: true });
          return;
        }
        const result = await store.cancel(id);
        if (!result.ok) return void (await alreadyHandled(result.status));
        await ctx.answerCallbackQuery();
        const card = composerCard(t, await ctx.app.regions(), { ...state, step: "options" });
        await ctx.editMessageText(card.text, { reply_markup: card.keyboard });
        const pressed = ctx.callbackQuery.message?.message_id;
        writeComposer(ctx.session, { ...state, step: "options", cardMessageId: pressed }, Date.now());
        return;
      }
      case "pause":
      case "resume": {
        const result = action === "pause" ? await store.pause(id) : await store.resume(id);
        if (!result.ok) return void (await alreadyHandled(result.status));
        services.wake();
        await ctx.answerCallbackQuery({
          text: t(action === "pause" ? "broadcast:paused" : "broadcast:resumed"),
        });
        await refreshProgress(ctx, id);
        return;
      }
      case "stop": {
        if (broadcast.status !== "SENDING" && broadcast.status !== "PAUSED") {
          return void (await alreadyHandled(broadcast.status));
        }
        await ctx.answerCallbackQuery({ text: t("broadcast:progress.confirmStop"), show_alert: true });
        await ctx.editMessageReplyMarkup({
          reply_markup: new InlineKeyboard()
            .text(t("broadcast:buttons.stopConfirm"), BC.stopConfirm(id))
            .text(t("broadcast:buttons.stopAbort"), BC.stopAbort(id)),
        });
        return;
      }
      case "stopy": {
        if (broadcast.status !== "SENDING" && broadcast.status !== "PAUSED") {
          return void (await alreadyHandled(broadcast.status));
        }
        const result = await store.cancel(id);
        if (!result.ok) return void (await alreadyHandled(result.status));
        services.wake();
        await ctx.answerCallbackQuery({ text: t("broadcast:stopped") });
        await refreshProgress(ctx, id);
        return;
      }
      case "stopn": {
        await ctx.answerCallbackQuery();
        await ctx.editMessageReplyMarkup({ reply_markup: progressKeyboard(t, id, broadcast.status) });
        return;
      }
    }
  });

  return controls;
}

function audienceOf(broadcast: Broadcast) {
  try {
    return parseAudience(broadcast.audience);
  } catch {
    return EVERYONE;
  }
}

function forgetComposer(ctx: BotContext): void {
  if (readComposer(ctx.session, Date.now())) writeComposer(ctx.session, undefined, Date.now());
}

/** Turns the pressed message into the progress message and lets this process' sender start at once. */
async function showStarted(ctx: BotContext, broadcast: Broadcast): Promise<void> {
  const services = broadcastServices(ctx.app);
  const message = ctx.callbackQuery?.message;
  if (message) await services.store.setProgressMessage(broadcast.id, message.chat.id, message.message_id);
  services.wake();
  const { screen } = progressView(services, await ctx.app.regions(), broadcast);
  await ctx.editMessageText(screen.text, { reply_markup: screen.keyboard });
}

/** Edits the progress message now (after Pause, Resume, Cancel) and takes the edit turn from the workers. */
async function refreshProgress(ctx: BotContext, id: string): Promise<void> {
  const services = broadcastServices(ctx.app);
  const broadcast = (await services.store.takeProgressTurn(id, 0)) ?? (await services.store.get(id));
  if (!broadcast) return;
  const { screen } = progressView(services, await ctx.app.regions(), broadcast);
  await ctx.editMessageText(screen.text, { reply_markup: screen.keyboard }).catch((error: unknown) => {
    if (!String(error).includes("message is not modified")) throw error;
  });
}
