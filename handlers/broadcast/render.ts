import { InlineKeyboard } from "grammy";
import type { Audience } from "../../domain/broadcast/audience.ts";
import type { BroadcastContent } from "../../domain/broadcast/content.ts";
import type { ProgressFigures } from "../../domain/broadcast/progress.ts";
import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import type { Broadcast, BroadcastStatus } from "../../generated/prisma/client.ts";
import type { Translate } from "../common/context.ts";
import { escapeHtml } from "../common/html.ts";
import type { Locale } from "../common/locale.ts";
import { BC } from "./callbacks.ts";
import type { ComposerState } from "./composer-state.ts";

/** An HTML message and its buttons. */
export interface Screen {
  text: string;
  keyboard?: InlineKeyboard;
}

/** For messages whose values are already HTML (made by `t` or escaped): no second escaping. */
const safe = { interpolation: { escapeValue: false } } as const;

/** Numbers as the staff group's language writes them (1.234 / 1,234). */
export function formatNumber(value: number, locale: Locale, fractionDigits = 0): string {
  return new Intl.NumberFormat(locale === "id" ? "id-ID" : "en-GB", {
    maximumFractionDigits: fractionDigits,
    minimumFractionDigits: fractionDigits,
  }).format(value);
}

/** "foto dengan keterangan", "teks (120 karakter)". */
export function contentKind(t: Translate, content: BroadcastContent): string {
  if (content.kind === "text") return t("broadcast:kinds.text", { length: content.text.length });
  const kind = t(`broadcast:kinds.${content.kind}`);
  return content.caption ? t("broadcast:withCaption", { kind, ...safe }) : kind;
}

/** "semua pelanggan · semua bahasa", "pelanggan di Kota Bandung, Jawa Barat · hanya berbahasa Indonesia". */
export function audienceLabel(t: Translate, regions: RegionCatalog, audience: Audience): string {
  const area = audience.area
    ? t("broadcast:audience.area", { area: regions.label(audience.area.code) ?? audience.area.code })
    : t("broadcast:audience.all");
  const language = audience.locale
    ? t("broadcast:audience.language", { language: t(`broadcast:languages.${audience.locale}`), ...safe })
    : t("broadcast:audience.anyLanguage");
  return `${area} · ${language}`;
}

export function ticketList(t: Translate, codes: readonly string[]): string {
  return codes.length > 0 ? codes.map(escapeHtml).join(", ") : t("broadcast:none");
}

const mark = (t: Translate, label: string, selected: boolean) =>
  selected ? t("broadcast:selected", { label, ...safe }) : label;

/** The composer's card: what the draft holds, and the buttons to shape it. */
export function composerCard(t: Translate, regions: RegionCatalog, state: ComposerState): Screen {
  const { audience } = state;
  const text = [
    t("broadcast:card.title"),
    state.content ? t("broadcast:card.content", { kind: contentKind(t, state.content), ...safe }) : undefined,
    t("broadcast:card.audience", { audience: audienceLabel(t, regions, audience), ...safe }),
    t("broadcast:card.tickets", { codes: ticketList(t, state.tickets), ...safe }),
    "",
    t("broadcast:card.hint"),
  ]
    .filter((line) => line !== undefined)
    .join("\n");
  const keyboard = new InlineKeyboard()
    .text(mark(t, t("broadcast:buttons.everyone"), audience.area === null), BC.everyone)
    .text(mark(t, t("broadcast:buttons.area"), audience.area !== null), BC.area)
    .row()
    .text(mark(t, t("broadcast:buttons.anyLanguage"), audience.locale === null), BC.language("any"))
    .text(mark(t, t("broadcast:buttons.languageId"), audience.locale === "id"), BC.language("id"))
    .text(mark(t, t("broadcast:buttons.languageEn"), audience.locale === "en"), BC.language("en"))
    .row()
    .text(t("broadcast:buttons.tickets"), BC.tickets)
    .row()
    .text(t("broadcast:buttons.preview"), BC.preview)
    .text(t("broadcast:buttons.discard"), BC.discard);
  return { text, keyboard };
}

/** Time left: "1 menit lagi", "sebentar lagi". */
export function formatEta(t: Translate, seconds: number): string {
  if (seconds <= 1) return t("broadcast:eta.now");
  return formatSpan(t, "eta", seconds);
}

