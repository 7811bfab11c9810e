/**
 * Webhook load: the real Awasi process (compiled dist/, webhook mode with its secret, PostgreSQL and Redis) and
 * the bare grammY bot (bench/bare-bot.mjs, a Redis session), one after the other in the same run, over HTTP, closed
 * loop at 32 and 128 concurrent chats, each chat sending /start, two plain texts and /help in turn.
 *
 *   npx tsx bench/webhook.bench.ts [--quick]      # or: npm run bench -- --only webhook
 */
import { pathToFileURL } from "node:url";
import { chattyCitizen } from "./support/citizens.ts";
import { closedLoop, type LoadFigures } from "./support/load.ts";
import { type Bench, openBench } from "./support/pair.ts";
import { compare, type Figures, record } from "./support/report.ts";

/** Citizens per concurrent chat slot: enough that no one citizen sends faster than a person could. */
const CITIZENS_PER_WORKER = 16;

export async function runWebhookBench(options: { quick: boolean; bench?: Bench }): Promise<Figures> {
  const bench = options.bench ?? (await openBench({ measureIdle: !options.quick }));
  const seconds = options.quick ? 4 : 12;
  const out: Figures = {};
  try {
    for (const concurrency of options.quick ? [32] : [32, 128]) {
      const measured: Record<string, LoadFigures> = {};
      for (const kind of ["bare", "awasi"] as const) {
        measured[kind] = await bench.withBot(kind, (bot) =>
          closedLoop({
            bot,
            concurrency,
            citizensPerWorker: CITIZENS_PER_WORKER,
            newCitizen: () => chattyCitizen(),
            seconds,
            warmupSeconds: options.quick ? 1.5 : 3,
          }),
        );
        record(out, `${concurrency} chats ${kind}`, measured[kind]);
      }
      compare(out, `${concurrency} chats`, measured.awasi!, measured.bare!);
    }
  } finally {
    if (!options.bench) await bench.close();
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runWebhookBench({ quick: process.argv.includes("--quick") });
  for (const [name, value] of Object.entries(figures)) console.log(`webhook ${name}: ${value}`);
}
