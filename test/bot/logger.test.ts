import { Writable } from "node:stream";
import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { createLogger, routeConsoleThroughLogger, sanitizeLogValue } from "../../bot/logger.ts";

const TOKEN = "7654321:AAHk3s9-Secret_Token_Value_xyz123";
const CITIZEN = { id: 5550001, first_name: "Siti", last_name: "Rahayu", username: "siti_r" };
const PHONE = "+6281234567890";
const STORY = "Amplop dibagikan oleh tim sukses di TPS 12";

/** A logger writing into an array of raw lines, as the bot would write to stdout. */
function capture(): { logger: ReturnType<typeof createLogger>; output: () => string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger("debug", destination as never, { secrets: [TOKEN] });
  return { logger, output: () => lines.join("") };
}

/** What a failed fetch to the Bot API looks like with node-fetch: the request URL carries the token. */
function fetchFailure(): Error {
  const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
    code: "ECONNREFUSED",
    syscall: "connect",
  });
  return Object.assign(
    new Error(`request to http://127.0.0.1:9/bot${TOKEN}/sendMessage failed, reason: ${cause.message}`, {
      cause,
    }),
    { name: "FetchError", type: "system", code: "ECONNREFUSED" },
  );
}

function expectClean(output: string): void {
  expect(output, "the bot token").not.toContain(TOKEN);
  expect(output, "the token's secret half").not.toContain("Secret_Token_Value");
  expect(output, "the citizen's Telegram id").not.toContain(String(CITIZEN.id));
  for (const word of ["Siti", "Rahayu", "siti_r", PHONE, STORY]) expect(output, word).not.toContain(word);
}

describe("the log sanitizer every log call goes through", () => {
  it("removes the token from a network error's message, stack and nested cause, keeping the reason", () => {
    const { logger, output } = capture();
    logger.error(
      { err: new HttpError("Network request for 'sendMessage' failed!", fetchFailure()) },
      "network",
    );
    expectClean(output());
    expect(output()).toContain("ECONNREFUSED");
    expect(output()).toContain("/bot[secret]/sendMessage");
  });

  it("drops the request payload of a refused call (chat_id, text, contact)", () => {
    const { logger, output } = capture();
    const refused = new GrammyError(
      "Call to 'sendMessage' failed! (400: Bad Request: chat not found)",
      { ok: false, error_code: 400, description: "Bad Request: chat not found" },
      "sendMessage",
      { chat_id: CITIZEN.id, text: STORY, reply_markup: { keyboard: [[{ text: PHONE }]] } },
    );
    logger.warn({ err: refused });
    logger.error(refused);
    expectClean(output());
    expect(output()).toContain("chat not found");
    expect(output()).toContain('"err":{'); // an error logged alone keeps pino's `err` shape
  });

  it("drops Telegram identities and message content at any depth, also in child bindings", () => {
    const { logger, output } = capture();
    const child = logger.child({ update_id: 42, chat_id: CITIZEN.id, from: CITIZEN });
    child.info({ update: { message: { from: CITIZEN, chat: { id: CITIZEN.id }, text: STORY } } }, "update");
    child.info({ contact: { phone_number: PHONE, first_name: "Siti" }, user_id: CITIZEN.id }, "contact");
    child.info({ deep: [{ nested: { sender: { user: CITIZEN } } }] }, "deep");
    expectClean(output());
    expect(output()).toContain('"update_id":42');
  });

  it("cuts parameter values out of PostgreSQL and Prisma errors", () => {
    const { logger, output } = capture();
    const pg = Object.assign(new Error('invalid input syntax for type bigint: "5550001"'), {
      code: "22P02",
      severity: "ERROR",
      detail: `Key (telegram_id)=(${CITIZEN.id}) already exists.`,
      parameters: [CITIZEN.id, PHONE, STORY],
    });
    const prisma = Object.assign(
      new Error(
        `\nInvalid \`prisma.report.create()\` invocation:\n\n{\n  data: {\n    chronology: "${STORY}",\n    phone: "${PHONE}"\n  }\n}\n\nArgument \`category\` is missing.`,
      ),
      { name: "PrismaClientValidationError", clientVersion: "7.10.0" },
    );
    const unique = Object.assign(new Error(`Key (chat_id_hash)=(${CITIZEN.id}) already exists.`), {
      code: "23505",
    });
    logger.error({ err: pg }, "query failed");
    logger.error({ err: prisma }, "query failed");
    logger.error({ err: new Error("outer", { cause: unique }) }, "query failed");
    expectClean(output());
    expect(output()).toContain("Argument `category` is missing.");
    expect(output()).toContain("22P02");
  });

  it("scrubs the message, interpolated arguments and connection-URL passwords", () => {
    const { logger, output } = capture();
    logger.warn(`calling https://api.telegram.org/bot${TOKEN}/getMe`);
    logger.info("retrying %s", `https://api.telegram.org/bot${TOKEN}/getUpdates?offset=1`);
    logger.info({ url: "postgresql://awasi:hunter2secret@db:5432/awasi" }, "connecting");
    expectClean(output());
    expect(output()).not.toContain("hunter2secret");
  });

  it("catches library console output (grammY's runner prints failed getUpdates with console.error)", () => {
    const { logger, output } = capture();
    const original = { error: console.error, warn: console.warn, log: console.log };
    try {
      routeConsoleThroughLogger(logger);
      console.error(
        "[grammY runner]",
        new HttpError("Network request for 'getUpdates' failed!", fetchFailure()),
      );
    } finally {
      Object.assign(console, original);
    }
    expectClean(output());
    expect(output()).toContain("library output");
  });

  it("leaves ids of our own rows, outcomes and circular structures loggable", () => {
    const loop: Record<string, unknown> = { report_id: "r1" };
    loop.self = loop;
    expect(sanitizeLogValue({ report_id: "r1", broadcast_id: 7, loop, big: 12n })).toEqual({
      report_id: "r1",
      broadcast_id: 7,
      loop: { report_id: "r1", self: "[circular]" },
      big: "12",
    });
  });
});
