import { type BroadcastStore, createBroadcastStore } from "../../domain/broadcast/broadcast-store.ts";
import type { AppServices, Translate } from "../common/context.ts";
import type { Locale } from "../common/locale.ts";

/** What the announcement handlers and workers of one process share. */
export interface BroadcastServices {
  store: BroadcastStore;
  /** The staff group's language (DEFAULT_LOCALE): everything the feature posts in the group uses it. */
  staffLocale: Locale;
  staffT: Translate;
  /** Tells this process' sender and progress worker to look now (set by the workers, a no-op without them). */
  wake: () => void;
}

const built = new WeakMap<object, BroadcastServices>();

/**
 * The announcement services of this process. Keyed by the database client, which the bot's context and the
 * workers share (the workers get a copy of the app's services, not the same object).
 */
export function broadcastServices(
  app: Pick<AppServices, "db" | "config" | "translatorFor">,
): BroadcastServices {
  const existing = built.get(app.db);
  if (existing) return existing;
  const staffLocale = app.config.staffLocale;
  const services: BroadcastServices = {
    store: createBroadcastStore(app.db),
    staffLocale,
    staffT: app.translatorFor(staffLocale),
    wake: () => {},
  };
  built.set(app.db, services);
  return services;
}
