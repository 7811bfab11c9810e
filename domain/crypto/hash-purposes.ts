/**
 * Every keyed hash Awasi stores or sends to Redis, by purpose. Each purpose gets its own HMAC key, derived from
 * the data key (HKDF info `hash:<purpose>`), so the same Telegram id hashes to unrelated values in different
 * places: a database dump or a Redis snapshot cannot join reporters to subscriptions, sessions or rate limits.
 *
 * Adding a purpose is adding an entry here; the string is part of the derivation and must never change (changing
 * it orphans every stored hash of that purpose until `npm run data-key:rotate` re-derives them).
 */
export const HASH_PURPOSES = {
  /** `reporters.telegram_id_hash`: find a reporter by their Telegram user id. */
  reporter: "reporter-telegram-id",
  /** `subscriptions.chat_id_hash`: find a subscription by its private chat id. */
  subscriptionChat: "subscription-chat-id",
  /** Session storage keys (Redis keys, `sessions.key`): one per chat and user. */
  session: "session-key",
  /** De-duplication records of handled update ids in Redis. */
  updateDedup: "update-dedup",
  /** Flood limiter keys in Redis. */
  floodLimiter: "flood-limiter",
  /** Seed of a report's own pseudonym (hashed with the report id, not the person). */
  reportPseudonym: "report-pseudonym",
  /** `blocked_reporters.telegram_id_hash`: a reporter an administrator blocked (/blokir). */
  blockedReporter: "blocked-reporter",
} as const;

/** One of {@link HASH_PURPOSES}' names. */
export type HashPurpose = keyof typeof HASH_PURPOSES;
