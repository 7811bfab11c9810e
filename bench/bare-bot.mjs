// The baseline of the webhook benchmarks: the smallest grammY bot that does what a bot must per update, with the
// same servers as Awasi (a Redis session per chat and user, webhook mode with its secret, the same fake Bot API).
// Plain JavaScript so that it runs on plain `node` like Awasi's compiled dist/, with no transpiler in the process.
//
//   BOT_TOKEN=… TELEGRAM_API_ROOT=… REDIS_URL=… REDIS_KEY_PREFIX=… WEBHOOK_SECRET=… PORT=… node bench/bare-bot.mjs
//
// Prints one JSON line {"msg":"bot started",…} when it listens, like Awasi.
import { createServer } from "node:http";
import { RedisAdapter } from "@grammyjs/storage-redis";
import { Bot, InlineKeyboard, session, webhookCallback } from "grammy";
import { Redis } from "ioredis";

const env = process.env;
const started = performance.now();
const redis = new Redis(env.REDIS_URL, { keyPrefix: env.REDIS_KEY_PREFIX, lazyConnect: true });
await redis.connect();

const bot = new Bot(env.BOT_TOKEN, { client: { apiRoot: env.TELEGRAM_API_ROOT } });
bot.use(
  session({
    initial: () => ({ seen: 0 }),
    storage: new RedisAdapter({ instance: redis, ttl: 30 * 24 * 3600 }),
    getSessionKey: (ctx) => (ctx.chat && ctx.from ? `session:${ctx.chat.id}:${ctx.from.id}` : undefined),
  }),
);
bot.use((ctx, next) => {
  ctx.session.seen += 1;
  return next();
});
const menu = new InlineKeyboard().text("Report", "menu:report").text("Help", "menu:help");
bot.command("start", (ctx) => ctx.reply(`Hello ${ctx.from?.first_name ?? ""}`, { reply_markup: menu }));
bot.command("help", (ctx) => ctx.reply("How to use this bot"));
bot.on("callback_query:data", async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply(`Pressed ${ctx.callbackQuery.data}`, { reply_markup: menu });
});
bot.on("message", (ctx) => ctx.reply(`Got message ${ctx.session.seen}`));
await bot.init();

const handle = webhookCallback(bot, "http", { secretToken: env.WEBHOOK_SECRET });
const server = createServer((req, res) => {
  if (req.method === "POST" && req.url === "/telegram") {
    Promise.resolve(handle(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
    return;
  }
  res.writeHead(404).end();
});
server.listen(Number(env.PORT ?? 0), "127.0.0.1", () => {
  const line = {
    msg: "bot started",
    port: server.address().port,
    startup_ms: Math.round(performance.now() - started),
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
process.once("SIGTERM", () => {
  server.close();
  void redis.quit().finally(() => process.exit(0));
});
