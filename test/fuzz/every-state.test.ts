import fc from "fast-check";
import type { User } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATEGORIES, type Category, OPTIONS } from "../../domain/report/categories.ts";
import { createReporterLinks } from "../../domain/report/reporter-links.ts";
import { storableText } from "../../domain/report/storable-text.ts";
import { parseChronology, parseShortText } from "../../domain/report/text.ts";
import type { SessionData } from "../../handlers/common/session-data.ts";
import { CB } from "../../handlers/report/callbacks.ts";
import { seedTickets } from "../e2e/triage-support.ts";
import { DEFAULT_STAFF_CHAT_ID } from "../support/bot-identity.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { InProcessBot } from "../support/in-process-bot.ts";
import { locationMessage, makeUser, photoMessage, privateChatOf, supergroup } from "../support/updates.ts";
import { type Action, action } from "./actions.ts";
import { problemsOf } from "./bot-api-rules.ts";
import { buttonData, Scene } from "./driver.ts";
import { citizenStarts, currentStepOf, staffStarts, stateName } from "./states.ts";
import { acceptableChronology, acceptableShortText } from "./texts.ts";

/**
 * Fuzzing every state (issue 9): the real bot, in this process, against the fake Bot API and the real
 * PostgreSQL/Redis when given, is driven from every state of the report conversation and of the staff group with
 * generated updates of every kind grammY knows. After each sequence:
 * - no error reached `bot.catch` and nothing was logged as an error;
 * - Telegram would have accepted every call the bot made (test/fuzz/bot-api-rules.ts);
 * - the conversation still works: /batal (and its confirmation) and /start give the main menu; in the staff group
 *   /tiket still shows the ticket;
 * and, for sequences driven to Submit, the database holds exactly what the citizen sent.
 *
 * FUZZ_UPDATES sets how many generated updates at least (default 5,000 on the real servers; 2,000 on the embedded
 * database, whose single in-process PGlite is about twice as slow; `npm run fuzz` runs 50,000), FUZZ_SEED replays
 * a run (the seed is printed), FUZZ_PATH replays one failing case (printed with it).
 */
const TARGET = Number(process.env.FUZZ_UPDATES ?? (process.env.TEST_DATABASE_URL ? 5_000 : 2_000));
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const PATH = process.env.FUZZ_PATH;
/** Actions per sequence; every sequence has at least MIN_ACTIONS, so the runs below give at least TARGET updates. */
const MIN_ACTIONS = 20;
const MAX_ACTIONS = 30;
const CITIZEN_SHARE = 0.65;
const SUBMITS = Math.max(10, Math.round(TARGET / 200));
/**
 * How long one property may run: far more than TARGET needs on an idle 2-core machine (about 3 minutes for 5,000),
 * so that a failure's shrinking ends in time; a run cut short fails the count check below rather than passing.
 */
const TIME_LIMIT_MS = 120_000 + TARGET * 100;

const STAFF_CHAT_ID = DEFAULT_STAFF_CHAT_ID;
const staffGroup = supergroup(STAFF_CHAT_ID, { title: "Piket <Bawaslu> & Co", isForum: true });

let harness: InProcessBot;
let nextUserId = 5_000_000;
const codes: string[] = [];
const states = new Set<string>();
let generatedUpdates = 0;
let scriptedUpdates = 0;
/** Generated updates per kind of action. */
const byKind = new Map<string, number>();

const newUser = (languageCode: string, firstName?: string): User =>
  makeUser(nextUserId++, { languageCode, firstName: firstName ?? `Warga <${nextUserId}> & "Co"` });

/** Everything that went wrong since a mark: refused or malformed calls, errors caught or logged, unanswered presses. */
function failuresSince(mark: { calls: number; logs: number; caught: number }, scene?: Scene): string[] {
  const calls = harness.api.calls.slice(mark.calls) as ApiCall[];
  const problems = calls.flatMap((call) =>
    call.response === undefined && call.method === "getUpdates"
      ? []
      : problemsOf(call).map((p) => `#${call.index} ${p}`),
  );
  for (const entry of harness.logs.slice(mark.logs).filter((e) => e.level >= 50))
    problems.push(`logged as an error: ${entry.msg} ${JSON.stringify(entry.err ?? entry).slice(0, 600)}`);
  for (const press of scene?.unanswered ?? []) problems.push(`never answered: ${press}`);
  for (const caught of harness.caught.slice(mark.caught))
    problems.push(
      `bot.catch got: ${caught.error instanceof Error ? (caught.error.stack ?? caught.error.message) : String(caught.error)}`.slice(
        0,
        1200,
      ),
    );
  return problems;
}

