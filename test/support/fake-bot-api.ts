import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import type {
  BotCommand,
  Chat,
  ForumTopic,
  Message,
  MessageEntity,
  ResponseParameters,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { botUser, DEFAULT_BOT_INFO, DEFAULT_BOT_TOKEN } from "./bot-identity.ts";
import { BodyParseError, parseParams, readBody, type UploadedFile } from "./http-body.ts";
import { FormattingError, formatText } from "./telegram-formatting.ts";
import { type FileKind, newFileIds, nextMessageId, noteMessageId, uniqueIdFor } from "./telegram-ids.ts";
import {
  ApiFailure,
  asRecord,
  badRequest,
  CANONICAL_METHOD,
  chatSnapshot,
  commandKey,
  filesOf,
  inlineMarkup,
  latLon,
  type MemberStatus,
  memberOf,
  mimeOf,
  NOT_MODIFIED,
  normaliseEntities,
  OPT_IN_UPDATES,
  sameJson,
  stripReply,
  updateType,
  validateReplyMarkup,
} from "./telegram-rules.ts";

export type { UploadedFile } from "./http-body.ts";
export type { MemberStatus } from "./telegram-rules.ts";

/** An error as Telegram reports it: `error_code` is also the HTTP status. */
export interface ApiError {
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

/** The JSON body the fake answered a call with. */
export type ApiResponse = { ok: true; result: unknown } | ({ ok: false } & ApiError);

/** What an {@link FakeBotApi.onCall} handler may answer instead of the built-in behaviour. */
export type ApiCallOverride = ({ ok: false } & ApiError) | { result: unknown };

/** A handler installed with {@link FakeBotApi.onCall}; `undefined` falls through to the built-in behaviour. */
export type CallHandler = (params: Record<string, unknown>, call: ApiCall) => ApiCallOverride | undefined;

/** One Bot API call the bot made, in arrival order. */
export interface ApiCall {
  /** Position in {@link FakeBotApi.calls}; pass it (or {@link FakeBotApi.mark}) as `after` to wait for later calls. */
  index: number;
  /** Method name as Telegram documents it (calls are case-insensitive, this is normalised). */
  method: string;
  /** Parameters, decoded from JSON, urlencoded or multipart alike; uploaded files appear as `{ filename, size }`. */
  params: Record<string, unknown>;
  /** Files uploaded with the call (multipart). */
  files: UploadedFile[];
  /** `performance.now()` when the request arrived. */
  at: number;
  /** "webhook-reply" when the bot answered a webhook request with a method call in the HTTP response. */
  source: "http" | "webhook-reply";
  /** What the fake answered; set once decided (for `getUpdates`: when the poll ends). */
  response: ApiResponse | undefined;
  /** The message(s) this call created or changed, as stored after the call (sends, copies, edits). */
  messages: Message[];
}

/** One attempt to deliver an update to the bot's webhook. */
export interface WebhookDelivery {
  updateId: number;
  url: string;
  /** HTTP status, or `null` when the connection failed. */
  status: number | null;
  error?: string;
  at: number;
}

/** Options of {@link startFakeBotApi}. */
export interface FakeBotApiOptions {
  /** Token the fake accepts (default "123456:TEST"); any other token gets 401. */
  token?: string;
  /** Overrides of the `getMe` answer. */
  botInfo?: Partial<UserFromGetMe>;
  /** Delay before answering sends, copies, forwards and edits (see {@link FakeBotApi.setLatency}). */
  latencyMs?: number;
  /** Delay before a failed webhook delivery is retried (default 100 ms; Telegram waits longer). */
  webhookRetryMs?: number;
  /** update_id of the first pushed update (default 1). */
  firstUpdateId?: number;
}

/** Options of the waiting helpers. */
export interface WaitOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** Index into `calls` (e.g. from {@link FakeBotApi.mark}): only calls at this index or later count. */
  after?: number;
}

/** Options of {@link FakeBotApi.failNext}. */
export interface FailOptions {
  /** How many matching calls fail (default 1). */
  times?: number;
  /** Only calls whose params satisfy this fail. */
  when?: (params: Record<string, unknown>) => boolean;
}

interface StoredMessage {
  message: Message;
  byBot: boolean;
  deleted: boolean;
}

interface ChatRecord {
  chat: Chat;
  messages: Map<number, StoredMessage>;
  topics: Map<number, { topic: ForumTopic; deleted: boolean; closed?: boolean }>;
  members: Map<number, Record<string, unknown>>;
  blocked: boolean;
  menuButton: unknown;
}

interface KnownFile {
  file_unique_id: string;
  file_size: number;
  file_path: string;
  /** What a download serves; by default `file_size` bytes of "a". */
  content?: Buffer;
}

/** Telegram's getFile limit for bots. */
const DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

interface PendingPoll {
  limit: number;
  finish(response: Update[] | ApiError): void;
}

interface FaultRule {
  method: string;
  error: ApiError;
  remaining: number;
  when: ((params: Record<string, unknown>) => boolean) | undefined;
}

/** Methods whose name starts like this are delayed by {@link FakeBotApi.setLatency} unless told otherwise. */
const DEFAULT_LATENCY_METHODS = /^(send|copy|forward|edit)/;

/** Methods that put a message into `chat_id` (what {@link FakeBotApi.messagesTo} lists). */
const MESSAGE_METHODS = /^(send(?!ChatAction)\w+|copyMessages?|forwardMessages?)$/;

const MEDIA_KINDS: Record<string, FileKind> = {
  sendPhoto: "photo",
  sendDocument: "document",
  sendVideo: "video",
  sendVoice: "voice",
  sendAudio: "audio",
  sendAnimation: "animation",
  sendSticker: "sticker",
  sendVideoNote: "video_note",
};

const COPYABLE_FIELDS = [
  "text",
  "entities",
  "photo",
  "document",
  "video",
  "voice",
  "audio",
  "animation",
  "sticker",
  "video_note",
  "location",
  "venue",
  "contact",
  "poll",
  "dice",
  "caption",
  "caption_entities",
  "has_media_spoiler",
] as const;

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function describeCall(call: ApiCall): string {
  const params = JSON.stringify(call.params);
  const status = call.response ? (call.response.ok ? "ok" : `${call.response.error_code}`) : "pending";
  return `  #${call.index} ${call.method} ${params.length > 160 ? `${params.slice(0, 157)}...` : params} → ${status}`;
}

/**
 * A fake Telegram Bot API server for end-to-end tests: the real bot process talks to it over HTTP
 * (`TELEGRAM_API_ROOT`), the test pushes updates into it and inspects what the bot called.
 * It behaves like Telegram where bots commonly go wrong: long polling with offsets, 409 conflicts,
 * "message is not modified", unparsable HTML/MarkdownV2, 64-byte callback data, message ids per chat,
 * blocked users, forum topics, webhook delivery with the secret header.
 */
export class FakeBotApi {
  /** Root to give grammY as `client.apiRoot` or to the bot as `TELEGRAM_API_ROOT`, e.g. "http://127.0.0.1:40123". */
  readonly apiRoot: string;
  /** Token the fake accepts. */
  readonly token: string;
  /** What `getMe` answers. */
  readonly botInfo: UserFromGetMe;
  /** Every call the bot made, in arrival order (including `getUpdates` and failed calls). */
  readonly calls: ApiCall[] = [];
  /** Every attempt to deliver an update to the webhook. */
  readonly webhookDeliveries: WebhookDelivery[] = [];
  /** Updates that were never delivered because `allowed_updates` excluded their type. */
  readonly droppedUpdates: Update[] = [];

  private readonly server: Server;
  private readonly botAsUser: User;
  private readonly webhookRetryMs: number;
  private nextUpdateId: number;
  private queue: Update[] = [];
  private polls = new Set<PendingPoll>();
  private allowedUpdates: string[] | undefined;
  private webhook:
    | { url: string; secretToken: string | undefined; maxConnections: number; allowedUpdates?: string[] }
    | undefined;
  private lastWebhookError: { date: number; message: string } | undefined;
  private readonly inFlight = new Set<number>();
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private readonly chats = new Map<number, ChatRecord>();
  private readonly users = new Map<number, User>();
  private readonly files = new Map<string, KnownFile>();
  private readonly callbackQueries = new Map<string, { answered: boolean }>();
  private readonly commandSets = new Map<string, BotCommand[]>();
  private readonly faults: FaultRule[] = [];
  private readonly handlers: Array<{ method: string; handler: CallHandler }> = [];
  private readonly listeners = new Set<() => void>();
  private latency: { ms: number; methods: Set<string> | undefined } = { ms: 0, methods: undefined };
  private mediaGroupCounter = 0;
  private closed = false;
  private readonly requests = new Set<Promise<void>>();
  private wakeScheduled = false;

  /** @internal use {@link startFakeBotApi} */
  constructor(server: Server, port: number, options: FakeBotApiOptions) {
    this.server = server;
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.token = options.token ?? DEFAULT_BOT_TOKEN;
    this.botInfo = { ...DEFAULT_BOT_INFO, ...options.botInfo };
    this.botAsUser = botUser(this.botInfo);
    this.webhookRetryMs = options.webhookRetryMs ?? 100;
    this.nextUpdateId = options.firstUpdateId ?? 1;
    if (options.latencyMs) this.setLatency(options.latencyMs);
    this.users.set(this.botInfo.id, this.botAsUser);
  }

  // === Inspecting calls

  /** Number of calls so far: pass it as `after` to wait only for calls caused by what the test does next. */
  mark(): number {
    return this.calls.length;
  }

  /** Calls of one method (or several), in order. */
  callsTo(method: string | string[], options: { after?: number } = {}): ApiCall[] {
    const methods = new Set(Array.isArray(method) ? method : [method]);
    return this.calls.slice(options.after ?? 0).filter((c) => methods.has(c.method));
  }

  /**
   * Calls that put a message into a chat (send* except sendChatAction, copyMessage(s), forwardMessage(s)),
   * in order, failed attempts included (check `call.response?.ok`).
   */
  messagesTo(chatId: number | string, options: { after?: number } = {}): ApiCall[] {
    return this.calls
      .slice(options.after ?? 0)
      .filter((c) => MESSAGE_METHODS.test(c.method) && String(c.params.chat_id) === String(chatId));
  }

  /**
   * Resolves with the first call of `method` (at index `after` or later) whose params satisfy `predicate`;
   * rejects after `timeoutMs` listing the last calls seen.
   */
  waitForCall(
    method: string | string[],
    predicate?: (params: Record<string, unknown>, call: ApiCall) => boolean,
    options: WaitOptions = {},
  ): Promise<ApiCall> {
    return this.waitForCalls(method, 1, predicate, options).then((calls) => calls[0] as ApiCall);
  }

  /** Like {@link waitForCall}, for `count` matching calls. */
  waitForCalls(
    method: string | string[],
    count: number,
    predicate?: (params: Record<string, unknown>, call: ApiCall) => boolean,
    options: WaitOptions = {},
  ): Promise<ApiCall[]> {
    const methods = new Set(Array.isArray(method) ? method : [method]);
    const after = options.after ?? 0;
    const matching = (): ApiCall[] =>
      this.calls
        .slice(after)
        .filter(
          (c) =>
            methods.has(c.method) &&
            (c.response !== undefined || c.method === "getUpdates") &&
            (!predicate || predicate(c.params, c)),
        );
    return this.waitUntil(
      () => {
        const found = matching();
        return found.length >= count ? found.slice(0, count) : undefined;
      },
      options.timeoutMs ?? 5000,
      () =>
        `waited for ${count} call(s) to ${[...methods].join("/")}${predicate ? " matching the predicate" : ""}` +
        ` after call #${after}, saw ${matching().length}`,
    );
  }

  /** Resolves with the webhook delivery of an update (the first successful one if `succeeded`). */
  waitForWebhookDelivery(
    updateId: number,
    options: { timeoutMs?: number; succeeded?: boolean } = {},
  ): Promise<WebhookDelivery> {
    return this.waitUntil(
      () =>
        this.webhookDeliveries.find(
          (d) =>
            d.updateId === updateId &&
            (!options.succeeded || (d.status !== null && d.status >= 200 && d.status < 300)),
        ),
      options.timeoutMs ?? 5000,
      () =>
        `waited for the webhook delivery of update ${updateId}; deliveries: ${JSON.stringify(this.webhookDeliveries.slice(-5))}`,
    );
  }

  // === Shaping behaviour

  /**
   * Makes the next matching call(s) of `method` ("*" for any) fail with `error`, answered like Telegram
   * answers it (HTTP status = error_code). E.g. `failNext("sendMessage", { error_code: 429,
   * description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } })`.
   */
  failNext(method: string, error: ApiError, options: FailOptions = {}): void {
    this.faults.push({ method, error, remaining: options.times ?? 1, when: options.when });
  }

  /**
   * Installs a handler consulted before the built-in behaviour for `method` ("*" for any); the latest handler
   * wins; returning `undefined` falls through. Returns a function that removes the handler.
   */
  onCall(method: string, handler: CallHandler): () => void {
    const entry = { method, handler };
    this.handlers.unshift(entry);
    return () => {
      const i = this.handlers.indexOf(entry);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  /** Delays answers by `ms` for sends, copies, forwards and edits, or for the listed methods. */
  setLatency(ms: number, options: { methods?: string[] } = {}): void {
    this.latency = { ms, methods: options.methods ? new Set(options.methods) : undefined };
  }

  /** Sets what `getChatMember` answers for a user in a chat (default "member"); `extra` is merged in. */
  setChatMember(
    chatId: number,
    userId: number,
    status: MemberStatus,
    extra: Record<string, unknown> = {},
  ): void {
    this.chatRecord(chatId).members.set(userId, { ...memberOf(status), ...extra });
  }

  /**
   * Sets the bytes a download of this file serves (the file is then as large as `content`); `{ size }` alone makes
   * it that large without content, e.g. above the 20 MB download limit.
   */
  setFile(fileId: string, file: { content: Buffer } | { size: number }): void {
    const known = this.knowFile(fileId, uniqueIdFor(fileId), undefined);
    if ("content" in file) {
      known.content = file.content;
      known.file_size = file.content.length;
    } else {
      known.content = undefined;
      known.file_size = file.size;
    }
  }

  /** Marks a chat as a forum (topics enabled) or not. */
  setForum(chatId: number, isForum = true): void {
    const rec = this.chatRecord(chatId);
    if (rec.chat.type !== "supergroup")
      throw new Error(`chat ${chatId} is not a supergroup: it cannot be a forum`);
    rec.chat = isForum ? { ...rec.chat, is_forum: true } : { ...rec.chat, is_forum: undefined };
  }

  /** Overrides what the fake knows about a chat (title, username, type…). */
  setChat(chatId: number, chat: Partial<Chat>): void {
    const rec = this.chatRecord(chatId);
    rec.chat = { ...rec.chat, ...chat, id: chatId } as Chat;
  }

  /** Makes every message to a private chat fail with 403 "bot was blocked by the user" (or lifts it). */
  setBlocked(chatId: number, blocked = true): void {
    this.chatRecord(chatId).blocked = blocked;
  }

  /** Creates a forum topic as an administrator would (the chat becomes a forum); returns its thread id. */
  addForumTopic(chatId: number, name: string): number {
    const rec = this.chatRecord(chatId);
    if (!rec.chat.is_forum) this.setForum(chatId, true);
    const id = nextMessageId(chatId);
    rec.topics.set(id, { topic: { message_thread_id: id, name, icon_color: 7322096 }, deleted: false });
    return id;
  }

  /** A user deletes their own message (or the whole chat, message by message): copying it then gives 400. */
  deleteUserMessage(chatId: number, messageId: number): void {
    const stored = this.chatRecord(chatId).messages.get(messageId);
    if (stored) stored.deleted = true;
  }

  /** An administrator closes or deletes a forum topic: the bot's messages there get TOPIC_CLOSED / "thread not found". */
  setTopicState(chatId: number, threadId: number, state: "closed" | "deleted" | "open"): void {
    const topic = this.chatRecord(chatId).topics.get(threadId);
    if (!topic) throw new Error(`no topic ${threadId} in chat ${chatId}`);
    topic.closed = state === "closed";
    topic.deleted = state === "deleted";
  }

  // === Inspecting state

  /** A message as Telegram holds it now (after edits), or undefined if unknown or deleted. */
  message(chatId: number, messageId: number): Message | undefined {
    const stored = this.chats.get(chatId)?.messages.get(messageId);
    return stored && !stored.deleted ? stored.message : undefined;
  }

  /** The chat's messages (users' and the bot's) that are not deleted, oldest first. */
  chatMessages(chatId: number): Message[] {
    const rec = this.chats.get(chatId);
    if (!rec) return [];
    return [...rec.messages.values()]
      .filter((m) => !m.deleted)
      .map((m) => m.message)
      .sort((a, b) => a.message_id - b.message_id);
  }

  /** The bot's messages in a chat that are not deleted, oldest first, as they are now (after edits). */
  botMessages(chatId: number): Message[] {
    return this.chatMessages(chatId).filter((m) => m.from?.id === this.botInfo.id);
  }

  /** Forum topics of a chat that are not deleted. */
  forumTopics(chatId: number): ForumTopic[] {
    return [...(this.chats.get(chatId)?.topics.values() ?? [])].filter((t) => !t.deleted).map((t) => t.topic);
  }

  /** Commands set with setMyCommands for a scope and language (undefined if never set). */
  commands(
    scope: Record<string, unknown> = { type: "default" },
    languageCode = "",
  ): BotCommand[] | undefined {
    return this.commandSets.get(commandKey(scope, languageCode));
  }

  /** The webhook as set now, or undefined in polling mode. */
  webhookInfo(): { url: string; secretToken: string | undefined } | undefined {
    return this.webhook ? { url: this.webhook.url, secretToken: this.webhook.secretToken } : undefined;
  }

  /** Updates not yet confirmed by getUpdates (polling) or not yet delivered (webhook), oldest first. */
  pendingUpdates(): Update[] {
    return [...this.queue];
  }

  // === Updates

  /**
   * Queues an update as if a user did something; assigns `update_id` when missing (increasing).
   * Long polls waiting for updates return at once; with a webhook set, the update is POSTed to it.
   * Messages, users, chats, files and callback queries in the update become known to the fake, as they are
   * to Telegram (so the bot can copy, reply to and answer them). Returns the queued update.
   */
  pushUpdate(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    if (this.closed) throw new Error("pushUpdate after close()");
    const id = update.update_id ?? this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, id + 1);
    const full = { ...update, update_id: id } as Update;
    this.learn(full);
    this.queue.push(full);
    this.queue.sort((a, b) => a.update_id - b.update_id);
    if (this.webhook) this.pumpWebhook();
    else this.scheduleWake();
    return full;
  }

  /**
   * Makes what an update carries known, as {@link pushUpdate} does, without queuing it: for a bot run in the test's
   * own process that is handed the update with `bot.handleUpdate` (test/support/in-process-bot.ts).
   * Assigns `update_id` when missing.
   */
  receive(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const id = update.update_id ?? this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, id + 1);
    const full = { ...update, update_id: id } as Update;
    this.learn(full);
    return full;
  }

  /** Stops the server: pending long polls get `[]`, webhook deliveries stop, connections are closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const poll of [...this.polls]) poll.finish([]);
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.abort.abort();
    // Let answers already decided (the [] of pending polls) reach the bot before the sockets close.
    let capTimer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => {
      capTimer = setTimeout(resolve, 2000);
    });
    await Promise.race([Promise.allSettled([...this.requests]), cap]);
    clearTimeout(capTimer);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // === HTTP

  /** @internal called by the HTTP server for every request. */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const request = this.handleHttp(req, res).catch((error: unknown) => {
      send(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` });
    });
    this.requests.add(request);
    void request.finally(() => this.requests.delete(request));
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(file[1] ?? "", file[2] ?? "", res);
    const match = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    if (!match) return send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (match[1] !== this.token) {
      return send(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    const rawMethod = match[2] ?? "";
    const method = CANONICAL_METHOD.get(rawMethod.toLowerCase()) ?? rawMethod;
    let parsed: ReturnType<typeof parseParams>;
    try {
      parsed = parseParams(req.headers["content-type"], await readBody(req), url.searchParams);
    } catch (error) {
      const description = error instanceof BodyParseError ? error.description : String(error);
      return send(res, 400, { ok: false, error_code: 400, description });
    }
    const call = this.record(method, parsed.params, parsed.files, "http");
    let response: ApiResponse;
    if (method === "getUpdates") {
      this.notify();
      response = await this.answerGetUpdates(call, res);
    } else {
      response = this.answer(call);
    }
    const delay = this.latencyFor(method);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    send(res, response.ok ? 200 : response.error_code, response);
  }

  private async serveFile(token: string, path: string, res: ServerResponse): Promise<void> {
    if (token !== this.token)
      return send(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    const known = [...this.files.values()].find((f) => f.file_path === path);
    if (!known) return send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const content = known.content ?? Buffer.alloc(known.file_size, 0x61);
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": content.length });
    res.end(content);
  }

  private latencyFor(method: string): number {
    if (this.latency.ms <= 0) return 0;
    const applies = this.latency.methods
      ? this.latency.methods.has(method)
      : DEFAULT_LATENCY_METHODS.test(method);
    return applies ? this.latency.ms : 0;
  }

  private record(
    method: string,
    params: Record<string, unknown>,
    files: UploadedFile[],
    source: ApiCall["source"],
  ): ApiCall {
    const call: ApiCall = {
      index: this.calls.length,
      method,
      params,
      files,
      at: performance.now(),
      source,
      response: undefined,
      messages: [],
    };
    this.calls.push(call);
    return call;
  }

  /** Decides the answer of a (non-getUpdates) call: faults, then handlers, then the built-in behaviour. */
  private answer(call: ApiCall): ApiResponse {
    let response: ApiResponse;
    try {
      const injected = this.injected(call);
      response = injected ?? { ok: true, result: this.builtIn(call) };
    } catch (error) {
      response = toErrorResponse(error);
    }
    call.response = response;
    this.notify();
    return response;
  }

  private injected(call: ApiCall): ApiResponse | undefined {
    const fault = this.faults.find(
      (f) => (f.method === "*" || f.method === call.method) && (!f.when || f.when(call.params)),
    );
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      return { ok: false, ...fault.error };
    }
    for (const { method, handler } of [...this.handlers]) {
      if (method !== "*" && method !== call.method) continue;
      const override = handler(call.params, call);
      if (override === undefined) continue;
      if ("result" in override) return { ok: true, result: override.result };
      return override;
    }
    return undefined;
  }

  // === Long polling

  private async answerGetUpdates(call: ApiCall, res: ServerResponse): Promise<ApiResponse> {
    const injected = this.injected(call);
    if (injected) {
      call.response = injected;
      this.notify();
      return injected;
    }
    let response: ApiResponse;
    try {
      response = { ok: true, result: await this.getUpdates(call.params, res) };
    } catch (error) {
      response = toErrorResponse(error);
    }
    call.response = response;
    this.notify();
    return response;
  }

  private getUpdates(params: Record<string, unknown>, res: ServerResponse): Promise<Update[]> | Update[] {
    if (this.webhook) {
      throw new ApiFailure(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeout = Math.max(0, Number(params.timeout ?? 0));
    if (Array.isArray(params.allowed_updates)) this.allowedUpdates = params.allowed_updates.map(String);
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
    const ready = this.readyUpdates(limit);
    if (ready.length > 0 || timeout === 0 || this.closed) return ready;
    for (const older of [...this.polls]) {
      older.finish({
        error_code: 409,
        description:
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      });
    }
    return new Promise<Update[]>((resolve, reject) => {
      const poll: PendingPoll = {
        limit,
        finish: (result) => {
          if (!this.polls.delete(poll)) return;
          clearTimeout(timer);
          if (Array.isArray(result)) resolve(result);
          else reject(new ApiFailure(result.error_code, result.description));
        },
      };
      // Telegram's timeout is in whole seconds; fractions are accepted here so that tests stay fast.
      const timer = setTimeout(() => poll.finish([]), timeout * 1000);
      this.polls.add(poll);
      res.on("close", () => {
        if (!res.writableEnded) poll.finish([]);
      });
    });
  }

  private readyUpdates(limit: number): Update[] {
    const allowed =
      this.allowedUpdates && this.allowedUpdates.length > 0 ? new Set(this.allowedUpdates) : undefined;
    const isAllowed = (u: Update): boolean => {
      const type = updateType(u);
      return allowed ? allowed.has(type) : !OPT_IN_UPDATES.has(type);
    };
    for (const u of this.queue.filter((u) => !isAllowed(u))) this.droppedUpdates.push(u);
    this.queue = this.queue.filter(isAllowed);
    return this.queue.slice(0, limit);
  }

  private scheduleWake(): void {
    if (this.wakeScheduled || this.polls.size === 0) return;
    this.wakeScheduled = true;
    // Deferred so that updates pushed in one go (an album) arrive in one getUpdates answer.
    setImmediate(() => {
      this.wakeScheduled = false;
      for (const poll of [...this.polls]) {
        const ready = this.readyUpdates(poll.limit);
        if (ready.length > 0) poll.finish(ready);
      }
    });
  }

  // === Webhook

  private pumpWebhook(): void {
    const hook = this.webhook;
    if (!hook || this.closed) return;
    const ready = this.readyUpdates(100);
    for (const update of ready) {
      if (this.inFlight.size >= hook.maxConnections) break;
      if (this.inFlight.has(update.update_id) || this.retryTimers.has(update.update_id)) continue;
      void this.deliver(update, hook.url, hook.secretToken);
    }
  }

  private async deliver(update: Update, url: string, secretToken: string | undefined): Promise<void> {
    this.inFlight.add(update.update_id);
    const at = performance.now();
    let delivery: WebhookDelivery;
    try {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (secretToken !== undefined) headers["X-Telegram-Bot-Api-Secret-Token"] = secretToken;
      const response = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(update),
        signal: this.abort.signal,
      });
      const body = await response.text();
      delivery = { updateId: update.update_id, url, status: response.status, at };
      if (response.ok) {
        this.queue = this.queue.filter((u) => u.update_id !== update.update_id);
        this.webhookReply(body);
      } else {
        this.lastWebhookError = {
          date: nowSeconds(),
          message: `Wrong response from the webhook: ${response.status} ${response.statusText}`,
        };
      }
    } catch (error) {
      delivery = { updateId: update.update_id, url, status: null, error: String(error), at };
      this.lastWebhookError = { date: nowSeconds(), message: "Connection refused" };
    }
    this.inFlight.delete(update.update_id);
    if (this.closed) return;
    this.webhookDeliveries.push(delivery);
    if (delivery.status === null || delivery.status < 200 || delivery.status >= 300) {
      // Telegram keeps retrying with growing pauses; doubling from webhookRetryMs, at most 5 s apart.
      const attempts = this.webhookDeliveries.filter((d) => d.updateId === update.update_id).length;
      const delay = Math.min(5000, this.webhookRetryMs * 2 ** (attempts - 1));
      this.retryTimers.set(
        update.update_id,
        setTimeout(() => {
          this.retryTimers.delete(update.update_id);
          this.pumpWebhook();
        }, delay),
      );
    }
    this.notify();
    this.pumpWebhook();
  }

  /** A bot may answer a webhook request with one method call in the response body; Telegram executes it. */
  private webhookReply(body: string): void {
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = asRecord(JSON.parse(body));
    } catch {
      return;
    }
    if (!parsed || typeof parsed.method !== "string") return;
    const { method: rawMethod, ...params } = parsed;
    const method = CANONICAL_METHOD.get(rawMethod.toLowerCase()) ?? rawMethod;
    this.answer(this.record(method, params, [], "webhook-reply"));
  }

  // === Waiting

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private waitUntil<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const listener = (): void => {
        let value: T | undefined;
        try {
          value = check();
        } catch (error) {
          // A throwing predicate fails its own wait, never the fake's answer to the bot.
          this.listeners.delete(listener);
          clearTimeout(timer);
          reject(error);
          return;
        }
        if (value === undefined) return;
        this.listeners.delete(listener);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        const recent = this.calls
          .filter((c) => c.method !== "getUpdates")
          .slice(-12)
          .map(describeCall);
        reject(
          new Error(
            `Timed out after ${timeoutMs} ms: ${describe()}.\nLast calls the fake Bot API saw (getUpdates omitted):\n` +
              (recent.length > 0 ? recent.join("\n") : "  (none)"),
          ),
        );
      }, timeoutMs);
      this.listeners.add(listener);
      listener();
    });
  }

  // === Knowledge from updates

  private learn(update: Update): void {
    const messages = [update.message, update.edited_message, update.channel_post, update.edited_channel_post];
    for (const message of messages) if (message) this.learnMessage(message);
    const cq = update.callback_query;
    if (cq) {
      this.users.set(cq.from.id, cq.from);
      this.callbackQueries.set(cq.id, { answered: false });
      const shown = cq.message;
      if (shown && shown.date !== 0) {
        // A message the fake never saw (built by hand in a test) becomes known; a known one keeps its state.
        if (!this.chats.get(shown.chat.id)?.messages.has(shown.message_id))
          this.learnMessage(shown as Message);
        else this.learnChat(shown.chat);
      }
    }
    const member = update.my_chat_member ?? update.chat_member;
    if (member) {
      this.learnChat(member.chat);
      this.users.set(member.from.id, member.from);
      const rec = this.chatRecord(member.chat.id);
      const who = member.new_chat_member.user;
      this.users.set(who.id, who);
      rec.members.set(who.id, { ...member.new_chat_member });
      if (update.my_chat_member && member.chat.type === "private") {
        rec.blocked = member.new_chat_member.status === "kicked";
      }
    }
  }

  private learnMessage(message: Message): void {
    this.learnChat(message.chat);
    if (message.from) this.users.set(message.from.id, message.from);
    const rec = this.chatRecord(message.chat.id);
    noteMessageId(message.chat.id, message.message_id);
    const existing = rec.messages.get(message.message_id);
    rec.messages.set(message.message_id, {
      message,
      byBot: message.from?.id === this.botInfo.id,
      deleted: existing?.deleted ?? false,
    });
    const replied = message.reply_to_message;
    if (replied && !rec.messages.has(replied.message_id)) this.learnMessage(replied);
    if (message.is_topic_message && message.message_thread_id !== undefined) {
      if (!rec.topics.has(message.message_thread_id)) {
        rec.topics.set(message.message_thread_id, {
          topic: { message_thread_id: message.message_thread_id, name: "Topic", icon_color: 7322096 },
          deleted: false,
        });
      }
    }
    for (const file of filesOf(message)) this.knowFile(file.file_id, file.file_unique_id, file.file_size);
  }

  private learnChat(chat: Chat): void {
    const rec = this.chatRecord(chat.id);
    rec.chat = { ...rec.chat, ...chat } as Chat;
  }

  private chatRecord(chatId: number): ChatRecord {
    let rec = this.chats.get(chatId);
    if (!rec) {
      rec = {
        chat: this.defaultChat(chatId),
        messages: new Map(),
        topics: new Map(),
        members: new Map(),
        blocked: false,
        menuButton: undefined,
      };
      this.chats.set(chatId, rec);
    }
    return rec;
  }

  private defaultChat(chatId: number): Chat {
    if (chatId > 0) {
      const user = this.users.get(chatId);
      return {
        id: chatId,
        type: "private",
        first_name: user?.first_name ?? `User ${chatId}`,
        ...(user?.last_name ? { last_name: user.last_name } : {}),
        ...(user?.username ? { username: user.username } : {}),
      };
    }
    return { id: chatId, type: "supergroup", title: `Group ${chatId}` };
  }

  private knowFile(
    fileId: string,
    uniqueId: string,
    size: number | undefined,
    kind = "documents",
  ): KnownFile {
    let known = this.files.get(fileId);
    if (!known) {
      known = {
        file_unique_id: uniqueId,
        file_size: size ?? 2048,
        file_path: `${kind}/file_${this.files.size}`,
      };
      this.files.set(fileId, known);
    }
    return known;
  }

  // === Built-in methods

  private builtIn(call: ApiCall): unknown {
    const p = call.params;
    const media = MEDIA_KINDS[call.method];
    if (media) return this.keep(call, this.sendMedia(media, p));
    switch (call.method) {
      case "getMe":
        return this.botInfo;
      case "setWebhook":
        return this.setWebhook(p);
      case "deleteWebhook":
        this.webhook = undefined;
        if (p.drop_pending_updates === true) this.queue = [];
        this.scheduleWake();
        return true;
      case "getWebhookInfo":
        return this.getWebhookInfo();
      case "sendMessage":
        return this.keep(call, this.sendMessage(p));
      case "sendLocation":
      case "sendVenue":
      case "sendContact":
      case "sendDice":
      case "sendPoll":
        return this.keep(call, this.sendOther(call.method, p));
      case "sendMediaGroup": {
        const album = this.sendMediaGroup(p);
        this.keep(call, ...album);
        return album;
      }
      case "copyMessage": {
        const copy = this.copyMessage(p, p.message_id, false);
        if (!copy) throw badRequest("message to copy not found");
        this.keep(call, copy);
        return { message_id: copy.message_id };
      }
      case "forwardMessage": {
        const forward = this.copyMessage(p, p.message_id, true);
        if (!forward) throw badRequest("message to forward not found");
        return this.keep(call, forward);
      }
      case "copyMessages":
      case "forwardMessages": {
        const ids = Array.isArray(p.message_ids) ? p.message_ids : [];
        const copies = ids
          .map((id) => this.copyMessage(p, id, call.method === "forwardMessages"))
          .filter((m): m is Message => m !== undefined);
        if (copies.length === 0) throw badRequest(`there are no messages to ${call.method.slice(0, -8)}`);
        this.keep(call, ...copies);
        return copies.map((m) => ({ message_id: m.message_id }));
      }
      case "editMessageText":
      case "editMessageCaption":
      case "editMessageReplyMarkup":
      case "editMessageMedia":
        return this.edit(call);
      case "deleteMessage": {
        const stored = this.stored(p, p.message_id);
        if (!stored || stored.deleted) throw badRequest("message to delete not found");
        stored.deleted = true;
        return true;
      }
      case "deleteMessages": {
        const rec = this.chatRecord(this.chatId(p));
        for (const id of Array.isArray(p.message_ids) ? p.message_ids : []) {
          const stored = rec.messages.get(Number(id));
          if (stored) stored.deleted = true;
        }
        return true;
      }
      case "answerCallbackQuery": {
        const query = this.callbackQueries.get(String(p.callback_query_id ?? ""));
        if (!query || query.answered) {
          throw badRequest("query is too old and response timeout expired or query ID is invalid");
        }
        if (typeof p.text === "string" && p.text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
        query.answered = true;
        return true;
      }
      case "sendChatAction":
        this.assertCanWrite(this.chatId(p));
        return true;
      case "leaveChat": {
        const rec = this.chatRecord(this.chatId(p));
        rec.members.set(this.botInfo.id, memberOf("left"));
        return true;
      }
      case "getChat":
        return this.getChat(p);
      case "getChatMember":
        return this.getChatMember(this.chatId(p), Number(p.user_id));
      case "getChatAdministrators": {
        const rec = this.chatRecord(this.chatId(p));
        return [...rec.members.keys()]
          .map((userId) => this.getChatMember(rec.chat.id, userId))
          .filter((m) => m.status === "administrator" || m.status === "creator");
      }
      case "getChatMemberCount":
        return Math.max(2, this.chatRecord(this.chatId(p)).members.size);
      case "createForumTopic":
        return this.createForumTopic(p);
      case "deleteForumTopic": {
        const topic = this.chatRecord(this.chatId(p)).topics.get(Number(p.message_thread_id));
        if (!topic || topic.deleted) throw badRequest("message thread not found");
        topic.deleted = true;
        return true;
      }
      case "setMyCommands":
        return this.setMyCommands(p);
      case "getMyCommands":
        return this.commandSets.get(commandKey(p.scope, p.language_code)) ?? [];
      case "deleteMyCommands":
        this.commandSets.delete(commandKey(p.scope, p.language_code));
        return true;
      case "setChatMenuButton":
        if (p.chat_id !== undefined) this.chatRecord(this.chatId(p)).menuButton = p.menu_button;
        return true;
      case "getChatMenuButton":
        return (
          (p.chat_id !== undefined ? this.chatRecord(this.chatId(p)).menuButton : undefined) ?? {
            type: "commands",
          }
        );
      case "getFile":
        return this.getFile(p);
      default:
        return true;
    }
  }

  private keep(call: ApiCall, ...messages: Message[]): Message {
    call.messages = messages;
    return messages[0] as Message;
  }

  private chatId(p: Record<string, unknown>): number {
    const raw = p.chat_id;
    if (raw === undefined || raw === null || raw === "") throw badRequest("chat_id is empty");
    if (typeof raw === "number") return raw;
    const s = String(raw);
    if (/^-?\d+$/.test(s)) return Number(s);
    const username = s.replace(/^@/, "").toLowerCase();
    for (const rec of this.chats.values()) {
      if (rec.chat.username?.toLowerCase() === username) return rec.chat.id;
    }
    throw badRequest("chat not found");
  }

  private assertCanWrite(chatId: number): void {
    const rec = this.chatRecord(chatId);
    if (rec.chat.type === "private") {
      if (rec.blocked) throw new ApiFailure(403, "Forbidden: bot was blocked by the user");
      return;
    }
    const status = rec.members.get(this.botInfo.id)?.status;
    const kind = rec.chat.type === "channel" ? "channel" : rec.chat.type === "group" ? "group" : "supergroup";
    if (status === "kicked") throw new ApiFailure(403, `Forbidden: bot was kicked from the ${kind} chat`);
    if (status === "left") throw new ApiFailure(403, `Forbidden: bot is not a member of the ${kind} chat`);
    const member = rec.members.get(this.botInfo.id);
    if (status === "restricted" && member?.can_send_messages === false)
      throw badRequest("not enough rights to send text messages to the chat");
  }

  private text(p: Record<string, unknown>): { text: string; entities?: MessageEntity[] } {
    const raw = typeof p.text === "string" ? p.text : p.text === undefined ? "" : String(p.text);
    const formatted = formatText(raw, p.parse_mode, p.entities as MessageEntity[] | undefined);
    if (formatted.text === "") throw badRequest("message text is empty");
    if (formatted.text.length > 4096) throw badRequest("message is too long");
    const entities = normaliseEntities(formatted.entities);
    return entities ? { text: formatted.text, entities } : { text: formatted.text };
  }

  private caption(p: Record<string, unknown>): { caption?: string; caption_entities?: MessageEntity[] } {
    if (p.caption === undefined || p.caption === null) return {};
    const formatted = formatText(
      String(p.caption),
      p.parse_mode,
      p.caption_entities as MessageEntity[] | undefined,
    );
    if (formatted.text.length > 1024) throw badRequest("message caption is too long");
    if (formatted.text === "") return {};
    const entities = normaliseEntities(formatted.entities);
    return entities ? { caption: formatted.text, caption_entities: entities } : { caption: formatted.text };
  }

  /** The common part of a message the bot sends: id, chat, sender, date, thread, reply, keyboard. */
  private newBotMessage(p: Record<string, unknown>, content: Record<string, unknown>): Message {
    const chatId = this.chatId(p);
    this.assertCanWrite(chatId);
    const rec = this.chatRecord(chatId);
    validateReplyMarkup(p.reply_markup);
    const message: Record<string, unknown> = {};
    const threadId = p.message_thread_id === undefined ? undefined : Number(p.message_thread_id);
    if (threadId !== undefined && rec.chat.is_forum) {
      const topic = rec.topics.get(threadId);
      if (threadId !== 1 && (!topic || topic.deleted)) throw badRequest("message thread not found");
      if (topic?.closed) throw badRequest("TOPIC_CLOSED");
    }
    const replyParameters = asRecord(p.reply_parameters);
    const replyTo = Number(replyParameters?.message_id ?? p.reply_to_message_id ?? Number.NaN);
    let reply: Message | undefined;
    if (!Number.isNaN(replyTo)) {
      const target = rec.messages.get(replyTo);
      if (target && !target.deleted) reply = stripReply(target.message);
      else if (!(replyParameters?.allow_sending_without_reply ?? p.allow_sending_without_reply)) {
        throw badRequest("message to be replied not found");
      }
    }
    const messageId = nextMessageId(chatId);
    Object.assign(message, {
      message_id: messageId,
      from: this.botAsUser,
      chat: chatSnapshot(rec.chat),
      date: nowSeconds(),
    });
    if (threadId !== undefined) {
      message.message_thread_id = threadId;
      if (rec.chat.is_forum) message.is_topic_message = true;
    }
    if (reply) message.reply_to_message = reply;
    Object.assign(message, content);
    const markup = inlineMarkup(p.reply_markup);
    if (markup) message.reply_markup = markup;
    if (p.protect_content === true) message.has_protected_content = true;
    const result = message as unknown as Message;
    rec.messages.set(messageId, { message: result, byBot: true, deleted: false });
    return result;
  }

  private sendMessage(p: Record<string, unknown>): Message {
    return this.newBotMessage(p, this.text(p));
  }

  private sendMedia(kind: FileKind, p: Record<string, unknown>): Message {
    const content: Record<string, unknown> = { ...this.mediaContent(kind, p[kind], p), ...this.caption(p) };
    if (p.has_spoiler === true) content.has_media_spoiler = true;
    if (p.show_caption_above_media === true) content.show_caption_above_media = true;
    return this.newBotMessage(p, content);
  }

  private mediaContent(kind: FileKind, value: unknown, p: Record<string, unknown>): Record<string, unknown> {
    if (value === undefined || value === null || value === "")
      throw badRequest(`there is no ${kind} in the request`);
    const upload = asRecord(value);
    let ids: { file_id: string; file_unique_id: string };
    let size: number;
    let fileName: string | undefined;
    if (upload) {
      ids = newFileIds(kind);
      size = Number(upload.size ?? 0);
      fileName = typeof upload.filename === "string" ? upload.filename : undefined;
    } else {
      const s = String(value);
      if (s.startsWith("attach://")) throw badRequest("wrong file identifier/HTTP URL specified");
      if (/^https?:\/\//.test(s)) {
        ids = newFileIds(kind);
        size = 4096;
        fileName = s.split("/").pop();
      } else {
        const known = this.files.get(s);
        ids = { file_id: s, file_unique_id: known?.file_unique_id ?? uniqueIdFor(s) };
        size = known?.file_size ?? 2048;
      }
    }
    this.knowFile(ids.file_id, ids.file_unique_id, size, `${kind}s`);
    const file = { ...ids, file_size: size };
    const duration = Number(p.duration ?? 5);
    switch (kind) {
      case "photo": {
        const small = newFileIds("photo");
        const medium = newFileIds("photo");
        this.knowFile(small.file_id, small.file_unique_id, Math.ceil(size / 20), "photos");
        this.knowFile(medium.file_id, medium.file_unique_id, Math.ceil(size / 4), "photos");
        return {
          photo: [
            { ...small, width: 90, height: 68, file_size: Math.ceil(size / 20) },
            { ...medium, width: 320, height: 240, file_size: Math.ceil(size / 4) },
            { ...file, width: 1280, height: 960 },
          ],
        };
      }
      case "document":
        return {
          document: { ...file, file_name: fileName ?? "document.dat", mime_type: mimeOf(fileName) },
        };
      case "video":
        return { video: { ...file, width: 1280, height: 720, duration, mime_type: "video/mp4" } };
      case "voice":
        return { voice: { ...file, duration, mime_type: "audio/ogg" } };
      case "audio":
        return { audio: { ...file, duration, mime_type: "audio/mpeg", file_name: fileName ?? "audio.mp3" } };
      case "animation": {
        const animation = {
          ...file,
          width: 320,
          height: 240,
          duration,
          mime_type: "video/mp4",
          file_name: "animation.mp4",
        };
        return { animation, document: { ...file, file_name: "animation.mp4", mime_type: "video/mp4" } };
      }
      case "sticker":
        return {
          sticker: {
            ...file,
            type: "regular",
            width: 512,
            height: 512,
            is_animated: false,
            is_video: false,
            emoji: "👍",
          },
        };
      case "video_note":
        return { video_note: { ...file, length: 240, duration } };
      default:
        return { document: file };
    }
  }

  private sendOther(method: string, p: Record<string, unknown>): Message {
    switch (method) {
      case "sendLocation": {
        const location = latLon(p);
        return this.newBotMessage(p, { location });
      }
      case "sendVenue":
        return this.newBotMessage(p, {
          location: latLon(p),
          venue: { location: latLon(p), title: String(p.title ?? ""), address: String(p.address ?? "") },
        });
      case "sendContact": {
        if (!p.phone_number || !p.first_name)
          throw badRequest("phone number and first name must be non-empty");
        const contact: Record<string, unknown> = {
          phone_number: String(p.phone_number),
          first_name: String(p.first_name),
        };
        if (p.last_name) contact.last_name = String(p.last_name);
        return this.newBotMessage(p, { contact });
      }
      case "sendDice":
        return this.newBotMessage(p, { dice: { emoji: String(p.emoji ?? "🎲"), value: 1 } });
      default: {
        const options = (Array.isArray(p.options) ? p.options : []).map((o) => ({
          text: typeof o === "string" ? o : String(asRecord(o)?.text ?? ""),
          voter_count: 0,
        }));
        return this.newBotMessage(p, {
          poll: {
            id: `${Date.now()}`,
            question: String(p.question ?? ""),
            options,
            total_voter_count: 0,
            is_closed: false,
            is_anonymous: p.is_anonymous !== false,
            type: p.type === "quiz" ? "quiz" : "regular",
            allows_multiple_answers: p.allows_multiple_answers === true,
          },
        });
      }
    }
  }

  private sendMediaGroup(p: Record<string, unknown>): Message[] {
    const media = Array.isArray(p.media) ? p.media : [];
    if (media.length < 2 || media.length > 10) throw badRequest("wrong number of media items: 2-10 expected");
    if (p.reply_markup !== undefined) throw badRequest("reply markup is not allowed in media groups");
    this.mediaGroupCounter += 1;
    const groupId = `1300000000000${String(this.mediaGroupCounter).padStart(6, "0")}`;
    const contents = media.map((item) => {
      const m = asRecord(item) ?? {};
      const type = String(m.type ?? "photo");
      if (!["photo", "video", "document", "audio"].includes(type))
        throw badRequest("wrong media type in the album");
      const content: Record<string, unknown> = {
        ...this.mediaContent(type as FileKind, m.media, m),
        ...this.caption(m),
        media_group_id: groupId,
      };
      if (m.has_spoiler === true) content.has_media_spoiler = true;
      return content;
    });
    return contents.map((content) => this.newBotMessage(p, content));
  }

  private copyMessage(p: Record<string, unknown>, messageId: unknown, forward: boolean): Message | undefined {
    const fromChat = this.chatId({ chat_id: p.from_chat_id });
    const source = this.chats.get(fromChat)?.messages.get(Number(messageId));
    if (!source || source.deleted) return undefined;
    const original = source.message as unknown as Record<string, unknown>;
    const content: Record<string, unknown> = {};
    for (const field of COPYABLE_FIELDS) if (original[field] !== undefined) content[field] = original[field];
    if (original.media_group_id !== undefined && forward) content.media_group_id = original.media_group_id;
    if (!forward && p.caption !== undefined) {
      delete content.caption;
      delete content.caption_entities;
      Object.assign(content, this.caption(p));
    }
    if (forward) {
      const sender = source.message.from;
      content.forward_origin = sender
        ? { type: "user", sender_user: sender, date: source.message.date }
        : { type: "hidden_user", sender_user_name: "Hidden", date: source.message.date };
    }
    return this.newBotMessage({ ...p, message_id: undefined }, content);
  }

  private stored(p: Record<string, unknown>, messageId: unknown): StoredMessage | undefined {
    return this.chatRecord(this.chatId(p)).messages.get(Number(messageId));
  }

  private edit(call: ApiCall): Message | true {
    const p = call.params;
    validateReplyMarkup(p.reply_markup);
    if (p.inline_message_id !== undefined) {
      if (call.method === "editMessageText") this.text(p);
      if (call.method === "editMessageCaption") this.caption(p);
      return true;
    }
    const chatId = this.chatId(p);
    this.assertCanWrite(chatId);
    const stored = this.stored(p, p.message_id);
    if (!stored || stored.deleted) throw badRequest("message to edit not found");
    if (!stored.byBot) throw badRequest("message can't be edited");
    const current = stored.message as unknown as Record<string, unknown>;
    const next: Record<string, unknown> = { ...current };
    delete next.reply_markup;
    const markup = inlineMarkup(p.reply_markup);
    if (markup) next.reply_markup = markup;
    switch (call.method) {
      case "editMessageText": {
        if (current.text === undefined) throw badRequest("there is no text in the message to edit");
        const { text, entities } = this.text(p);
        next.text = text;
        if (entities) next.entities = entities;
        else delete next.entities;
        break;
      }
      case "editMessageCaption": {
        if (current.text !== undefined) throw badRequest("there is no caption in the message to edit");
        const { caption, caption_entities } = this.caption(p);
        delete next.caption;
        delete next.caption_entities;
        if (caption !== undefined) next.caption = caption;
        if (caption_entities) next.caption_entities = caption_entities;
        break;
      }
      case "editMessageMedia": {
        const media = asRecord(p.media);
        if (!media) throw badRequest("there is no media in the request");
        for (const field of ["photo", "video", "document", "audio", "animation"]) delete next[field];
        delete next.caption;
        delete next.caption_entities;
        Object.assign(next, this.mediaContent(String(media.type ?? "photo") as FileKind, media.media, media));
        Object.assign(next, this.caption(media));
        break;
      }
      default:
        break;
    }
    const unchanged =
      sameJson(next.text, current.text) &&
      sameJson(next.entities, current.entities) &&
      sameJson(next.caption, current.caption) &&
      sameJson(next.caption_entities, current.caption_entities) &&
      sameJson(next.reply_markup, current.reply_markup) &&
      call.method !== "editMessageMedia";
    if (unchanged) throw badRequest(NOT_MODIFIED);
    next.edit_date = nowSeconds();
    const edited = next as unknown as Message;
    stored.message = edited;
    call.messages = [edited];
    return edited;
  }

  private getChat(p: Record<string, unknown>): Record<string, unknown> {
    const rec = this.chatRecord(this.chatId(p));
    return {
      ...rec.chat,
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: {
        unlimited_gifts: false,
        limited_gifts: false,
        unique_gifts: false,
        premium_subscription: false,
        gifts_from_channels: false,
      },
    };
  }

  private getChatMember(chatId: number, userId: number): Record<string, unknown> & { status: string } {
    if (!Number.isFinite(userId)) throw badRequest("invalid user_id specified");
    const rec = this.chatRecord(chatId);
    const member = rec.members.get(userId) ?? memberOf("member");
    const user = this.users.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` };
    return { status: "member", ...member, user };
  }

  private createForumTopic(p: Record<string, unknown>): ForumTopic {
    const rec = this.chatRecord(this.chatId(p));
    this.assertCanWrite(rec.chat.id);
    if (!rec.chat.is_forum) throw badRequest("the chat is not a forum");
    const name = String(p.name ?? "");
    if (name.length < 1 || name.length > 128) throw badRequest("TOPIC_TITLE_EMPTY");
    const id = nextMessageId(rec.chat.id);
    const topic: ForumTopic = {
      message_thread_id: id,
      name,
      icon_color: Number(p.icon_color ?? 7322096),
      ...(typeof p.icon_custom_emoji_id === "string" ? { icon_custom_emoji_id: p.icon_custom_emoji_id } : {}),
    };
    rec.topics.set(id, { topic, deleted: false });
    return topic;
  }

  private setMyCommands(p: Record<string, unknown>): true {
    const commands = Array.isArray(p.commands) ? p.commands : [];
    if (commands.length > 100) throw badRequest("too many commands");
    for (const c of commands) {
      const command = String(asRecord(c)?.command ?? "");
      const description = String(asRecord(c)?.description ?? "");
      if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
      if (description.length < 1 || description.length > 256)
        throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    }
    this.commandSets.set(commandKey(p.scope, p.language_code), commands as BotCommand[]);
    return true;
  }

  private setWebhook(p: Record<string, unknown>): true {
    const url = typeof p.url === "string" ? p.url : "";
    if (url === "") {
      this.webhook = undefined;
      this.scheduleWake();
      return true;
    }
    try {
      new URL(url);
    } catch {
      throw badRequest("bad webhook: Failed to resolve host: Name or service not known");
    }
    const secret = typeof p.secret_token === "string" ? p.secret_token : undefined;
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw badRequest("bad webhook: secret token contains unallowed characters");
    }
    if (Array.isArray(p.allowed_updates)) this.allowedUpdates = p.allowed_updates.map(String);
    if (p.drop_pending_updates === true) this.queue = [];
    for (const poll of [...this.polls]) {
      poll.finish({
        error_code: 409,
        description: "Conflict: terminated by setWebhook request",
      });
    }
    this.webhook = { url, secretToken: secret, maxConnections: Number(p.max_connections ?? 40) };
    this.pumpWebhook();
    return true;
  }

  private getWebhookInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      url: this.webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
    };
    if (this.webhook) {
      info.max_connections = this.webhook.maxConnections;
      info.ip_address = "127.0.0.1";
      if (this.allowedUpdates) info.allowed_updates = this.allowedUpdates;
      if (this.lastWebhookError) {
        info.last_error_date = this.lastWebhookError.date;
        info.last_error_message = this.lastWebhookError.message;
      }
    }
    return info;
  }

  private getFile(p: Record<string, unknown>): Record<string, unknown> {
    const fileId = String(p.file_id ?? "");
    if (fileId === "") throw badRequest("file_id is empty");
    const known = this.knowFile(fileId, uniqueIdFor(fileId), undefined);
    if (known.file_size > DOWNLOAD_LIMIT_BYTES) throw badRequest("file is too big");
    return {
      file_id: fileId,
      file_unique_id: known.file_unique_id,
      file_size: known.file_size,
      file_path: known.file_path,
    };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

function toErrorResponse(error: unknown): ApiResponse {
  if (error instanceof ApiFailure) {
    return {
      ok: false,
      error_code: error.error_code,
      description: error.description,
      ...(error.parameters ? { parameters: error.parameters } : {}),
    };
  }
  if (error instanceof FormattingError) return { ok: false, error_code: 400, description: error.description };
  return {
    ok: false,
    error_code: 500,
    description: `Internal Server Error: fake Bot API bug: ${String(error)}`,
  };
}

/** Starts a fake Bot API on 127.0.0.1 with a random port. Close it with {@link FakeBotApi.close}. */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  let api: FakeBotApi | undefined;
  const server = createServer((req, res) => {
    if (!api) return send(res, 503, { ok: false, error_code: 503, description: "Service Unavailable" });
    api.handleRequest(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  api = new FakeBotApi(server, port, options);
  return api;
}
