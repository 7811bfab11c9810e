import type { User } from "grammy/types";
import { CATEGORIES, type Category, OPTIONS } from "../../domain/report/categories.ts";
import { REVIEW, readDraft } from "../../domain/report/draft.ts";
import { stepsFor } from "../../domain/report/steps.ts";
import type { SessionData } from "../../handlers/common/session-data.ts";
import { CB } from "../../handlers/report/callbacks.ts";
import { cardData } from "../../handlers/triage/callback-data.ts";
import { seedTickets } from "../e2e/triage-support.ts";
import { nextMessageId } from "../support/telegram-ids.ts";
import { contactMessage, locationMessage, mediaGroup, photoMessage } from "../support/updates.ts";
import { buttonData, type Scene } from "./driver.ts";

/**
 * Where a fuzzed sequence starts. Each start state is reached by a scripted prefix of ordinary updates (a citizen
 * answering every question up to that step, an officer pressing a card's buttons up to that status), so the
 * generated updates that follow meet the bot exactly as a real user would have left it.
 */

/** A valid answer to each text step. */
const TEXT_ANSWERS: Record<string, string> = {
  witness_1: "Sulastri, warung depan TPS 12",
  witness_2: "Pak Darto",
  witness_3: "Bu Ani, tetangga",
  mp_value: "50rb",
  mp_giver: "Tim sukses caleg nomor 3",
  mp_beneficiary: "Caleg nomor 3",
  mp_recipients: "sekitar 20",
  hx_links: "https://example.org/hoaks",
  hx_falsehood: "Pesan berantai menyebut TPS dipindah",
  asn_name: "Budi",
  asn_agency: "Dinas Pendidikan",
  asn_position: "Kepala seksi",
  asn_link: "https://example.org/unggahan",
  asn_account: "@budi",
  asn_candidate: "Paslon 2",
  ot_title: "Perusakan alat peraga",
  place_note: "TPS 12",
  chronology: "Pukul tujuh pagi tim sukses membagikan amplop kepada warga yang antre.",
  reporter_name: "Rina Wati",
};

/** A start state of the citizen's private chat. */
export interface CitizenStart {
  name: string;
  reach(scene: Scene): Promise<void>;
}

/** A start state of the staff group: a ticket's card in some status, or an officer's pending input. */
export interface StaffStart {
  name: string;
  /** `officers[0]` acts first; `reporter` is the ticket's citizen. */
  reach(scene: Scene, ticket: { code: string; reporter: User }): Promise<void>;
}

/** The draft's current step id, or "none". */
export async function currentStepOf(scene: Scene): Promise<string> {
  const session = await scene.harness.sessionOf(scene.chat.id, scene.user.id);
  return readDraft(session?.report)?.stepId ?? "none";
}

/** Answers the current step with a valid answer (one or two updates). */
async function answerStep(scene: Scene, stepId: string, category: Category, identity: string): Promise<void> {
  if (stepId === "category")
    return void (await scene.pressData(CB.option("category", CATEGORIES.indexOf(category))));
  if (stepId === "identity")
    return void (await scene.pressData(CB.option("identity", OPTIONS.identity.indexOf(identity as never))));
  if (stepId in TEXT_ANSWERS) return void (await scene.text(TEXT_ANSWERS[stepId]!));
  switch (stepId) {
    case "mp_given":
    case "hx_platforms":
    case "asn_actions":
    case "asn_platforms":
      await scene.pressData(CB.toggle(stepId, 0));
      await scene.pressData(CB.done(stepId));
      return;
    case "occurred_on":
    case "learned_on":
      await scene.pressData(CB.option(stepId, 0));
      return;
    case "location":
      await scene.deliver(locationMessage(scene.user, -6.2253, 106.8507, { chat: scene.chat }));
      return;
    case "evidence":
      await scene.deliver(photoMessage(scene.user, { chat: scene.chat, caption: "foto amplop" }));
      await scene.pressData(CB.done("evidence"));
      return;
    case "reporter_phone":
      await scene.deliver(
        contactMessage(
          scene.user,
          { phone: "6281234567890", firstName: "Rina", userId: scene.user.id },
          { chat: scene.chat },
        ),
      );
      return;
    default:
      throw new Error(`no scripted answer for step ${stepId}`);
  }
}

/** Starts a report and answers every step until `target` is asked (or the review is shown). */
export async function walkTo(
  scene: Scene,
  category: Category,
  target: string,
  identity = "IDENTIFIED",
): Promise<void> {
  await scene.text("/lapor");
  for (let guard = 0; guard < 40; guard++) {
    const step = await currentStepOf(scene);
    if (step === target) return;
    if (step === "none" || step === REVIEW)
      throw new Error(`walking to ${category}/${target}: the draft is at ${step}`);
    await answerStep(scene, step, category, identity);
  }
  throw new Error(`walking to ${category}/${target}: too many steps`);
}

