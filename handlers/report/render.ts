import { InlineKeyboard, Keyboard } from "grammy";
import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import { addDays, formatDate, todayInJakarta } from "../../domain/report/dates.ts";
import { FORMAL_REPORT_LIMIT, formalReportWindow, isUrgentPeriod } from "../../domain/report/deadline.ts";
import { locationSchema, REVIEW, type ReportDraft } from "../../domain/report/draft.ts";
import { visibleSteps } from "../../domain/report/flow.ts";
import { pinToStore } from "../../domain/report/pin-precision.ts";
import type { Step } from "../../domain/report/steps.ts";
import type { ElectionKind } from "../../domain/ticket/deadlines.ts";
import type { Translate } from "../common/context.ts";
import type { Locale } from "../common/locale.ts";
import { type AnswerFormatter, answerFormatter } from "../common/report-format.ts";
import { CB } from "./callbacks.ts";
import { fitValues, MESSAGE_LIMIT, splitEscaped, visibleLength } from "./message-fit.ts";
import { searchRegions } from "./region-results.ts";
import { cachedText } from "./texts.ts";

/** A message to send: HTML text and its keyboard. */
export interface Screen {
  text: string;
  keyboard?: InlineKeyboard | Keyboard | { remove_keyboard: true };
  /** A second message with a reply keyboard (Telegram's location or contact button). */
  replyKeyboard?: { text: string; keyboard: Keyboard };
  /** Messages sent before this one: a current answer too long to fit into the prompt, in full. */
  before?: string[];
}

export interface RenderContext {
  t: Translate;
  locale: Locale;
  regions: RegionCatalog;
  evidenceLimit: number;
  votingDays: readonly string[];
  /** Decides how the formal-report limit is counted (working days for a Pemilu, days for a Pilkada). */
  electionKind: ElectionKind;
  now: Date;
  /** The holiday calendar the formal-report limit skips (SKB table, library, HOLIDAYS); none when absent. */
  holidays?: { has(date: string): boolean };
  /** Decrypts personal answers for the reporter's own review. */
  reveal: (ciphertext: string) => string;
}

const REGION_PAGE_SIZE = 8;

/** The prompt of the draft's current step (or the review), with its buttons. */
export function renderStep(draft: ReportDraft, step: Step | undefined, rc: RenderContext): Screen {
  if (!step) return renderReview(draft, rc);
  const { t } = rc;
  const steps = visibleSteps(draft);
  const position = steps.findIndex((candidate) => candidate.id === step.id) + 1;
  const lines = [
    cachedText(t, "report:progress", { current: position, total: steps.length }),
    t(`report:steps.${step.id}.prompt`),
  ];
  if (step.optional) lines.push(t("report:optionalHint"));
  if (step.safetyTip) lines.push(t(`report:safety.${step.safetyTip}`));
  const current = draft.answers[step.id];
  let before: string[] | undefined;
  if (current !== undefined && step.kind !== "evidence") {
    const answer = showAnswer(step, current, rc);
    const inline = t("report:currentAnswer", { answer });
    // With the longest answers (a 3,500-character chronology, ten 2,048-character links) the prompt would pass
    // Telegram's limit: the answer is shown in full in messages of its own, above the prompt.
    if (
      visibleLength(inline) + visibleLength(lines.join("\n\n")) > MESSAGE_LIMIT - 600 &&
      !answer.includes("<")
    ) {
      before = splitEscaped(answer);
      lines.push(t("faults:review.longAnswerAbove"));
    } else lines.push(inline);
  }
  if (step.id === "learned_on" && typeof draft.answers.occurred_on === "string") {
    lines.push(
      cachedText(t, "report:occurredWas", { date: formatDate(draft.answers.occurred_on, rc.locale) }),
    );
  }

  const keyboard = new InlineKeyboard();
  switch (step.kind) {
    case "choice":
      step.options.forEach((option, index) => {
        keyboard.text(t(`report:options.${step.id}.${option}`), CB.option(step.id, index));
        if ((index + 1) % (step.columns ?? 1) === 0) keyboard.row();
      });
      if (step.id === "identity") lines.push(t("report:identityExplained"), t("erasure:noTraceExplained"));
      break;
    case "multi": {
      const selected = new Set(draft.selection ?? (Array.isArray(current) ? (current as string[]) : []));
      step.options.forEach((option, index) => {
        const mark = selected.has(option) ? "✅ " : "";
        keyboard.text(mark + t(`report:options.${step.id}.${option}`), CB.toggle(step.id, index));
        if ((index + 1) % (step.columns ?? 1) === 0) keyboard.row();
      });
      keyboard.row().text(t("report:buttons.done"), CB.done(step.id));
      break;
    }
    case "date":
      keyboard
        .text(t("report:buttons.today"), CB.option(step.id, 0))
        .text(t("report:buttons.yesterday"), CB.option(step.id, 1));
      if (step.id === "learned_on") keyboard.row().text(t("report:buttons.sameDay"), CB.option(step.id, 2));
      break;
    case "location":
      return renderLocation(draft, step, lines, rc);
    case "evidence":
      lines.push(t("pins:evidenceMetadata"));
      lines.push(
        cachedText(t, "report:evidenceCount", { count: draft.evidence.length, limit: rc.evidenceLimit }),
      );
      keyboard.text(t("report:buttons.evidenceDone"), CB.done(step.id));
      break;
    case "contact":
      return {
        text: lines.join("\n\n"),
        keyboard: navigation(new InlineKeyboard(), step, rc.t),
        replyKeyboard: {
          text: t("report:contactButtonHint"),
          keyboard: new Keyboard().requestContact(t("report:buttons.shareContact")).resized().oneTime(),
        },
      };
    default:
      break;
  }
  return { text: lines.join("\n\n"), keyboard: navigation(keyboard.row(), step, t), before };
}