const markNow = () => ({
  calls: harness.api.calls.length,
  logs: harness.logs.length,
  caught: harness.caught.length,
});

/** Runs a property with the seed, a time limit and a replayable report. */
async function check<Ts extends unknown[]>(
  name: string,
  property: fc.IAsyncProperty<Ts>,
  numRuns: number,
): Promise<void> {
  const details = await fc.check(property, {
    seed: SEED,
    numRuns,
    ...(PATH ? { path: PATH } : {}),
    interruptAfterTimeLimit: TIME_LIMIT_MS,
    markInterruptAsFailure: false,
    endOnFailure: process.env.FUZZ_SHRINK === "0",
  });
  if (details.failed) {
    const replay = `FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ""} npx vitest run test/fuzz`;
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const counterexample = JSON.stringify(details.counterexample)?.slice(0, 4000);
    throw new Error(
      `${name} failed (seed ${details.seed}, shrunk ${details.numShrinks} times); replay with: ${replay}\n` +
        `${cause}\ncounterexample: ${counterexample}`,
    );
  }
}

/** Sends text as the scene's main user and returns the calls the bot made in reply. */
async function say(scene: Scene, text: string): Promise<ApiCall[]> {
  const mark = harness.api.mark();
  await scene.text(text);
  scriptedUpdates++;
  return harness.api.calls.slice(mark);
}

/**
 * Applies the generated actions, counting updates and the distinct states they met: the acting user's session as
 * the bot read it at the start of each update, with their role (`roles`, one per actor of the scene), and what
 * `label` adds that the session does not hold (the card's status).
 */
async function play(
  scene: Scene,
  actions: Action[],
  roles: string[],
  label: () => string | Promise<string>,
): Promise<void> {
  const roleOf = new Map(
    scene.actors.map((actor, i) => [harness.sessionKey(scene.chat.id, actor.id), roles[i]]),
  );
  const NOT_READ = Symbol("not read");
  let met: SessionData | undefined | typeof NOT_READ = NOT_READ;
  let role = "";
  harness.onSessionRead = (read, session) => {
    if (!roleOf.has(read) || met !== NOT_READ) return;
    met = session;
    role = roleOf.get(read) ?? "";
  };
  try {
    for (const next of actions) {
      const prefix = await label();
      met = NOT_READ;
      const made = await scene.apply(next);
      generatedUpdates += made;
      byKind.set(next.kind, (byKind.get(next.kind) ?? 0) + made);
      if (met !== NOT_READ) states.add(stateName(met, `${prefix}${role}`));
    }
  } finally {
    harness.onSessionRead = undefined;
  }
}