/** Every step of every category, the review, and the in-between states a step has (picker, selection, album). */
export function citizenStarts(): CitizenStart[] {
  const starts: CitizenStart[] = [
    { name: "no draft, after /start", reach: async (scene) => void (await scene.text("/start")) },
    { name: "first contact, nothing sent yet", reach: async () => {} },
  ];
  for (const category of CATEGORIES) {
    for (const step of stepsFor(category, { identity: "IDENTIFIED" })) {
      if (step.id === "category" && category !== "MONEY_POLITICS") continue;
      starts.push({ name: `${category}/${step.id}`, reach: (scene) => walkTo(scene, category, step.id) });
    }
    starts.push({ name: `${category}/review`, reach: (scene) => walkTo(scene, category, REVIEW) });
    starts.push({
      name: `${category}/review, anonymous`,
      reach: (scene) => walkTo(scene, category, REVIEW, "ANONYMOUS"),
    });
  }
  starts.push(
    {
      name: "review, editing the chronology",
      reach: async (scene) => {
        await walkTo(scene, "OTHER", REVIEW);
        await scene.pressData(CB.edit("chronology"));
      },
    },
    {
      name: "review, editing the category",
      reach: async (scene) => {
        await walkTo(scene, "HOAX", REVIEW);
        await scene.pressData(CB.edit("category"));
      },
    },
    {
      name: "multiple choice with a selection",
      reach: async (scene) => {
        await walkTo(scene, "ASN_NEUTRALITY", "asn_actions");
        await scene.pressData(CB.toggle("asn_actions", 2));
      },
    },
    {
      name: "region picker in a province",
      reach: async (scene) => {
        await walkTo(scene, "OTHER", "location");
        await scene.pressData(CB.region("31"));
      },
    },
    {
      name: "region picker in a regency",
      reach: async (scene) => {
        await walkTo(scene, "OTHER", "location");
        await scene.pressData(CB.region("31"));
        await scene.pressData(CB.region("31.74"));
      },
    },
    {
      name: "region search results",
      reach: async (scene) => {
        await walkTo(scene, "MONEY_POLITICS", "location");
        await scene.text("tebet");
      },
    },
    {
      name: "evidence, an album half received",
      reach: async (scene) => {
        await walkTo(scene, "HOAX", "evidence");
        for (const update of mediaGroup(scene.user, 3, { chat: scene.chat, caption: "album" }))
          await scene.deliver(update);
      },
    },
    {
      name: "evidence at its limit",
      reach: async (scene) => {
        await walkTo(scene, "OTHER", "evidence");
        for (const update of mediaGroup(scene.user, 10, { chat: scene.chat })) await scene.deliver(update);
      },
    },
    {
      name: "cancel asked",
      reach: async (scene) => {
        await walkTo(scene, "MONEY_POLITICS", "mp_giver");
        await scene.pressData(CB.cancel);
      },
    },
    {
      name: "a draft open, /lapor again",
      reach: async (scene) => {
        await walkTo(scene, "OTHER", "chronology");
        await scene.text("/lapor");
      },
    },
    {
      name: "just submitted",
      reach: async (scene) => {
        await walkTo(scene, "OTHER", REVIEW, "ANONYMOUS");
        const submit = scene.latestKeyboard();
        const data = buttonData(submit).find((d) => d.startsWith("rep:submit:"));
        if (!data) throw new Error("the review shows no Submit button");
        await scene.pressData(data);
      },
    },
    {
      name: "answering an officer's question (reply mode)",
      reach: async (scene) => {
        const [code] = await seedTickets(scene.harness.db, [{ category: "HOAX", reporter: scene.user }]);
        await scene.harness.drainStaffOutbox();
        await scene.text("/start");
        await scene.deliver({
          callback_query: {
            id: `fuzz-${code}-${scene.user.id}`,
            from: scene.user,
            chat_instance: "1",
            data: `ans:${code}`,
            message: scene.botMessages().at(-1)!,
          } as never,
        });
      },
    },
    {
      name: "/language asked",
      reach: async (scene) => void (await scene.text("/bahasa")),
    },
    {
      name: "subscription settings",
      reach: async (scene) => {
        await scene.text("/langganan");
      },
    },
  );
  return starts;
}

/** Presses a card button as `officer` (it must be shown on the card). */
async function press(scene: Scene, officer: User, data: string): Promise<void> {
  const answer = await scene.pressData(data, officer);
  if (answer?.response?.ok !== true) throw new Error(`pressing ${data}: no answer`);
}

