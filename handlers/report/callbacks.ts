/**
 * Callback data of the report conversation (prefix `rep:`, always under Telegram's 64 bytes). Buttons name the
 * step they belong to, so a button from an earlier question is recognised and answered instead of misapplied.
 */
export const CB = {
  option: (stepId: string, index: number) => `rep:o:${stepId}:${index}`,
  toggle: (stepId: string, index: number) => `rep:t:${stepId}:${index}`,
  done: (stepId: string) => `rep:d:${stepId}`,
  skip: (stepId: string) => `rep:s:${stepId}`,
  edit: (stepId: string) => `rep:e:${stepId}`,
  submit: (draftId: string) => `rep:submit:${draftId.slice(0, 12)}`,
  region: (code: string) => `rep:rg:${code}`,
  regionPage: (parentCode: string | null, page: number) => `rep:rp:${parentCode ?? "-"}:${page}`,
  wholeRegency: "rep:rgall",
  back: "rep:back",
  cancel: "rep:cancel",
  cancelConfirm: "rep:cancel:yes",
  resume: "rep:resume",
  discard: "rep:discard",
  noop: "rep:noop",
  /** At the review of an anonymous report: share the pin exactly (true) or rounded to about 100 m (false). */
  pinPrecision: (exact: boolean) => `rep:pin:${exact ? "exact" : "approx"}`,
  /** At the evidence step: take a file back out (sent as a file with its hidden data, to send again as a photo). */
  removeFile: (fileUniqueId: string) => `rep:rm:${fileUniqueId}`,
} as const;

export type ReportCallback =
  | { action: "option" | "toggle"; stepId: string; index: number }
  | { action: "done" | "skip" | "edit"; stepId: string }
  | { action: "submit"; draftId: string }
  | { action: "region"; code: string }
  | { action: "regionPage"; parentCode: string | null; page: number }
  | { action: "pinPrecision"; exact: boolean }
  | { action: "removeFile"; fileUniqueId: string }
  | { action: "wholeRegency" | "back" | "cancel" | "cancelConfirm" | "resume" | "discard" | "noop" };

/** Reads `rep:` callback data; undefined for anything malformed (answered as an expired button). */
export function parseReportCallback(data: string): ReportCallback | undefined {
  const [prefix, action, a, b] = data.split(":");
  if (prefix !== "rep" || !action) return undefined;
  switch (action) {
    case "o":
    case "t": {
      const index = Number(b);
      if (!a || !Number.isInteger(index) || index < 0) return undefined;
      return { action: action === "o" ? "option" : "toggle", stepId: a, index };
    }
    case "d":
    case "s":
    case "e":
      return a ? { action: ({ d: "done", s: "skip", e: "edit" } as const)[action], stepId: a } : undefined;
    case "submit":
      return a ? { action: "submit", draftId: a } : undefined;
    case "rg":
      return a ? { action: "region", code: a } : undefined;
    case "rp": {
      const page = Number(b);
      if (!a || !Number.isInteger(page) || page < 1) return undefined;
      return { action: "regionPage", parentCode: a === "-" ? null : a, page };
    }
    case "pin":
      return a === "exact" || a === "approx" ? { action: "pinPrecision", exact: a === "exact" } : undefined;
    case "rm":
      return a ? { action: "removeFile", fileUniqueId: a } : undefined;
    case "rgall":
      return { action: "wholeRegency" };
    case "cancel":
      return { action: a === "yes" ? "cancelConfirm" : "cancel" };
    case "back":
    case "resume":
    case "discard":
    case "noop":
      return { action };
    default:
      return undefined;
  }
}
