/**
 * When the daily digest is due: from DIGEST_TIME (local, in TZ) until a few hours later, so that an instance that
 * was down at 07:00 still sends it when it comes back in the morning, but no instance sends a morning digest at
 * night. Which instance sends it is settled by the outbox's unique key per day ({@link digestKey}).
 */
import type { IsoDate } from "../report/dates.ts";
import { localDay, localMinutes } from "./period.ts";

/** How long after DIGEST_TIME a late digest is still sent. */
export const DIGEST_CATCH_UP_MINUTES = 3 * 60;

/** The local day whose digest is due at `now`, or `null`. */
export function digestDueDay(now: Date, timeZone: string, digestMinutes: number): IsoDate | null {
  const minutes = localMinutes(now, timeZone);
  return minutes >= digestMinutes && minutes < digestMinutes + DIGEST_CATCH_UP_MINUTES
    ? localDay(now, timeZone)
    : null;
}

/** The outbox de-duplication key of one day's digest: one row per day, whichever instance writes it first. */
export function digestKey(day: IsoDate): string {
  return `insight.digest:${day}`;
}
