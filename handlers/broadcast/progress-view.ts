import { EVERYONE, parseAudience } from "../../domain/broadcast/audience.ts";
import { type ProgressSample, progressFigures } from "../../domain/broadcast/progress.ts";
import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import type { Broadcast } from "../../generated/prisma/client.ts";
import { progressScreen, type Screen } from "./render.ts";
import type { BroadcastServices } from "./services.ts";

/**
 * The progress message of a broadcast now; `previous` (the last sample this process took) gives the rate.
 * Returns the screen and the sample to keep for the next edit.
 */
export function progressView(
  services: BroadcastServices,
  regions: RegionCatalog,
  broadcast: Broadcast,
  previous?: ProgressSample,
  now = Date.now(),
): { screen: Screen; sample: ProgressSample } {
  let audience = EVERYONE;
  try {
    audience = parseAudience(broadcast.audience);
  } catch {
    // Shown as "all subscribers": the sender refuses such a broadcast anyway and logs it.
  }
  const counters = {
    total: broadcast.total,
    sent: broadcast.sent,
    blocked: broadcast.blocked,
    failed: broadcast.failed,
    skipped: broadcast.skipped,
    audienceReady: broadcast.audienceReadyAt !== null,
  };
  const current = {
    at: now,
    finished: broadcast.sent + broadcast.blocked + broadcast.failed + broadcast.skipped,
  };
  const figures = progressFigures(counters, current, previous);
  return {
    screen: progressScreen(services.staffT, services.staffLocale, regions, broadcast, audience, figures),
    sample: current,
  };
}
