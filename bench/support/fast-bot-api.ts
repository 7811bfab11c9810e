import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The token both bots under benchmark get; the fake answers any token. */
export const BENCH_TOKEN = "123456:BENCH";

const BOT_INFO = {
  id: 123456,
  is_bot: true,
  first_name: "Awasi",
  username: "awasi_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
};

/** Options of {@link startFastBotApi}. */
export interface FastBotApiOptions {
  /**
   * Telegram's overall sending limit: more than this many message sends in one second are refused with 429
   * (retry_after 1), as Telegram does. Unset = no limit.
   */
  sendsPerSecond?: number;
}

/** A running {@link startFastBotApi}. */
export interface FastBotApi {
  root: string;
  /** Calls answered, by method. */
  calls: Map<string, number>;
  /** 429 answers given. */
  tooManyRequests(): number;
  /** The callback data of the last Submit button (`rep:submit:…`) the bot showed in a chat. */
  submitButton(chatId: number): string | undefined;
  close(): Promise<void>;
}

const SENDS = new Set(["sendMessage", "copyMessage", "sendPhoto", "sendDocument", "sendVideo", "sendVoice"]);
const SUBMIT = /"(rep:submit:[^"]+)"/;

/**
 * A Bot API that answers every method at once with a plausible `ok` result and keeps almost nothing, so that it
 * costs the benchmark little CPU and no growing memory (test/support/fake-bot-api.ts stores every message and
 * parses every text for Telegram's checks: right for tests, too heavy here). It remembers one thing per chat:
 * the last Submit button, which the report conversation presses at the end.
 */
export async function startFastBotApi(options: FastBotApiOptions = {}): Promise<FastBotApi> {
  const calls = new Map<string, number>();
  const submit = new Map<number, string>();
  let messageId = 1;
  let refused = 0;
  const window: number[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = req.url ?? "";
      const method = url.slice(url.lastIndexOf("/") + 1).split("?")[0] ?? "";
      calls.set(method, (calls.get(method) ?? 0) + 1);
      const body = chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
      if (options.sendsPerSecond !== undefined && SENDS.has(method)) {
        const now = performance.now();
        while (window.length > 0 && window[0]! <= now - 1000) window.shift();
        if (window.length >= options.sendsPerSecond) {
          refused += 1;
          return answer(res, 429, {
            ok: false,
            error_code: 429,
            description: "Too Many Requests: retry after 1",
            parameters: { retry_after: 1 },
          });
        }
        window.push(now);
      }
      answer(res, 200, { ok: true, result: resultOf(method, body) });
    });
  });

  function resultOf(method: string, body: string): unknown {
    switch (method) {
      case "getMe":
        return BOT_INFO;
      case "getChatMember":
        return { status: "member", user: { id: 1, is_bot: false, first_name: "x" } };
      case "getWebhookInfo":
        return { url: "", has_custom_certificate: false, pending_update_count: 0 };
      case "sendMessage":
      case "editMessageText":
      case "sendPhoto":
      case "sendDocument":
      case "sendVideo":
      case "sendVoice": {
        const chatId = chatIdOf(body);
        const found = body.includes("rep:submit:") ? SUBMIT.exec(body) : null;
        if (found && chatId !== undefined) submit.set(chatId, found[1]!);
        messageId += 1;
        return {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId ?? 1, type: chatId !== undefined && chatId < 0 ? "supergroup" : "private" },
          text: "x",
        };
      }
      case "copyMessage":
        messageId += 1;
        return { message_id: messageId };
      default:
        return true;
    }
  }

  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    root: `http://127.0.0.1:${port}`,
    calls,
    tooManyRequests: () => refused,
    submitButton: (chatId) => submit.get(chatId),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: import("node:http").ServerResponse, status: number, value: unknown): void {
  const json = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

const CHAT_ID = /"chat_id":\s*"?(-?\d+)/;

/** The chat_id of a JSON body without parsing all of it (grammY sends JSON unless it uploads a file). */
function chatIdOf(body: string): number | undefined {
  const found = CHAT_ID.exec(body);
  return found ? Number(found[1]) : undefined;
}