describe("fuzzing every state", { timeout: TIME_LIMIT_MS + 60_000 }, () => {
  beforeAll(async () => {
    console.log(`fuzz: seed ${SEED}, at least ${TARGET} generated updates (FUZZ_SEED=${SEED} replays)`);
    harness = await InProcessBot.start({
      FLOOD_LIMIT: "1000000/1",
      REPORTS_PER_DAY: "1000",
      STAFF_RATE: "1000000/1",
    });
    harness.api.setChat(STAFF_CHAT_ID, staffGroup);
    harness.api.setForum(STAFF_CHAT_ID, true);
  }, 120_000);

  afterAll(async () => {
    console.log(
      `fuzz: ${generatedUpdates} generated updates (and ${scriptedUpdates} scripted) from ${states.size} distinct states; seed ${SEED}`,
    );
    if (process.env.FUZZ_LIST_STATES) console.log(`fuzz: states:\n${[...states].sort().join("\n")}`);
    console.log(`fuzz: updates by action: ${[...byKind].map(([kind, n]) => `${kind} ${n}`).join(", ")}`);
    await harness?.stop();
  });

  it("survives generated updates from every step of the report conversation", async () => {
    const starts = citizenStarts();
    const other = newUser("id", "Orang lain");
    const runs = Math.ceil((TARGET * CITIZEN_SHARE) / MIN_ACTIONS);
    const property = fc.asyncProperty(
      fc.nat({ max: starts.length - 1 }),
      fc.constantFrom("id", "en", "fr"),
      fc.array(action(2), { minLength: MIN_ACTIONS, maxLength: MAX_ACTIONS }),
      async (startIndex, language, actions) => {
        const start = starts[startIndex]!;
        const user = newUser(language);
        const scene = new Scene(
          harness,
          privateChatOf(user),
          [user, other],
          () => ({ chatId: STAFF_CHAT_ID, user }),
          () => codes,
        );
        const mark = markNow();
        await start.reach(scene);
        scriptedUpdates += scene.sent.length;
        await play(scene, actions, ["", " (someone else)"], () => "citizen");
        await harness.drainStaffOutbox(); // the answers of a reporter in reply mode
        await expectUsableChat(scene);
        const failures = failuresSince(mark, scene);
        if (failures.length > 0)
          throw new Error(`from "${start.name}" (${language}):\n${failures.slice(0, 12).join("\n")}`);
      },
    );
    await check("the citizen's conversation", property, runs);
  });

  it("survives generated updates from every card status and officer's input in the staff group", async () => {
    const starts = staffStarts();
    const runs = Math.ceil((TARGET * (1 - CITIZEN_SHARE)) / MIN_ACTIONS);
    const anonymousAdmin: User = {
      id: 1087968824,
      is_bot: true,
      first_name: "Group",
      username: "GroupAnonymousBot",
    };
    const property = fc.asyncProperty(
      fc.nat({ max: starts.length - 1 }),
      fc.constantFrom(...CATEGORIES),
      fc.record({ identified: fc.boolean(), evidence: fc.boolean(), point: fc.boolean() }),
      fc.array(action(5), { minLength: MIN_ACTIONS, maxLength: MAX_ACTIONS }),
      async (startIndex, category, variant, actions) => {
        const start = starts[startIndex]!;
        const officer = newUser("id", "Petugas <A>");
        const second = newUser("id", "Petugas B");
        const admin = newUser("en", "Admin & Co");
        const outsider = newUser("id", "Orang luar");
        harness.api.setChatMember(STAFF_CHAT_ID, officer.id, "member");
        harness.api.setChatMember(STAFF_CHAT_ID, second.id, "member");
        harness.api.setChatMember(STAFF_CHAT_ID, admin.id, "administrator");
        harness.api.setChatMember(STAFF_CHAT_ID, outsider.id, "left");
        const reporter = newUser("id");
        const scene = new Scene(
          harness,
          staffGroup,
          [officer, second, admin, outsider, anonymousAdmin],
          () => ({ chatId: reporter.id, user: officer }),
          () => codes,
        );
        const mark = markNow();
        const [code] = await seedTickets(harness.db, [
          {
            category,
            reporter,
            evidence: variant.evidence
              ? [
                  { kind: "PHOTO", fileId: `AgAD-fuzz-${reporter.id}`, fileUniqueId: `u${reporter.id}` },
                  { kind: "LINK", url: "https://example.org/<b>&" },
                ]
              : [],
            identified: variant.identified ? { name: "Rina <Wati>", phone: "+6281234567890" } : undefined,
            location: variant.point ? { type: "point", latitude: -6.2, longitude: 106.8 } : undefined,
            chronology: "Pukul tujuh <b>pagi</b> tim sukses membagikan amplop & sembako kepada warga.",
          },
        ]);
        codes.push(code!);
        await harness.drainStaffOutbox();
        await start.reach(scene, { code: code!, reporter });
        const status = async () =>
          (await harness.db.report.findUnique({ where: { code: code! }, select: { status: true } }))?.status;
        const roles = [", officer", ", officer", ", admin", ", not a member", ", anonymous admin"];
        await play(scene, actions, roles, async () => `staff, card ${await status()}`);
        // The workflow can go on: /batal ends what the officer was typing, /tiket shows the ticket.
        await say(scene, "/batal");
        const shown = await say(scene, `/tiket ${code}`);
        const failures = failuresSince(mark, scene);
        const answered = shown.some(
          (call) =>
            call.method === "sendMessage" && call.response?.ok && String(call.params.text).includes(code!),
        );
        if (!answered) failures.push(`/tiket ${code} got no answer naming the ticket`);
        if (failures.length > 0)
          throw new Error(`from "${start.name}":\n${failures.slice(0, 12).join("\n")}`);
      },
    );
    await check("the staff group", property, runs);
  });

  it("stores exactly what the citizen sent, through every kind of text", async () => {
    const property = fc.asyncProperty(
      fc.record({
        title: acceptableShortText.map((text) => `Perusakan ${text}`),
        place: acceptableShortText,
        chronology: acceptableChronology,
        caption: acceptableShortText,
        name: acceptableShortText,
        identified: fc.boolean(),
      }),
      async (sent) => {
        const user = newUser("id");
        const scene = new Scene(
          harness,
          privateChatOf(user),
          [user],
          () => undefined,
          () => codes,
        );
        const mark = markNow();
        await scene.text("/lapor");
        await scene.pressData(CB.option("category", CATEGORIES.indexOf("OTHER" satisfies Category)));
        await scene.text(sent.title);
        await scene.pressData(CB.option("occurred_on", 0));
        await scene.pressData(CB.option("learned_on", 2));
        await scene.deliver(locationMessage(user, -6.2253, 106.8507, { chat: scene.chat }));
        await scene.text(sent.place);
        await scene.text(sent.chronology);
        await scene.deliver(photoMessage(user, { chat: scene.chat, caption: sent.caption }));
        await scene.pressData(CB.done("evidence"));
        const identity = sent.identified ? "IDENTIFIED" : "ANONYMOUS";
        await scene.pressData(CB.option("identity", OPTIONS.identity.indexOf(identity)));
        if (sent.identified) {
          await scene.text(sent.name);
          await scene.deliver({
            message: {
              message_id: 1_000_000 + user.id,
              from: user,
              chat: scene.chat,
              date: Math.floor(Date.now() / 1000),
              contact: { phone_number: "6281234567890", first_name: "Rina", user_id: user.id },
            },
          } as never);
          await scene.pressData(CB.skip("witness_1"));
        }
        scriptedUpdates += scene.sent.length;
        expect(await currentStepOf(scene), "every answer was accepted: the review is shown").toBe("review");
        const submit = buttonData(scene.latestKeyboard()).find((data) => data.startsWith("rep:submit:"));
        await scene.pressData(submit!);
        const [ownId] = await createReporterLinks(harness.cipher).reportIds(harness.db, user.id);
        const stored = await harness.db.report.findFirst({
          where: { id: ownId },
          include: { evidence: true },
        });
        expect(stored, "the report was written").toBeTruthy();
        const expected = (text: string, min: number, max: number) => {
          const parsed = parseShortText(text, { min, max });
          return parsed.ok ? parsed.value : `(refused: ${text})`;
        };
        const chronology = parseChronology(sent.chronology);
        expect((stored!.details as Record<string, unknown>).ot_title).toBe(expected(sent.title, 5, 120));
        expect(stored!.placeNote).toBe(expected(sent.place, 2, 200));
        expect(stored!.chronology).toBe(chronology.ok ? chronology.value : "(refused)");
        expect(stored!.evidence[0]?.caption).toBe(storableText(sent.caption));
        if (sent.identified)
          expect(harness.cipher.decrypt(stored!.reporterNameEnc!)).toBe(expected(sent.name, 2, 100));
        const failures = failuresSince(mark, scene);
        if (failures.length > 0) throw new Error(failures.slice(0, 12).join("\n"));
      },
    );
    await check("stored text", property, SUBMITS);
  });

  it("ran at least the configured number of generated updates", () => {
    expect(generatedUpdates).toBeGreaterThanOrEqual(TARGET);
  });
});

/** After any sequence: /batal (confirmed when it asks) and /start give the main menu, without an apology. */
async function expectUsableChat(scene: Scene): Promise<void> {
  const cancelled = await say(scene, "/batal");
  const confirm = cancelled
    .flatMap((call) => call.messages)
    .find((m) => buttonData(m).includes(CB.cancelConfirm));
  if (confirm) {
    await scene.pressData(CB.cancelConfirm);
    scriptedUpdates++;
  }
  const started = await say(scene, "/start");
  const menu = started.find(
    (call) =>
      call.method === "sendMessage" &&
      call.response?.ok &&
      call.messages.some((m) => buttonData(m).includes("menu:report")),
  );
  if (!menu)
    throw new Error(
      `after /batal, /start did not show the main menu: ${started.map((c) => c.method).join(", ")}`,
    );
  const session = await harness.sessionOf(scene.chat.id, scene.user.id);
  if (session?.report !== undefined)
    throw new Error("after /batal and its confirmation a draft is still open");
}