/** The card states and officers' pending inputs the staff group can be in. */
export function staffStarts(): StaffStart[] {
  const claim = (scene: Scene, code: string) => press(scene, scene.user, cardData({ verb: "claim", code }));
  const verify = async (scene: Scene, code: string) => {
    await claim(scene, code);
    await press(scene, scene.user, cardData({ verb: "verify", code }));
  };
  const askPrompt = async (scene: Scene, code: string) => {
    await claim(scene, code);
    await press(scene, scene.user, cardData({ verb: "askReporter", code }));
  };
  const admin = (scene: Scene) => scene.actors[2]!;
  return [
    { name: "card NEW", reach: async () => {} },
    { name: "card IN_REVIEW", reach: (scene, { code }) => claim(scene, code) },
    { name: "officer writing a question", reach: (scene, { code }) => askPrompt(scene, code) },
    {
      name: "card NEEDS_INFO",
      reach: async (scene, { code }) => {
        await askPrompt(scene, code);
        const prompt = scene.botMessages().at(-1)!;
        await scene.text("Di TPS mana tepatnya? <b>jam</b> berapa?", { replyTo: prompt });
      },
    },
    { name: "card VERIFIED", reach: (scene, { code }) => verify(scene, code) },
    {
      name: "card forward menu",
      reach: async (scene, { code }) => {
        await verify(scene, code);
        await press(scene, scene.user, cardData({ verb: "forwardMenu", code }));
      },
    },
    {
      name: "card FORWARDED",
      reach: async (scene, { code }) => {
        await verify(scene, code);
        await press(scene, scene.user, cardData({ verb: "forwardMenu", code }));
        await press(scene, scene.user, cardData({ verb: "forward", destination: "GAKKUMDU", code }));
      },
    },
    {
      name: "card CLOSED",
      reach: async (scene, { code }) => {
        await verify(scene, code);
        await press(scene, scene.user, cardData({ verb: "close", code }));
      },
    },
    {
      name: "card REJECTED",
      reach: async (scene, { code }) => {
        await press(scene, admin(scene), cardData({ verb: "rejectMenu", code }));
        await press(scene, admin(scene), cardData({ verb: "reject", reason: "SPAM", code }));
      },
    },
    {
      name: "admin typing a duplicate's code",
      reach: async (scene, { code }) => {
        await press(scene, admin(scene), cardData({ verb: "rejectMenu", code }));
        await press(scene, admin(scene), cardData({ verb: "reject", reason: "DUPLICATE", code }));
      },
    },
    {
      name: "admin composing an announcement",
      reach: async (scene) => {
        await scene.deliver({ message: textOf(scene, admin(scene), "/siaran") } as never);
      },
    },
    {
      name: "admin choosing an announcement's audience",
      reach: async (scene) => {
        await scene.deliver({ message: textOf(scene, admin(scene), "/siaran") } as never);
        await scene.deliver({
          message: textOf(scene, admin(scene), "Pengumuman: <b>3 kasus</b> diteruskan"),
        } as never);
      },
    },
  ];
}

function textOf(scene: Scene, user: User, text: string) {
  const message: Record<string, unknown> = {
    message_id: nextMessageId(scene.chat.id),
    from: user,
    chat: scene.chat,
    date: Math.floor(Date.now() / 1000),
    text,
  };
  if (text.startsWith("/"))
    message.entities = [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }];
  return message;
}

/** A state's name for counting: where the session says this user is, before an update. */
export function stateName(session: SessionData | undefined, extra: string): string {
  const draft = readDraft(session?.report);
  const parts: string[] = [extra];
  if (draft) {
    parts.push(`${draft.category ?? "-"}/${draft.stepId}`);
    if (draft.fromReview) parts.push("edit");
    const parent = draft.picker?.parentCode;
    if (draft.picker)
      parts.push(
        draft.picker.query !== undefined
          ? "search"
          : `picker:${parent ? (parent.includes(".") ? "districts" : "regencies") : "provinces"}`,
      );
    if (draft.selection?.length) parts.push("selection");
    if (draft.album) parts.push("album");
  } else if (extra.startsWith("citizen")) parts.push("no draft");
  const triage = session?.triage as { reply?: unknown; pending?: { kind?: string } } | undefined;
  if (triage?.reply) parts.push("reply mode");
  if (triage?.pending) parts.push(`pending:${triage.pending.kind}`);
  const composer = session?.broadcastComposer as { step?: string } | undefined;
  if (composer?.step) parts.push(`composer:${composer.step}`);
  return parts.join(" ");
}
