/**
 * Outbox message kinds of announcements (domain/outbox): each is written in the same transaction or statement as
 * the state change it follows, and delivered by the broadcast feature's outbox worker, retried until done.
 */
export const BROADCAST_OUTBOX = {
  /** Post the announcement in `PUBLIC_CHANNEL_ID`; payload `{ broadcastId, channelId }`. */
  channelPost: "broadcast.channelPost",
  /** Tell one reporter that their ticket fed the announced outcome; payload `{ broadcastId, reportId }`. */
  followUp: "broadcast.followUp",
  /** Final state of the progress message and a summary in the staff group; payload `{ broadcastId }`. */
  summary: "broadcast.summary",
} as const;

export type BroadcastOutboxKind = (typeof BROADCAST_OUTBOX)[keyof typeof BROADCAST_OUTBOX];
