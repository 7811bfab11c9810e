import { InputFile } from "grammy";
import type { Logger } from "pino";
import { DIGEST_CATCH_UP_MINUTES, digestDueDay, digestKey } from "../../domain/insight/digest-schedule.ts";
import { type DigestNumbers, digestIsEmpty, digestNumbers } from "../../domain/insight/insight-queries.ts";
import { renderTrendChart } from "../../domain/insight/render/insight-charts.ts";
import { createOutboxWorker, type OutboxHandler } from "../../domain/outbox/outbox-worker.ts";
import { formatDate } from "../../domain/report/dates.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import type { BackgroundWorker, WorkerDeps } from "../common/context.ts";
import { insightServices } from "./insight-services.ts";

export const DIGEST_KIND = "insight.digest";

/** How often an instance looks whether the digest is due. */
export const DIGEST_CHECK_MS = 20_000;

/**
 * Writes the day's digest into the outbox when it is due and has something to say. Every instance checks; the
 * outbox's unique `dedupe_key` per day lets exactly one row in, so the digest is sent once however many run.
 * Returns what happened, for logs and tests.
 */
export async function queueDigest(
  deps: Pick<WorkerDeps, "db" | "config" | "translatorFor" | "detectLocale" | "regions" | "cipher" | "staff">,
  now: Date,
): Promise<"notDue" | "alreadyQueued" | "nothingToSay" | "queued"> {
  const minutes = deps.config.digestMinutes;
  if (minutes === null || minutes === undefined) return "notDue";
  const services = insightServices(deps);
  const day = digestDueDay(now, services.timeZone, minutes);
  if (!day) return "notDue";
  const key = digestKey(day);
  if (await deps.db.outboxMessage.findUnique({ where: { dedupeKey: key }, select: { id: true } })) {
    return "alreadyQueued";
  }
  const numbers = await digestNumbers(deps.db, day, services.timeZone, services.rules(now));
  if (digestIsEmpty(numbers)) return "nothingToSay";
  const written = await deps.db.outboxMessage.createMany({
    data: [{ kind: DIGEST_KIND, dedupeKey: key, payload: numbers as unknown as Prisma.InputJsonValue }],
    skipDuplicates: true,
  });
  return written.count === 1 ? "queued" : "alreadyQueued";
}

/** A ticket code linked to its card in the staff group, when it has one. */
function codeLink(entry: DigestNumbers["unclaimed"][number]): string {
  const chat = entry.staffChatId;
  if (chat?.startsWith("-100") && entry.staffMessageId) {
    return `<a href="https://t.me/c/${chat.slice(4)}/${entry.staffMessageId}">${entry.code}</a>`;
  }
  return `<code>${entry.code}</code>`;
}

/** Sends a queued digest: the numbers as the caption, the 14-day trend as the picture. */
export function digestHandler(deps: WorkerDeps): OutboxHandler {
  return async (message) => {
    const services = insightServices(deps);
    const t = services.staffT;
    const numbers = message.payload as unknown as DigestNumbers;
    const more = numbers.unclaimedTotal - numbers.unclaimed.length;
    const codes =
      numbers.unclaimed.length === 0
        ? ""
        : ` (${numbers.unclaimed.map(codeLink).join(", ")}${more > 0 ? `, ${t("insight:digest.more", { count: more })}` : ""})`;
    const categories =
      numbers.openByCategory.length === 0
        ? t("insight:summary.none")
        : numbers.openByCategory
            .map((c) =>
              t("insight:summary.pair", { label: t(`insight:category.${c.category}`), count: c.count }),
            )
            .join(" · ");
    const caption = t("insight:digest.caption", {
      day: formatDate(numbers.day, services.locale),
      fresh: numbers.newSinceYesterday,
      open: numbers.open,
      unclaimed: numbers.unclaimedTotal,
      codes,
      due: numbers.dueToday,
      overdue: numbers.overdue,
      closed: numbers.closedYesterday,
      categories,
    });
    const picture = renderTrendChart(
      numbers.trend.map((d) => ({
        label: formatDate(d.day, services.locale).replace(/ \d{4}$/, ""),
        count: d.count,
      })),
      { title: t("insight:digest.title"), subtitle: "", source: t("insight:digest.source") },
    );
    const sent = await deps.api.sendPhoto(
      deps.config.staffChatId,
      new InputFile(picture.png, "ringkasan.png"),
      {
        caption: caption.slice(0, 1024),
        parse_mode: "HTML",
        protect_content: deps.config.protectContent,
      },
    );
    return { messageId: sent.message_id };
  };
}

/** The digest's two loops: the check that queues it, and the outbox worker that sends it. */
export function createDigestWorkers(
  deps: WorkerDeps,
  now: () => Date = () => new Date(),
): BackgroundWorker[] {
  if (deps.config.digestMinutes === null || deps.config.digestMinutes === undefined) return [];
  const logger: Logger = deps.logger.child({ worker: "insight-digest" });
  const outbox = createOutboxWorker({
    db: deps.db,
    handlers: { [DIGEST_KIND]: digestHandler(deps) },
    logger,
    pollMs: 5_000,
    batchSize: 1,
    lockMs: 120_000,
  });
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<void> | undefined;
  const check = async () => {
    try {
      const outcome = await queueDigest(deps, now());
      if (outcome === "queued") {
        logger.info("daily digest queued");
        outbox.wake();
      }
    } catch (error) {
      logger.error({ err: error }, "daily digest check failed");
    }
  };
  const schedule = (delay: number) => {
    timer = setTimeout(() => {
      inFlight = check().finally(() => {
        inFlight = undefined;
        if (running) schedule(DIGEST_CHECK_MS);
      });
    }, delay);
  };
  logger.debug({ catch_up_minutes: DIGEST_CATCH_UP_MINUTES }, "daily digest scheduled");
  return [
    {
      name: "insight-digest-check",
      start() {
        if (running) return;
        running = true;
        schedule(1_000);
      },
      async stop() {
        running = false;
        clearTimeout(timer);
        await inFlight;
      },
    },
    { name: "insight-digest-delivery", start: () => outbox.start(), stop: () => outbox.stop() },
  ];
}
