import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export interface ServerDeps {
  /** Checks each dependency; all true = healthy. */
  health: () => Promise<Record<string, boolean>>;
  /** Webhook mode: the path Telegram posts to and the handler (grammY's webhookCallback). */
  webhook?: { path: string; handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void };
  /** How long one health result answers every `/healthz` request (default {@link HEALTH_CACHE_MS}). */
  healthCacheMs?: number;
  /** `/healthz` requests one client address may make per window (default {@link HEALTH_RATE_LIMIT}). */
  healthRateLimit?: { limit: number; windowMs: number };
  /** The clock (milliseconds); tests inject one. */
  now?: () => number;
}

/** A probe every few seconds is plenty; a flood must not turn into database and Redis round trips. */
export const HEALTH_CACHE_MS = 1_500;
export const HEALTH_RATE_LIMIT = { limit: 20, windowMs: 10_000 };

type HealthAnswer = { status: number; body: string };

/**
 * `/healthz` that stays cheap under load: one check at a time, its answer reused for `cacheMs` (concurrent
 * requests share the check in flight), and at most `limit` requests per client address per window (429 after).
 * The per-address counts are dropped at every new window, so the table never outgrows one window's clients.
 */
function healthEndpoint(deps: ServerDeps) {
  const now = deps.now ?? Date.now;
  const cacheMs = deps.healthCacheMs ?? HEALTH_CACHE_MS;
  const { limit, windowMs } = deps.healthRateLimit ?? HEALTH_RATE_LIMIT;
  let cached: { at: number; answer: Promise<HealthAnswer> } | undefined;
  let windowStart = now();
  let counts = new Map<string, number>();

  const check = (): Promise<HealthAnswer> =>
    deps.health().then(
      (checks) => {
        const ok = Object.values(checks).every(Boolean);
        return {
          status: ok ? 200 : 503,
          body: JSON.stringify({ status: ok ? "ok" : "degraded", ...checks }),
        };
      },
      () => ({ status: 503, body: '{"status":"error"}' }),
    );

  return (req: IncomingMessage, res: ServerResponse): void => {
    const at = now();
    if (at - windowStart >= windowMs) {
      windowStart = at;
      counts = new Map();
    }
    const client = req.socket.remoteAddress ?? "unknown";
    const count = (counts.get(client) ?? 0) + 1;
    counts.set(client, count);
    if (count > limit) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000));
      res.writeHead(429, { "content-type": "application/json", "retry-after": String(retryAfter) });
      res.end('{"status":"rate-limited"}');
      return;
    }
    if (!cached || at - cached.at >= cacheMs) cached = { at, answer: check() };
    void cached.answer.then(({ status, body }) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(body);
    });
  };
}

/**
 * The HTTP side of a bot process: `GET /healthz` in every mode (200 when the database and Redis answer, 503
 * otherwise; cached and rate-limited, see {@link healthEndpoint}) and, in webhook mode, Telegram's updates on
 * the webhook path.
 */
export function createServer(deps: ServerDeps): Server {
  const health = healthEndpoint(deps);
  return createHttpServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      health(req, res);
      return;
    }
    if (deps.webhook && req.method === "POST" && path === deps.webhook.path) {
      Promise.resolve(deps.webhook.handle(req, res)).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve((server.address() as AddressInfo).port));
  });
}