/** Back, Skip (optional steps) and Cancel under every step. */
function navigation(keyboard: InlineKeyboard, step: Step, t: Translate): InlineKeyboard {
  if (step.optional && step.kind !== "evidence")
    keyboard.text(t("report:buttons.skip"), CB.skip(step.id)).row();
  if (step.id !== "category") keyboard.text(t("common:buttons.back"), CB.back);
  return keyboard.text(t("common:buttons.cancel"), CB.cancel);
}

function renderLocation(draft: ReportDraft, step: Step, lines: string[], rc: RenderContext): Screen {
  const { t, regions } = rc;
  lines.push(t("pins:locationWarning"));
  const picker = draft.picker ?? { parentCode: null, page: 1 };
  const keyboard = new InlineKeyboard();
  if (picker.query !== undefined) {
    const found = searchRegions(regions, picker.query, REGION_PAGE_SIZE);
    lines.push(
      found.length
        ? t("report:regionSearchResults", { query: picker.query })
        : t("report:regionNotFound", { query: picker.query }),
    );
    for (const region of found)
      keyboard.text(regions.label(region.code) ?? region.name, CB.region(region.code)).row();
    keyboard.text(t("report:buttons.regionList"), CB.regionPage(null, 1)).row();
  } else {
    const parent = picker.parentCode ? regions.get(picker.parentCode) : undefined;
    lines.push(
      parent
        ? t("report:regionPickIn", { name: regions.label(parent.code) ?? parent.name })
        : t("report:regionPickProvince"),
    );
    const page = regions.children(picker.parentCode, { page: picker.page, pageSize: REGION_PAGE_SIZE });
    page.items.forEach((region, index) => {
      keyboard.text(region.name, CB.region(region.code));
      if (index % 2 === 1) keyboard.row();
    });
    keyboard.row();
    if (page.pageCount > 1) {
      if (page.page > 1) keyboard.text("◀️", CB.regionPage(picker.parentCode, page.page - 1));
      keyboard.text(`${page.page}/${page.pageCount}`, CB.noop);
      if (page.page < page.pageCount) keyboard.text("▶️", CB.regionPage(picker.parentCode, page.page + 1));
      keyboard.row();
    }
    if (parent?.level === "regency") keyboard.text(t("report:buttons.wholeRegency"), CB.wholeRegency).row();
    if (parent) keyboard.text(t("report:buttons.regionUp"), CB.regionPage(parent.parentCode, 1)).row();
  }
  return {
    text: lines.join("\n\n"),
    keyboard: navigation(keyboard, step, t),
    replyKeyboard: {
      text: t("report:locationButtonHint"),
      keyboard: new Keyboard().requestLocation(t("report:buttons.sendLocation")).resized().oneTime(),
    },
  };
}

