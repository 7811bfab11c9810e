import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../support/bot-process.ts";

const compose = readFileSync(join(PROJECT_ROOT, "docker-compose.yml"), "utf8");
const example = readFileSync(join(PROJECT_ROOT, ".env.example"), "utf8");

/** The lines of one service's block (indented under `services:`), so a check cannot be met by another service. */
function serviceBlock(name: string): string {
  const lines = compose.split("\n");
  const start = lines.indexOf(`  ${name}:`);
  if (start < 0) throw new Error(`docker-compose.yml has no service "${name}"`);
  const end = lines.findIndex((line, index) => index > start && /^ {0,2}\S/.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

/** Every entry of every `ports:` list in the file, in either YAML form (block list or `[a, b]`). */
function publishedPorts(): string[] {
  const lines = compose.split("\n");
  const entries: string[] = [];
  lines.forEach((line, index) => {
    const key = line.match(/^(\s*)ports:\s*(.*)$/);
    if (!key) return;
    const inline = key[2]!.trim();
    if (inline.startsWith("[")) {
      entries.push(
        ...inline
          .slice(1, -1)
          .split(",")
          .map((entry) => entry.trim()),
      );
      return;
    }
    for (const next of lines.slice(index + 1)) {
      const item = next.match(/^(\s*)-\s*(.+)$/);
      if (!item || item[1]!.length <= key[1]!.length) break;
      entries.push(item[2]!.trim());
    }
  });
  return entries.map((entry) => entry.replace(/^["']|["']$/g, ""));
}

describe("docker-compose.yml (Docker cannot run here: the file is checked as text)", () => {
  it("writes no password: PostgreSQL's and Redis's come from .env and are required", () => {
    expect(compose).not.toMatch(/awasi:awasi@/);
    expect(compose).not.toMatch(/^\s+(POSTGRES_PASSWORD|REDIS_PASSWORD):[ \t]*[^$\s]/m);
    expect(compose).toContain("${POSTGRES_PASSWORD:?");
    expect(compose).toContain("${REDIS_PASSWORD:?");
    expect(example).toMatch(/^POSTGRES_PASSWORD=$/m);
    expect(example).toMatch(/^REDIS_PASSWORD=$/m);
  });

  it("runs Redis with a password and without persistence (no snapshot, no append-only file, no volume)", () => {
    expect(compose).toMatch(/redis-server --requirepass "\$\$REDIS_PASSWORD" --save "" --appendonly no/);
    expect(compose).not.toContain("redis-data");
    const redis = serviceBlock("redis");
    expect(redis).not.toMatch(/^\s+volumes:/m);
    expect(redis).toContain("--requirepass");
    expect(compose).toContain("REDIS_URL: redis://:${REDIS_PASSWORD");
  });

  it("publishes ports on 127.0.0.1 unless BIND_ADDRESS says otherwise", () => {
    // Every published port of every service, quoted or not: only the bot's, and bound to 127.0.0.1 by default.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's own ${VAR} syntax
    expect(publishedPorts()).toEqual(["${BIND_ADDRESS:-127.0.0.1}:${PORT:-8080}:8080"]);
    expect(serviceBlock("postgres")).not.toMatch(/^\s+ports:/m);
    expect(serviceBlock("redis")).not.toMatch(/^\s+ports:/m);
  });
});
