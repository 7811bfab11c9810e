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
}

/**
 * The HTTP side of a bot process: `GET /healthz` in every mode (200 when the database and Redis answer, 503
 * otherwise) and, in webhook mode, Telegram's updates on the webhook path.
 */
export function createServer(deps: ServerDeps): Server {
  return createHttpServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      deps.health().then(
        (checks) => {
          const ok = Object.values(checks).every(Boolean);
          res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
          res.end(JSON.stringify({ status: ok ? "ok" : "degraded", ...checks }));
        },
        () => {
          res.writeHead(503, { "content-type": "application/json" }).end('{"status":"error"}');
        },
      );
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
