import { Api, type Context, Composer as GrammyComposer, Context as GrammyContext } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { describe, expect, it } from "vitest";
import { Composer } from "../../../handlers/common/composer.ts";

// The composer of every Awasi feature must behave exactly as grammY's: the same tree is built with both classes and
// fed the same updates; what ran, in which order, and how each run ended must be the same.

const me = { id: 1, is_bot: true, first_name: "Awasi", username: "awasi_bot" } as UserFromGetMe;
const api = new Api("1:test");
const from = { id: 7, is_bot: false, first_name: "Warga" };
const privateChat = { id: 7, type: "private" as const, first_name: "Warga" };
const group = { id: -100, type: "supergroup" as const, title: "Staff" };
const updates: Record<string, Update> = {
  start: {
    update_id: 1,
    message: {
      message_id: 1,
      date: 0,
      chat: privateChat,
      from,
      text: "/start",
      entities: [{ type: "bot_command", offset: 0, length: 6 }],
    },
  },
  help: {
    update_id: 2,
    message: {
      message_id: 2,
      date: 0,
      chat: privateChat,
      from,
      text: "/help now",
      entities: [{ type: "bot_command", offset: 0, length: 5 }],
    },
  },
  text: { update_id: 3, message: { message_id: 3, date: 0, chat: privateChat, from, text: "halo" } },
  groupText: { update_id: 4, message: { message_id: 4, date: 0, chat: group, from, text: "rapat" } },
  press: {
    update_id: 5,
    callback_query: {
      id: "q",
      from,
      chat_instance: "i",
      data: "lang:en",
      message: { message_id: 9, date: 0, chat: privateChat, text: "menu" },
    },
  },
  photo: {
    update_id: 6,
    message: {
      message_id: 6,
      date: 0,
      chat: privateChat,
      from,
      photo: [{ file_id: "f", file_unique_id: "u", width: 1, height: 1 }],
    },
  },
};

type AnyComposer = GrammyComposer<Context>;
type Make = () => AnyComposer;

/** A tree that uses every way Awasi's features register middleware; `trace` records what ran. */
function buildTree(make: Make, trace: string[]): AnyComposer {
  const root = make();
  root.use(async (_ctx, next) => {
    trace.push("outer:before");
    await next();
    trace.push("outer:after");
  });
  const citizen = root.chatType("private");
  citizen.command("start", (ctx) => {
    trace.push(`start:${ctx.match}`);
  });
  citizen.command(["help", "bantuan"], async (ctx, next) => {
    trace.push(`help:${ctx.match}`);
    await next();
  });
  citizen.callbackQuery(/^lang:(\w+)$/, (ctx) => {
    trace.push(`lang:${ctx.match[1]}`);
  });
  citizen.filter(
    async (ctx) => ctx.message?.text === "halo",
    (_ctx, next) => {
      trace.push("async filter");
      return next();
    },
  );
  citizen.drop(
    (ctx) => ctx.message?.photo !== undefined,
    (_ctx, next) => {
      trace.push("not a photo");
      return next();
    },
  );
  citizen.on("message:photo", () => {
    trace.push("photo");
  });
  root.branch(
    (ctx) => ctx.chat?.type === "supergroup",
    (_ctx, next) => {
      trace.push("branch:group");
      return next();
    },
    (_ctx, next) => {
      trace.push("branch:other");
      return next();
    },
  );
  root.route(
    (ctx) => (ctx.message?.text ? "text" : undefined),
    {
      text: (_ctx, next) => {
        trace.push("route:text");
        return next();
      },
    },
    (_ctx, next) => {
      trace.push("route:fallback");
      return next();
    },
  );
  root.lazy((ctx) =>
    ctx.callbackQuery
      ? []
      : [
          (_c: Context, next: () => Promise<void>) => {
            trace.push("lazy");
            return next();
          },
        ],
  );
  root
    .use((_ctx, next) => {
      trace.push("chained 1");
      return next();
    })
    .use((_ctx, next) => {
      trace.push("chained 2");
      return next();
    });
  root.filter((ctx) => ctx.callbackQuery !== undefined);
  const nested = make();
  nested.on("message:text", (_ctx, next) => {
    trace.push("nested text");
    return next();
  });
  root.use(nested);
  // Registered after `nested` was installed: grammY runs it too.
  nested.hears(/^rapat$/, () => {
    trace.push("hears rapat");
  });
  root.use(() => {
    trace.push("last");
  });
  return root;
}

async function runTree(make: Make, update: Update): Promise<string[]> {
  const trace: string[] = [];
  const tree = buildTree(make, trace);
  const ctx = new GrammyContext(update, api, me);
  await tree.middleware()(ctx, async () => {
    trace.push("next of tree");
  });
  return trace;
}

describe("Composer (handlers/common/composer.ts) behaves as grammY's", () => {
  for (const [name, update] of Object.entries(updates)) {
    it(`runs the same middleware in the same order: ${name}`, async () => {
      const grammy = await runTree(() => new GrammyComposer<Context>(), update);
      const ours = await runTree(() => new Composer<Context>(), update);
      expect(ours).toEqual(grammy);
      expect(ours.length).toBeGreaterThan(2);
    });
  }

  it("refuses a `next` called twice, as grammY does", async () => {
    const outcome = async (make: Make) => {
      const tree = make();
      tree.use(async (_ctx, next) => {
        await next();
        await next();
      });
      tree.use(() => undefined);
      return Promise.resolve(
        tree.middleware()(new GrammyContext(updates.text!, api, me), async () => undefined),
      ).then(
        () => "resolved",
        (error: Error) => error.message,
      );
    };
    expect(await outcome(() => new Composer<Context>())).toBe(
      await outcome(() => new GrammyComposer<Context>()),
    );
    expect(await outcome(() => new Composer<Context>())).toMatch(/already called/);
  });

  it("turns a handler's error, thrown or rejected, into the run's rejection", async () => {
    for (const fail of [
      () => {
        throw new Error("sync");
      },
      async () => {
        throw new Error("async");
      },
    ]) {
      const tree = new Composer<Context>();
      tree.chatType("private").on("message", fail);
      const run = async () =>
        tree.middleware()(new GrammyContext(updates.text!, api, me), async () => undefined);
      await expect(run()).rejects.toThrow(/sync|async/);
    }
  });

  it("an error in an async filter's predicate rejects the run", async () => {
    const tree = new Composer<Context>();
    tree.filter(async () => {
      throw new Error("predicate");
    });
    await expect(
      tree.middleware()(new GrammyContext(updates.text!, api, me), async () => undefined),
    ).rejects.toThrow("predicate");
  });
});
