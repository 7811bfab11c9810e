import { randomBytes } from "node:crypto";
import { InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { createReporterBlocks } from "../../domain/privacy/reporter-block.ts";
import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import { addDays, parseReportDate, todayInJakarta } from "../../domain/report/dates.ts";
import {
  type EvidenceItem,
  isExpired,
  newDraft,
  type ReportDraft,
  readDraft,
} from "../../domain/report/draft.ts";
import {
  addEvidence,
  answer,
  back,
  currentStep,
  edit,
  removeEvidence,
  settle,
  skip,
  toSubmission,
} from "../../domain/report/flow.ts";
import { parseLinks } from "../../domain/report/links.ts";
import { normalizeIndonesianPhone } from "../../domain/report/phone.ts";
import type { ReportStore } from "../../domain/report/report-store.ts";
import { STEP_BY_ID, type Step } from "../../domain/report/steps.ts";
import { storableText } from "../../domain/report/storable-text.ts";
import { sealAnsweredWitnesses } from "../../domain/witness/witnesses.ts";
import { commandNames } from "../common/commands.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { legalClockOf } from "../common/legal-clock.ts";
import { MENU } from "../common/menu.ts";
import { CB, parseReportCallback, type ReportCallback } from "./callbacks.ts";
import { evidenceFromMessage } from "./evidence.ts";
import { type RenderContext, renderStep, type Screen } from "./render.ts";
import { cachedText } from "./texts.ts";

export interface ReportFeatureDeps {
  store: ReportStore;
  regions: () => Promise<RegionCatalog>;
  /** An untouched draft expires after this. */
  draftTtlMs: number;
  now?: () => Date;
}

/** Telegram splits a text longer than 4096 characters into messages sent within the same second or two. */
const SPLIT_PART_MIN_LENGTH = 4000;
const SPLIT_PART_MAX_GAP_SECONDS = 2;

/** Whether a message continues the last typed text: that one's last part was full, and this one came right after. */
function isContinuation(last: NonNullable<ReportDraft["lastText"]>, date: number): boolean {
  return (
    (last.partLength ?? last.text.length) >= SPLIT_PART_MIN_LENGTH &&
    date - last.date <= SPLIT_PART_MAX_GAP_SECONDS
  );
}

/**
 * The citizen's report conversation: /lapor → category → the category's questions → when → where → chronology
 * → evidence → identity → review → ticket. The steps are data (domain/report/steps.ts); this file routes
 * Telegram input to the engine (domain/report/flow.ts) and shows the result.
 */
export function createReportFeature(deps: ReportFeatureDeps): Composer<BotContext> {
  const now = deps.now ?? (() => new Date());
  const feature = new Composer<BotContext>();
  const citizen = feature.chatType("private");

  async function renderContext(ctx: BotContext): Promise<RenderContext> {
    return {
      t: ctx.t,
      locale: ctx.locale,
      regions: await deps.regions(),
      evidenceLimit: ctx.app.config.evidenceLimit,
      votingDays: ctx.app.config.votingDays,
      electionKind: ctx.app.config.electionKind,
      holidays: legalClockOf(ctx.app.config).calendar,
      now: now(),
      reveal: (ciphertext) => ctx.app.cipher.decrypt(ciphertext),
    };
  }

  /** The draft in the session, or undefined; an expired one is dropped with a note. */
  async function loadDraft(ctx: BotContext): Promise<ReportDraft | undefined> {
    if (ctx.session.report === undefined) return undefined;
    const draft = readDraft(ctx.session.report);
    if (!draft) {
      ctx.logger.error("unreadable report draft in session; kept aside");
      ctx.session.unreadableReport = ctx.session.report;
      ctx.session.report = undefined;
      return undefined;
    }
    if (isExpired(draft, now().getTime(), deps.draftTtlMs)) {
      ctx.session.report = undefined;
      await ctx.reply(ctx.t("report:expired", { hours: Math.round(deps.draftTtlMs / 3_600_000) }));
      return undefined;
    }
    return settle(draft);
  }

  function save(ctx: BotContext, draft: ReportDraft | undefined): void {
    ctx.session.report = draft;
  }

  async function show(ctx: BotContext, screen: Screen, prefix?: string): Promise<void> {
    for (const text of screen.before ?? []) {
      await ctx.reply(text, { link_preview_options: { is_disabled: true } });
    }
    if (screen.replyKeyboard) {
      await ctx.reply(screen.replyKeyboard.text, { reply_markup: screen.replyKeyboard.keyboard });
    }
    const text = prefix ? `${prefix}\n\n${screen.text}` : screen.text;
    await ctx.reply(text, { reply_markup: screen.keyboard, link_preview_options: { is_disabled: true } });
  }

  /** Shows the draft's current step; with a hint first when the last input was refused. */
  async function ask(ctx: BotContext, draft: ReportDraft, hint?: string): Promise<void> {
    save(ctx, draft);
    await show(ctx, renderStep(draft, currentStep(draft), await renderContext(ctx)), hint);
  }

  /**
   * Shows the draft's current step after a button press in the pressed message itself: one editMessageText
   * replaces its text and buttons, so the pressed buttons are gone in the same call (before, removing them and
   * sending the step were two). A step with Telegram's location or contact button sends that reply keyboard in a
   * message of its own after the edit (an edit cannot carry one). A step whose current answer is shown in full
   * above it, or a pressed message that cannot be edited (not a text of this bot's, or Telegram refuses), is sent
   * as new messages after removing the pressed buttons, as before.
   */
  async function askInPlace(
    ctx: BotContext,
    draft: ReportDraft,
    closeButtons: () => Promise<unknown>,
  ): Promise<void> {
    save(ctx, draft);
    const screen = renderStep(draft, currentStep(draft), await renderContext(ctx));
    if (editable(ctx, screen)) {
      const edited = await ctx
        .editMessageText(screen.text, {
          reply_markup: screen.keyboard as InlineKeyboard | undefined,
          link_preview_options: { is_disabled: true },
        })
        .then(
          () => true,
          () => false,
        );
      if (edited) {
        if (screen.replyKeyboard)
          await ctx.reply(screen.replyKeyboard.text, { reply_markup: screen.replyKeyboard.keyboard });
        return;
      }
    }
    await closeButtons();
    await show(ctx, screen);
  }

  /** Whether the pressed message can become this screen: a text message of the bot's, an inline keyboard. */
  function editable(ctx: BotContext, screen: Screen): boolean {
    const pressed = ctx.callbackQuery?.message;
    return (
      pressed !== undefined &&
      pressed.date !== 0 &&
      "text" in pressed &&
      pressed.text !== undefined &&
      pressed.from?.id === ctx.me.id &&
      screen.before === undefined &&
      (screen.keyboard === undefined || screen.keyboard instanceof InlineKeyboard)
    );
  }

  /** Moves on after an answer, closing a reply keyboard (location, contact) that the next step does not use. */
  async function advance(ctx: BotContext, draft: ReportDraft, closeReplyKeyboard = false): Promise<void> {
    if (closeReplyKeyboard)
      await ctx.reply(ctx.t("report:received"), { reply_markup: { remove_keyboard: true } });
    await ask(ctx, draft);
  }

  async function start(ctx: BotContext): Promise<void> {
    const draft = await loadDraft(ctx);
    if (draft) {
      save(ctx, draft);
      const keyboard = new InlineKeyboard()
        .text(ctx.t("report:buttons.resume"), CB.resume)
        .row()
        .text(ctx.t("report:buttons.discard"), CB.discard);
      await ctx.reply(ctx.t("report:draftOpen"), { reply_markup: keyboard });
      return;
    }
    const id = randomBytes(9).toString("base64url");
    await ctx.reply(ctx.t("report:intro"));
    await ask(ctx, newDraft(id, now().getTime()));
  }

  citizen.command(commandNames("report"), start);
  citizen.callbackQuery(MENU.report, async (ctx) => {
    await ctx.answerCallbackQuery();
    await start(ctx);
  });

  citizen.command(commandNames("cancel"), async (ctx) => {
    const draft = await loadDraft(ctx);
    if (!draft) return ctx.reply(ctx.t("report:nothingToCancel"));
    save(ctx, draft);
    await confirmCancel(ctx);
  });

  async function confirmCancel(ctx: BotContext): Promise<void> {
    const keyboard = new InlineKeyboard()
      .text(ctx.t("report:buttons.cancelYes"), CB.cancelConfirm)
      .row()
      .text(ctx.t("report:buttons.cancelNo"), CB.resume);
    await ctx.reply(ctx.t("report:cancelConfirm"), { reply_markup: keyboard });
  }

  citizen.callbackQuery(/^rep:/, async (ctx) => {
    const callback = parseReportCallback(ctx.callbackQuery.data);
    if (callback?.action === "noop") return ctx.answerCallbackQuery();
    if (callback?.action === "submit") return submit(ctx, callback.draftId);
    const draft = await loadDraft(ctx);
    if (!callback || !draft) {
      await ctx.answerCallbackQuery({ text: ctx.t("report:noDraftButton"), show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await onCallback(ctx, draft, callback);
  });

  async function onCallback(ctx: BotContext, draft: ReportDraft, callback: ReportCallback): Promise<void> {
    const step = currentStep(draft);
    const at = now().getTime();
    const stale = "stepId" in callback && callback.action !== "edit" && callback.stepId !== step?.id;
    if (stale) return ask(ctx, draft, ctx.t("report:hints.oldButton"));
    // The pressed message has done its job: drop its buttons so it cannot be pressed again by mistake.
    const closeButtons = () => ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);

    switch (callback.action) {
      case "resume":
        return ask(ctx, draft);
      case "discard":
      case "cancelConfirm":
        save(ctx, undefined);
        await closeButtons();
        await ctx.reply(ctx.t("report:cancelled"), { reply_markup: { remove_keyboard: true } });
        return;
      case "cancel":
        return confirmCancel(ctx);
      case "back":
        return askInPlace(ctx, back(draft, at), closeButtons);
      case "skip": {
        if (!step?.optional) return ask(ctx, draft, ctx.t("report:hints.notOptional"));
        const skipped = skip(draft, step.id, at);
        if (step.kind !== "location" && step.kind !== "contact")
          return askInPlace(ctx, skipped, closeButtons);
        await closeButtons();
        return advance(ctx, skipped, true);
      }
      case "edit": {
        const editing = edit(draft, callback.stepId, at);
        if (!editing) return ask(ctx, draft, ctx.t("report:hints.oldButton"));
        return askInPlace(ctx, editing, closeButtons);
      }
      case "option":
        return onOption(ctx, draft, step, callback.index, closeButtons);
      case "toggle": {
        if (step?.kind !== "multi") return ask(ctx, draft, ctx.t("report:hints.oldButton"));
        const option = step.options[callback.index];
        if (!option) return ask(ctx, draft, ctx.t("report:hints.oldButton"));
        const selected = new Set(draft.selection ?? (draft.answers[step.id] as string[] | undefined) ?? []);
        if (selected.has(option)) selected.delete(option);
        else selected.add(option);
        const updated = {
          ...draft,
          selection: step.options.filter((item) => selected.has(item)),
          updatedAt: at,
        };
        save(ctx, updated);
        const screen = renderStep(updated, step, await renderContext(ctx));
        await ctx
          .editMessageText(screen.text, { reply_markup: screen.keyboard as InlineKeyboard })
          .catch(() => undefined);
        return;
      }
      case "done":
        if (step?.kind === "multi") {
          const selection = draft.selection ?? (draft.answers[step.id] as string[] | undefined) ?? [];
          if (selection.length === 0) return ask(ctx, draft, ctx.t("report:hints.pickAtLeastOne"));
          return askInPlace(
            ctx,
            answer({ ...draft, selection: undefined }, step.id, selection, at),
            closeButtons,
          );
        }
        if (step?.kind === "evidence") {
          const answered = answer({ ...draft, album: undefined }, step.id, draft.evidence.length, at);
          return askInPlace(ctx, answered, closeButtons);
        }
        return ask(ctx, draft, ctx.t("report:hints.oldButton"));
      case "region":
      case "regionPage":
      case "wholeRegency":
        if (step?.kind !== "location") return ask(ctx, draft, ctx.t("report:hints.oldButton"));
        return onRegion(ctx, draft, callback, closeButtons);
      case "removeFile": {
        const removed = step?.kind === "evidence" && removeEvidence(draft, callback.fileUniqueId, at);
        if (!removed) return ask(ctx, draft, ctx.t("report:hints.oldButton"));
        save(ctx, { ...removed, album: undefined });
        await closeButtons();
        const limit = ctx.app.config.evidenceLimit;
        await ctx.reply(ctx.t("pins:fileRemoved", { total: removed.evidence.length, limit }), {
          reply_markup: new InlineKeyboard().text(ctx.t("report:buttons.evidenceDone"), CB.done("evidence")),
        });
        return;
      }
      case "pinPrecision": {
        const location = draft.answers.location as { type?: string } | undefined;
        if (step || location?.type !== "point") return ask(ctx, draft, ctx.t("report:hints.oldButton"));
        const answers = { ...draft.answers, location: { ...location, exact: callback.exact } };
        return askInPlace(ctx, { ...draft, answers, updatedAt: at }, closeButtons);
      }
      default:
        return ask(ctx, draft);
    }
  }

  async function onOption(
    ctx: BotContext,
    draft: ReportDraft,
    step: Step | undefined,
    index: number,
    closeButtons: () => Promise<unknown>,
  ): Promise<void> {
    const at = now().getTime();
    if (step?.kind === "choice") {
      const option = step.options[index];
      if (!option) return ask(ctx, draft, ctx.t("report:hints.oldButton"));
      return askInPlace(ctx, answer(draft, step.id, option, at), closeButtons);
    }
    if (step?.kind === "date") {
      const date = quickDate(draft, step, index);
      if (!date) return ask(ctx, draft, ctx.t("report:hints.oldButton"));
      return answerDate(ctx, draft, step, date, closeButtons);
    }
    return ask(ctx, draft, ctx.t("report:hints.oldButton"));
  }

  /**
   * Today / Yesterday / the same day as it happened. The day in Jakarta is arithmetic on the clock (WIB has no
   * daylight saving time): building an Intl.DateTimeFormat for it cost about 0.3 ms on every press.
   */
  function quickDate(draft: ReportDraft, step: Step, index: number): string | undefined {
    const today = todayInJakarta(now());
    if (index === 0) return today;
    if (index === 1) return addDays(today, -1);
    if (index === 2 && step.id === "learned_on" && typeof draft.answers.occurred_on === "string") {
      return draft.answers.occurred_on;
    }
    return undefined;
  }

  async function answerDate(
    ctx: BotContext,
    draft: ReportDraft,
    step: Step,
    date: string,
    closeButtons?: () => Promise<unknown>,
  ): Promise<void> {
    const occurred = draft.answers.occurred_on;
    if (step.id === "learned_on" && typeof occurred === "string" && date < occurred) {
      return ask(ctx, draft, ctx.t("report:errors.learnedBeforeOccurred"));
    }
    let updated = answer(draft, step.id, date, now().getTime());
    // Changing when it happened to after when it became known makes the latter wrong: ask it again.
    const learned = updated.answers.learned_on;
    if (step.id === "occurred_on" && typeof learned === "string" && learned < date) {
      updated = { ...updated, answers: { ...updated.answers, learned_on: undefined }, stepId: "learned_on" };
    }
    // A pressed Today/Yesterday button shows the next step in its message; a typed date gets a new one.
    return closeButtons ? askInPlace(ctx, updated, closeButtons) : ask(ctx, updated);
  }

  async function onRegion(
    ctx: BotContext,
    draft: ReportDraft,
    callback: ReportCallback,
    closeButtons: () => Promise<unknown>,
  ): Promise<void> {
    const regions = await deps.regions();
    const at = now().getTime();
    if (callback.action === "regionPage") {
      const updated = {
        ...draft,
        picker: { parentCode: callback.parentCode, page: callback.page },
        updatedAt: at,
      };
      save(ctx, updated);
      const screen = renderStep(updated, currentStep(updated), await renderContext(ctx));
      await ctx
        .editMessageText(screen.text, { reply_markup: screen.keyboard as InlineKeyboard })
        .catch(() => undefined);
      return;
    }
    const code = callback.action === "region" ? callback.code : draft.picker?.parentCode;
    const region = code ? regions.get(code) : undefined;
    if (!region) return ask(ctx, draft, ctx.t("report:hints.oldButton"));
    if (region.level === "province" || (region.level === "regency" && callback.action === "region")) {
      const updated = { ...draft, picker: { parentCode: region.code, page: 1 }, updatedAt: at };
      save(ctx, updated);
      const screen = renderStep(updated, currentStep(updated), await renderContext(ctx));
      await ctx
        .editMessageText(screen.text, { reply_markup: screen.keyboard as InlineKeyboard })
        .catch(() => ask(ctx, updated));
      return;
    }
    const path = regions.path(region.code);
    const location = {
      type: "region" as const,
      provinceCode: path[0]!.code,
      regencyCode: path[1]!.code,
      districtCode: path[2]?.code,
    };
    await closeButtons();
    return advance(ctx, answer(draft, "location", location, at), true);
  }

  async function submit(ctx: BotContext, draftIdPrefix: string): Promise<void> {
    const last = ctx.session.lastSubmitted;
    if (last?.draftId.startsWith(draftIdPrefix)) {
      await ctx.answerCallbackQuery({
        text: ctx.t("report:alreadySubmitted", { code: last.code }),
        show_alert: true,
      });
      return;
    }
    const draft = await loadDraft(ctx);
    if (!draft?.id.startsWith(draftIdPrefix)) {
      await ctx.answerCallbackQuery({ text: ctx.t("report:noDraftButton"), show_alert: true });
      return;
    }
    const result = toSubmission(draft);
    if (!result.ok) {
      await ctx.answerCallbackQuery();
      return ask(
        ctx,
        { ...draft, stepId: result.stepId, fromReview: true },
        ctx.t("report:hints.incomplete"),
      );
    }
    const userId = ctx.from!.id;
    if ((await deps.store.countToday(userId, now())) >= ctx.app.config.reportsPerDay) {
      await ctx.answerCallbackQuery();
      await ctx.reply(ctx.t("report:dailyCap", { limit: ctx.app.config.reportsPerDay }));
      return;
    }
    if (await createReporterBlocks(ctx.app.db, ctx.app.cipher).isBlocked(userId)) {
      // Blocked by an administrator (/blokir): the same thanks as anyone's, and nothing is stored or forwarded.
      save(ctx, undefined);
      ctx.logger.info("report of a blocked reporter dropped");
      await ctx.answerCallbackQuery();
      await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
      await ctx.reply(ctx.t("erasure:blockedThanks"));
      return;
    }
    const outcome = await deps.store.submit({
      telegramUserId: userId,
      locale: ctx.locale,
      draftId: draft.id,
      submission: { ...result.value, witnessesEnc: sealAnsweredWitnesses(ctx.app.cipher, draft.answers) },
    });
    save(ctx, undefined);
    // A no-follow-up report leaves no trace in the session either: not even its code.
    if (!result.value.noTrace) ctx.session.lastSubmitted = { draftId: draft.id, code: outcome.code };
    ctx.logger.info({ report_id: outcome.reportId, created: outcome.created }, "report submitted");
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    const keyboard = new InlineKeyboard()
      .text(ctx.t("report:buttons.subscribe"), MENU.announcements)
      .row()
      .text(ctx.t("welcome:menu.myReports"), MENU.myReports);
    const hasFiles = result.value.evidence.some((item) => item.fileId !== undefined);
    const receipt = hasFiles ? `\n\n${ctx.t("evidence:receiptFollows")}` : "";
    const confirmation = ctx.t(result.value.noTrace ? "erasure:submittedNoTrace" : "report:submitted", {
      code: outcome.code,
    });
    await ctx.reply(`${confirmation}${receipt}`, { reply_markup: keyboard });
  }

  // Messages while a draft is open go to its current step; without a draft they pass on.
  citizen.on("message", async (ctx, next) => {
    // Commands (/status, /langganan, …) belong to their features even while a draft is open.
    const isCommand = ctx.message.entities?.some(
      (entity) => entity.type === "bot_command" && entity.offset === 0,
    );
    if (ctx.session.report === undefined || isCommand) return next();
    const draft = await loadDraft(ctx);
    if (!draft) return next();
    await onMessage(ctx, draft, ctx.message);
  });

  async function onMessage(ctx: BotContext, draft: ReportDraft, message: Message): Promise<void> {
    // The second part of a long message Telegram split (ten long links): the first part already answered its
    // step and moved the draft on; the joined text answers that step again.
    const continued = continuedStep(draft, message);
    if (continued) draft = { ...draft, stepId: continued };
    const step = currentStep(draft);
    const at = now().getTime();
    if (!step) return ask(ctx, draft, ctx.t("report:hints.review"));
    // The draft keeps parts of what was typed (JSON in the session): without NUL and lone surrogates.
    const text = message.text === undefined ? undefined : storableText(message.text);

    switch (step.kind) {
      case "choice": {
        const index = text === undefined ? -1 : matchOption(ctx, step, text);
        if (index < 0) return ask(ctx, draft, ctx.t("report:hints.choice"));
        return ask(ctx, answer(draft, step.id, step.options[index], at));
      }
      case "multi":
        return ask(ctx, draft, ctx.t("report:hints.multi"));
      case "text": {
        if (text === undefined) return ask(ctx, draft, ctx.t("report:hints.text"));
        const joined = joinSplitMessage(draft, message.date, text);
        const parsed = step.parse(joined);
        // Only a text long enough to be the first part of a split message is kept for joining, and never a
        // personal answer (a typed name sits in the draft only encrypted).
        const keepForJoining = !step.personal && joined.length >= SPLIT_PART_MIN_LENGTH;
        const withLast = {
          ...draft,
          lastText: keepForJoining
            ? { date: message.date, text: joined, stepId: step.id, partLength: text.length }
            : undefined,
        };
        if (!parsed.ok) return ask(ctx, withLast, errorHint(ctx, parsed.errorKey, joined));
        return ask(
          ctx,
          answer(
            { ...withLast },
            step.id,
            step.personal ? ctx.app.cipher.encrypt(String(parsed.value)) : parsed.value,
            at,
          ),
        );
      }
      case "date": {
        if (text === undefined) return ask(ctx, draft, ctx.t("report:hints.date"));
        const parsed = parseReportDate(text, now());
        if (!parsed.ok) return ask(ctx, draft, errorHint(ctx, parsed.errorKey, text));
        return answerDate(ctx, draft, step, parsed.value);
      }
      case "location": {
        const point = message.location ?? message.venue?.location;
        if (point) {
          const location = { type: "point" as const, latitude: point.latitude, longitude: point.longitude };
          return advance(ctx, answer(draft, step.id, location, at), true);
        }
        if (text === undefined || text.trim().length < 2)
          return ask(ctx, draft, ctx.t("report:hints.location"));
        const query = storableText(text.trim().slice(0, 60));
        return ask(ctx, { ...draft, picker: { parentCode: null, page: 1, query }, updatedAt: at });
      }
      case "evidence":
        return onEvidence(ctx, draft, message);
      case "contact": {
        if (message.contact) {
          if (message.contact.user_id !== undefined && message.contact.user_id !== ctx.from?.id) {
            return ask(ctx, draft, ctx.t("report:hints.ownContact"));
          }
          // The contact button gives the number without "+" for every country.
          const raw = message.contact.phone_number;
          const phone = normalizeIndonesianPhone(raw.startsWith("+") ? raw : `+${raw}`);
          if (!phone.ok) return ask(ctx, draft, errorHint(ctx, phone.errorKey, ""));
          return advance(ctx, answer(draft, step.id, ctx.app.cipher.encrypt(phone.value), at), true);
        }
        if (text === undefined) return ask(ctx, draft, ctx.t("report:hints.contact"));
        const phone = normalizeIndonesianPhone(text);
        if (!phone.ok) return ask(ctx, draft, errorHint(ctx, phone.errorKey, text));
        return advance(ctx, answer(draft, step.id, ctx.app.cipher.encrypt(phone.value), at), true);
      }
      default:
        return ask(ctx, draft);
    }
  }

  /** The text step a continuation of a split message belongs to, when the draft has moved past it. */
  function continuedStep(draft: ReportDraft, message: Message): string | undefined {
    const last = draft.lastText;
    if (message.text === undefined || !last?.stepId || last.stepId === draft.stepId) return undefined;
    return isContinuation(last, message.date) && STEP_BY_ID.get(last.stepId)?.kind === "text"
      ? last.stepId
      : undefined;
  }

  /** Joins this text to the previous one when both are parts of one long message that Telegram split. */
  function joinSplitMessage(draft: ReportDraft, date: number, text: string): string {
    const last = draft.lastText;
    return last !== undefined && isContinuation(last, date) ? `${last.text}${text}` : text;
  }

  async function onEvidence(ctx: BotContext, draft: ReportDraft, message: Message): Promise<void> {
    const at = now().getTime();
    const limit = ctx.app.config.evidenceLimit;
    let items: EvidenceItem[];
    const media = evidenceFromMessage(message);
    if (media) items = [media];
    else if (message.text !== undefined) {
      const links = parseLinks(message.text);
      if (!links.ok) return ask(ctx, draft, ctx.t("report:hints.evidence"));
      items = links.value.map((url) => ({ kind: "LINK" as const, url }));
    } else {
      return ask(ctx, draft, ctx.t(message.sticker ? "report:hints.sticker" : "report:hints.evidence"));
    }
    if (draft.evidence.length >= limit)
      return ask(ctx, draft, ctx.t("report:hints.evidenceLimit", { limit }));
    const accepted = items.slice(0, limit - draft.evidence.length);
    let updated = addEvidence(draft, accepted, at);
    const doneKeyboard = new InlineKeyboard().text(ctx.t("report:buttons.evidenceDone"), CB.done("evidence"));
    const count = updated.evidence.length;

    // An album arrives as one message per item: acknowledge it once and count up in place.
    const groupId = message.media_group_id;
    if (groupId && updated.album?.mediaGroupId === groupId) {
      const album = { ...updated.album, count: updated.album.count + 1 };
      updated = { ...updated, album };
      save(ctx, updated);
      await ctx.api
        .editMessageText(
          ctx.chat!.id,
          album.messageId,
          cachedText(ctx.t, "report:albumReceived", { count: album.count, total: count, limit }),
          {
            reply_markup: doneKeyboard,
          },
        )
        .catch(() => undefined);
      return;
    }
    const key = groupId ? "report:albumReceived" : "report:evidenceReceived";
    const kind = ctx.t(`report:evidenceKinds.${accepted[0]!.kind}`);
    const lines = [cachedText(ctx.t, key, { count: 1, total: count, limit, kind })];
    // A file keeps what a photo loses (GPS, device, file name): say so, and offer to take it back out.
    const file = media?.kind === "DOCUMENT" && accepted.length > 0 ? media : undefined;
    if (file) lines.push(`\n${ctx.t(`pins:fileKeepsMetadata.${isPicture(file) ? "picture" : "document"}`)}`);
    if (accepted.length < items.length || count >= limit)
      lines.push(ctx.t("report:hints.evidenceLimit", { limit }));
    const keyboard =
      file?.fileUniqueId && CB.removeFile(file.fileUniqueId).length <= 64
        ? new InlineKeyboard()
            .text(ctx.t("pins:buttons.removeFile"), CB.removeFile(file.fileUniqueId))
            .row()
            .text(ctx.t("report:buttons.evidenceDone"), CB.done("evidence"))
        : doneKeyboard;
    const sent = await ctx.reply(lines.join("\n"), { reply_markup: keyboard });
    save(
      ctx,
      groupId
        ? { ...updated, album: { mediaGroupId: groupId, messageId: sent.message_id, count: 1 } }
        : { ...updated, album: undefined },
    );
  }

  return feature;
}

/** A picture or a video sent as a file: what a photo would have been, with its hidden data kept. */
function isPicture(item: EvidenceItem): boolean {
  return (
    /^(image|video)\//.test(item.mimeType ?? "") ||
    /\.(jpe?g|png|heic|heif|webp|tiff?|mp4|mov)$/i.test(item.fileName ?? "")
  );
}

/** A typed answer to a choice: the option's number (1, 2, …) or its label, ignoring case and emoji. */
function matchOption(ctx: BotContext, step: Extract<Step, { kind: "choice" }>, text: string): number {
  const typed = normalizeLabel(text);
  const number = Number(typed);
  if (Number.isInteger(number) && number >= 1 && number <= step.options.length) return number - 1;
  return step.options.findIndex(
    (option) => normalizeLabel(ctx.t(`report:options.${step.id}.${option}`)) === typed,
  );
}

const normalizeLabel = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]/gu, "")
    .replace(/\s+/g, " ")
    .trim();

/** The parser's hint, and for a text that is too long, how long it was. */
function errorHint(ctx: BotContext, errorKey: string, input: string): string {
  return ctx.t(errorKey, { length: [...input].length });
}
