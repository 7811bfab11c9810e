import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../support/bot-process.ts";

const compose = readFileSync(join(PROJECT_ROOT, "docker-compose.yml"), "utf8");
const example = readFileSync(join(PROJECT_ROOT, ".env.example"), "utf8");

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
    expect(compose).toContain("REDIS_URL: redis://:${REDIS_PASSWORD");
  });

  it("publishes ports on 127.0.0.1 unless BIND_ADDRESS says otherwise", () => {
    const ports = [...compose.matchAll(/^\s+- "([^"]+)"$/gm)].map((match) => match[1]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's own ${VAR} syntax
    expect(ports).toEqual(["${BIND_ADDRESS:-127.0.0.1}:${PORT:-8080}:8080"]);
  });
});
