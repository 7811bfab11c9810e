import { connect, createServer, type Server, type Socket } from "node:net";

/** A TCP proxy between the bot and a shared server (PostgreSQL, Redis), to inject an outage; see {@link startTcpProxy}. */
export interface TcpProxy {
  /** The local port the bot connects to. */
  readonly port: number;
  /** Whether connections are being cut right now. */
  readonly isCut: boolean;
  /** Destroys every open connection and refuses new ones (they are accepted and reset at once) until {@link restore}. */
  cut(): void;
  /** Lets connections through again. */
  restore(): void;
  /** Rewrites a URL (postgresql://…, redis://…) to go through the proxy: same credentials and path, host 127.0.0.1 and {@link port}. */
  urlThrough(url: string): string;
  close(): Promise<void>;
}

/**
 * Listens on a free local port and pipes every connection to `target`. The outage is the proxy's, never the
 * shared server's: other tests on the machine keep using the real server while this one is cut.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let cutting = false;
  const server: Server = createServer((client) => {
    if (cutting) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no TCP port");
  const port = address.port;
  return {
    port,
    get isCut() {
      return cutting;
    },
    cut() {
      cutting = true;
      for (const socket of open) socket.resetAndDestroy();
      open.clear();
    },
    restore() {
      cutting = false;
    },
    urlThrough(url) {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The host and port of a server URL (postgresql://…, redis://…), for {@link startTcpProxy}. */
export function targetOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const defaultPort = parsed.protocol.startsWith("redis") ? 6379 : 5432;
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}
