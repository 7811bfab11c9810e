import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith(".ts") ? [path] : [];
  });
}

/** Every import of a source file, resolved to a path relative to the project root (packages as they are). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ]
    .map((match) => match[1] ?? match[2]!)
    .map((spec) => (spec.startsWith(".") ? relative(ROOT, resolve(dirname(file), spec)) : spec));
}

const layer = (path: string) => path.split("/")[0]!;
const feature = (path: string) =>
  path.startsWith("handlers/") ? path.split("/")[1]!.replace(/\.ts$/, "") : undefined;

describe("architecture: imports point down (bot → handlers → domain)", () => {
  const sources = ["bot", "handlers", "domain"].flatMap((dir) => files(join(ROOT, dir)));

  it("domain imports neither handlers, bot nor grammY", () => {
    const offending = sources
      .filter((file) => relative(ROOT, file).startsWith("domain/"))
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => ["handlers", "bot"].includes(layer(target)) || target.startsWith("grammy"))
          .map((target) => `${relative(ROOT, file)} → ${target}`),
      );
    expect(offending).toEqual([]);
  });

  it("handlers never import bot", () => {
    const offending = sources
      .filter((file) => relative(ROOT, file).startsWith("handlers/"))
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => layer(target) === "bot")
          .map((t) => `${relative(ROOT, file)} → ${t}`),
      );
    expect(offending).toEqual([]);
  });

  it("features never import each other, and handlers/common imports no feature", () => {
    const offending = sources
      .filter((file) => relative(ROOT, file).startsWith("handlers/"))
      .flatMap((file) => {
        const own = feature(relative(ROOT, file));
        return importsOf(file)
          .filter((target) => target.startsWith("handlers/"))
          .filter((target) => feature(target) !== own && feature(target) !== "common")
          .map((target) => `${relative(ROOT, file)} → ${target}`);
      });
    expect(offending).toEqual([]);
  });

  it("features build on handlers/common/composer.ts, never on grammY's Composer (its filters cost more per update)", () => {
    const offending = sources
      .filter((file) => !file.endsWith("handlers/common/composer.ts"))
      .filter((file) =>
        /import\s*\{[^}]*\bComposer\b[^}]*\}\s*from\s*["']grammy["']/.test(readFileSync(file, "utf8")),
      )
      .map((file) => relative(ROOT, file));
    expect(offending).toEqual([]);
  });
});
