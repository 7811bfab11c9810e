import { Api } from "grammy";
import type { Logger } from "pino";
import { EVIDENCE_OUTBOX, evidenceJobPayload } from "../../domain/evidence/evidence-outbox.ts";
import { createEvidenceStore } from "../../domain/evidence/evidence-store.ts";
import { hashTelegramFile } from "../../domain/evidence/file-hash.ts";
import { createOutboxWorker, type OutboxHandler } from "../../domain/outbox/outbox-worker.ts";
import { GLOBAL_PACE, SlidingWindowPacer } from "../../domain/pacing/sliding-window-pacer.ts";
import { createReporterLinks } from "../../domain/report/reporter-links.ts";
import type { BackgroundWorker, WorkerDeps } from "../common/context.ts";
import { isLocale } from "../common/locale.ts";
import { formatDateTime } from "./card.ts";
import { deliveryError } from "./delivery-errors.ts";
import { fingerprintLines } from "./fingerprint-lines.ts";
import { parse } from "./staff-delivery.ts";

const TELEGRAM_API_ROOT = "https://api.telegram.org";

/**
 * Evidence receipts in the background, through the durable outbox (retried with backoff, shared by instances):
 * `evidence.hash` downloads each file of a report once and records its SHA-256, `evidence.receipt` then tells
 * the reporter the fingerprints. Downloads are paced with the other calls of this process to Telegram's
 * overall budget and never run inside a conversation step.
 */
export function createEvidenceWorkers(deps: WorkerDeps): BackgroundWorker[] {
  const api = new Api(deps.api.token, { ...deps.api.options, timeoutSeconds: 60 });
  const apiRoot = deps.api.options?.apiRoot ?? TELEGRAM_API_ROOT;
  const store = createEvidenceStore(deps.db, deps.cipher);
  const links = createReporterLinks(deps.cipher);
  const pace = new SlidingWindowPacer(GLOBAL_PACE);
  const logger: Logger = deps.logger.child({ worker: "evidence" });
  const stopping = new AbortController();

  const hashFiles: OutboxHandler = async (message) => {
    const { reportId } = parse(evidenceJobPayload, message);
    let hashed = 0;
    for (const item of await store.pending(reportId)) {
      if (!item.fileId) continue;
      await pace.acquire({ signal: stopping.signal });
      const result = await hashTelegramFile(api, item.fileId, {
        apiRoot,
        token: deps.api.token,
        knownSize: item.fileSize,
        signal: stopping.signal,
      }).catch(async (error: unknown) => {
        throw await deliveryError(error, { recipient: "reporter" });
      });
      await store.record(item.id, result, new Date());
      hashed++;
    }
    const receipt = await store.finish(reportId);
    logger.info({ report_id: reportId, files: hashed, receipt }, "evidence hashed");
    return { files: hashed };
  };

  const sendReceipt: OutboxHandler = async (message) => {
    const { reportId } = parse(evidenceJobPayload, message);
    const report = await deps.db.report.findUnique({
      where: { id: reportId },
      select: { code: true, createdAt: true, locale: true, reporterLinkEnc: true },
    });
    const contact = report && (await links.contactOf(deps.db, report));
    if (!report || !contact) return { skipped: "nobody to tell" };
    const { chatId } = contact;
    const locale = isLocale(contact.locale) ? contact.locale : deps.config.defaultLocale;
    const t = deps.translatorFor(locale);
    const lines = fingerprintLines(t, await store.fingerprints(reportId));
    const text = [
      t("evidence:receipt.header", { code: report.code }),
      "",
      ...lines,
      "",
      t("evidence:receipt.footer", { received: formatDateTime(report.createdAt, locale) }),
    ].join("\n");
    await pace.acquire({ signal: stopping.signal });
    try {
      await api.sendMessage(chatId, text, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
      });
    } catch (error) {
      throw await deliveryError(error, { recipient: "reporter" });
    }
    logger.info({ report_id: reportId }, "evidence receipt sent");
    return {};
  };

  const outbox = createOutboxWorker({
    db: deps.db,
    handlers: { [EVIDENCE_OUTBOX.hash]: hashFiles, [EVIDENCE_OUTBOX.receipt]: sendReceipt },
    logger,
    pollMs: 1_000,
    batchSize: 1,
    // A report's ten 20 MB files on a slow link: well within five minutes.
    lockMs: 300_000,
  });
  return [
    {
      name: "evidence-receipts",
      start: () => outbox.start(),
      stop: async () => {
        stopping.abort(new Error("stopping"));
        await outbox.stop();
      },
    },
  ];
}