/** How long something took: "2 menit", "45 detik". */
export function formatDuration(t: Translate, ms: number): string {
  return formatSpan(t, "duration", Math.max(0, Math.round(ms / 1000)));
}

function formatSpan(t: Translate, kind: "eta" | "duration", seconds: number): string {
  if (seconds < 90) return t(`broadcast:${kind}.seconds`, { count: seconds });
  if (seconds < 3_600) return t(`broadcast:${kind}.minutes`, { count: Math.round(seconds / 60) });
  return t(`broadcast:${kind}.hours`, {
    count: Math.floor(seconds / 3_600),
    minutes: Math.round((seconds % 3_600) / 60),
  });
}

/** The people behind a broadcast (officers are not protected parties; reporters never appear here). */
function people(t: Translate, broadcast: Broadcast): string {
  return t("broadcast:progress.people", {
    author: broadcast.createdByName ?? String(broadcast.createdById),
    approver: broadcast.approvedByName ?? t("broadcast:none"),
  });
}

/** Buttons under the progress message for its status (none once it ended). */
export function progressKeyboard(
  t: Translate,
  id: string,
  status: BroadcastStatus,
): InlineKeyboard | undefined {
  if (status === "SENDING") {
    return new InlineKeyboard()
      .text(t("broadcast:buttons.pause"), BC.pause(id))
      .text(t("broadcast:buttons.stop"), BC.stop(id));
  }
  if (status === "PAUSED") {
    return new InlineKeyboard()
      .text(t("broadcast:buttons.resume"), BC.resume(id))
      .text(t("broadcast:buttons.stop"), BC.stop(id));
  }
  return undefined;
}

/**
 * The progress message: status, audience, sent / blocked / failed / skipped, remaining, rate and ETA, with
 * Pause/Resume and Cancel while it runs.
 */
export function progressScreen(
  t: Translate,
  locale: Locale,
  regions: RegionCatalog,
  broadcast: Broadcast,
  audience: Audience,
  figures: ProgressFigures,
): Screen {
  const n = (value: number) => formatNumber(value, locale);
  const lines = [
    t("broadcast:progress.title", { status: t(`broadcast:status.${broadcast.status}`), ...safe }),
    t("broadcast:progress.audience", { audience: audienceLabel(t, regions, audience), ...safe }),
    t("broadcast:progress.counts", {
      sent: n(broadcast.sent),
      blocked: n(broadcast.blocked),
      failed: n(broadcast.failed),
      skipped: n(broadcast.skipped),
    }),
  ];
  if (broadcast.status === "SENDING" || broadcast.status === "PAUSED") {
    lines.push(
      figures.remaining === null
        ? t("broadcast:progress.listing", { total: n(broadcast.total) })
        : t("broadcast:progress.remaining", { remaining: n(figures.remaining), total: n(broadcast.total) }),
    );
  }
  if (broadcast.status === "SENDING") {
    lines.push(
      figures.ratePerSecond === null
        ? t("broadcast:progress.rateUnknown")
        : t("broadcast:progress.rate", {
            rate: formatNumber(figures.ratePerSecond, locale, 1),
            eta: figures.etaSeconds === null ? "?" : formatEta(t, figures.etaSeconds),
            ...safe,
          }),
    );
  }
  lines.push(people(t, broadcast));
  return { text: lines.join("\n"), keyboard: progressKeyboard(t, broadcast.id, broadcast.status) };
}

/** The final summary posted under the progress message. */
export function summaryText(t: Translate, locale: Locale, broadcast: Broadcast): string {
  const n = (value: number) => formatNumber(value, locale);
  const finished = broadcast.sent + broadcast.blocked + broadcast.failed + broadcast.skipped;
  const unsent = Math.max(0, broadcast.total - finished);
  const started = broadcast.startedAt?.getTime() ?? broadcast.createdAt.getTime();
  const ended = broadcast.finishedAt?.getTime() ?? Date.now();
  return t("broadcast:summary", {
    status: t(`broadcast:status.${broadcast.status}`),
    sent: n(broadcast.sent),
    total: n(broadcast.total),
    blocked: n(broadcast.blocked),
    failed: n(broadcast.failed),
    skipped: n(broadcast.skipped),
    unsent: unsent > 0 ? t("broadcast:summaryUnsent", { count: n(unsent) }) : "",
    duration: formatDuration(t, ended - started),
    interpolation: { escapeValue: false },
  });
}