/** Every answer with an Edit button, then Submit and Cancel. */
export function renderReview(draft: ReportDraft, rc: RenderContext): Screen {
  const { t } = rc;
  const keyboard = new InlineKeyboard();
  let editButtons = 0;
  const anonymous = draft.answers.identity !== "IDENTIFIED";
  const pin = locationSchema.safeParse(draft.answers.location);
  const anonymousPin = anonymous && pin.success && pin.data.type === "point" ? pin.data : undefined;
  const answers: Array<{ label: string; value: string }> = [];
  const format = answerFormatter(t, rc.locale, rc.regions);
  for (const step of visibleSteps(draft)) {
    const raw = step.kind === "evidence" ? draft.evidence.length : draft.answers[step.id];
    // The reporter sees the pin as officers will: rounded, unless they chose the exact point.
    const value = step.id === "location" && anonymousPin ? pinToStore(anonymousPin, true) : raw;
    const label = t(`report:steps.${step.id}.label`);
    answers.push({ label, value: showAnswer(step, value, rc, format) });
    keyboard.text(`✏️ ${label}`, CB.edit(step.id));
    if (++editButtons % 2 === 0) keyboard.row();
  }
  const tail: string[] = [];
  if (typeof draft.answers.occurred_on === "string" && isUrgent(draft.answers.occurred_on, rc.votingDays)) {
    tail.push(t("report:urgent"));
  }
  if (typeof draft.answers.learned_on === "string") tail.push(deadlineInfo(draft.answers.learned_on, rc));
  if (anonymousPin) {
    const exact = anonymousPin.exact === true;
    tail.push(t(exact ? "pins:review.exact" : "pins:review.approximate"));
    keyboard
      .row()
      .text(t(exact ? "pins:buttons.keepApproximate" : "pins:buttons.shareExact"), CB.pinPrecision(!exact));
  }
  tail.push(t("report:review.footer"));
  // The longest answers every validator accepts do not fit in one message: the longest are shortened (each
  // with a note that Edit shows it whole), so that the review, and its Submit button, always arrive.
  const compose = (values: string[]) =>
    [
      t("report:review.title"),
      ...answers.map((answer, i) => `<b>${answer.label}</b>: ${values[i]}`),
      ...tail,
    ].join("\n");
  const values = fitValues(
    answers.map((answer) => ({
      value: answer.value,
      // Rendered only for an answer that is shortened (rarely): interpolation is the costly part of a review.
      marker: () => t("faults:review.shortened", { label: answer.label }),
    })),
    compose,
  );
  keyboard
    .row()
    .text(t("report:buttons.submit"), CB.submit(draft.id))
    .row()
    .text(t("common:buttons.cancel"), CB.cancel);
  return { text: compose(values), keyboard };
}

/** On a voting day or in the quiet period (masa tenang, the 3 days before it) reports are handled within 1×24 h. */
function isUrgent(occurredOn: string, votingDays: readonly string[]): boolean {
  const quietDays = votingDays.flatMap((day) => [1, 2, 3].map((back) => addDays(day, -back)));
  return isUrgentPeriod(occurredOn, { votingDays, quietDays });
}

/** Days left to turn the tip into a formal report: information, never a refusal. */
export function deadlineInfo(learnedOn: string, rc: RenderContext): string {
  const window = formalReportWindow(learnedOn, todayInJakarta(rc.now), rc.electionKind, rc.holidays);
  const limit = cachedText(rc.t, `report:deadline.limit.${window.counting}`, {
    days: FORMAL_REPORT_LIMIT[rc.electionKind].days,
  });
  const date = formatDate(window.deadline, rc.locale);
  return window.daysLeft > 0
    ? cachedText(rc.t, "report:deadline.open", {
        limit,
        date,
        left: cachedText(rc.t, `report:deadline.left.${window.counting}`, { count: window.daysLeft }),
      })
    : cachedText(rc.t, "report:deadline.passed", { limit, date });
}

function showAnswer(
  step: Step,
  value: unknown,
  rc: RenderContext,
  format: AnswerFormatter = answerFormatter(rc.t, rc.locale, rc.regions),
): string {
  if (step.personal && typeof value === "string") return format.answer(step, rc.reveal(value));
  return format.answer(step, value);
}

export { REVIEW };
