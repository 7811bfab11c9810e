/**
 * Callback data of announcements (prefix `bc:`, under Telegram's 64 bytes: a broadcast id is a 36-character
 * uuid, the longest action 6 characters).
 *
 * - `bc:c:…` acts on the presser's own composer (kept in their session);
 * - `bc:<action>:<broadcastId>` acts on a stored broadcast, whoever pressed it, after checking they are an
 *   administrator: these buttons work across restarts and instances.
 */
export const BC = {
  everyone: "bc:c:all",
  area: "bc:c:area",
  language: (locale: "any" | "id" | "en") => `bc:c:lang:${locale}`,
  tickets: "bc:c:tickets",
  noTickets: "bc:c:notickets",
  pickArea: (code: string) => `bc:c:ar:${code}`,
  back: "bc:c:back",
  preview: "bc:c:preview",
  discard: "bc:c:discard",
  send: (id: string) => `bc:send:${id}`,
  edit: (id: string) => `bc:edit:${id}`,
  drop: (id: string) => `bc:drop:${id}`,
  approve: (id: string) => `bc:ok:${id}`,
  reject: (id: string) => `bc:no:${id}`,
  pause: (id: string) => `bc:pause:${id}`,
  resume: (id: string) => `bc:resume:${id}`,
  stop: (id: string) => `bc:stop:${id}`,
  stopConfirm: (id: string) => `bc:stopy:${id}`,
  stopAbort: (id: string) => `bc:stopn:${id}`,
} as const;

export const COMPOSER_LANGUAGE = /^bc:c:lang:(any|id|en)$/;
export const COMPOSER_AREA = /^bc:c:ar:(\d{2}(?:\.\d{2})?)$/;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** Actions on a stored broadcast. */
export type BroadcastAction =
  | "send"
  | "edit"
  | "drop"
  | "ok"
  | "no"
  | "pause"
  | "resume"
  | "stop"
  | "stopy"
  | "stopn";

export const BROADCAST_ACTION = new RegExp(
  `^bc:(send|edit|drop|ok|no|pause|resume|stop|stopy|stopn):(${UUID})$`,
);
