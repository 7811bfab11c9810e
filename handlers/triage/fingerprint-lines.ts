import type { EvidenceFingerprint } from "../../domain/evidence/evidence-store.ts";
import { shortHash } from "../../domain/evidence/file-hash.ts";
import type { Translate } from "../common/context.ts";

/** "1.2 MB", "350 KB", "800 B". */
export function formatSize(bytes: number | null, t: Translate): string {
  if (bytes === null) return t("evidence:sizeUnknown");
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/**
 * One line per file with its short fingerprint (links have none; they are listed elsewhere), as the reporter's receipt and the officers' Bukti
 * listing show them (HTML; values escaped by the translator). File names are left out: the reporter knows their
 * files, and an anonymous reporter's file name may name them.
 */
export function fingerprintLines(t: Translate, items: EvidenceFingerprint[]): string[] {
  return items
    .filter((item) => item.kind !== "LINK")
    .map((item, index) => {
      const values = {
        n: index + 1,
        kind: t(`evidence:kind.${item.kind}`),
        size: formatSize(item.sizeBytes, t),
      };
      if (item.hashState === "DONE" && item.sha256)
        return t("evidence:line.done", { ...values, hash: shortHash(item.sha256) });
      if (item.hashState === "TOO_LARGE") return t("evidence:line.tooLarge", values);
      return t("evidence:line.pending", values);
    });
}
