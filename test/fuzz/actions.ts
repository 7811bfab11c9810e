import fc from "fast-check";
import { commandArgs, userText } from "./texts.ts";

/**
 * What a fuzzed user does, as data: the driver (test/fuzz/driver.ts) turns each action into one or more updates
 * against the chat as it is at that moment (which buttons the bot shows, which messages exist). Choices among
 * what exists are `pick` numbers taken modulo the choices, so a shrunk or replayed sequence stays meaningful.
 */
export type Action = { who: number } & (
  | { kind: "text"; text: string; replyTo: "none" | "bot" | "own"; pick: number; inTopic: boolean }
  | { kind: "command"; name: string; args: string; suffix: string }
  | { kind: "press"; pick: number }
  | { kind: "pressStale"; back: number; pick: number }
  | { kind: "pressForged"; data: string; on: ForgedTarget; pick: number }
  | { kind: "pressElsewhere"; pick: number }
  | { kind: "replyKeyboard"; pick: number }
  | { kind: "edit"; back: number; text: string }
  | { kind: "media"; media: MediaKind; caption: string | undefined; fileName: string }
  | { kind: "album"; count: number; caption: string | undefined; documents: boolean }
  | { kind: "contact"; own: boolean; phone: string; firstName: string }
  | { kind: "location"; latitude: number; longitude: number; live: boolean }
  | { kind: "venue"; title: string; address: string }
  | { kind: "forward"; text: string; origin: "user" | "hidden_user" | "channel" | "chat" }
  | { kind: "service"; service: ServiceKind }
  | { kind: "membership"; change: "blockAndUnblock" | "memberJoins" | "memberLeaves" | "joinRequest" }
  | { kind: "other"; type: OtherUpdateType; text: string }
);

export type ForgedTarget = "latest" | "inaccessible" | "inline" | "foreignChat";

export const MEDIA_KINDS = [
  "photo",
  "video",
  "document",
  "voice",
  "audio",
  "animation",
  "video_note",
  "sticker",
  "animatedSticker",
  "poll",
  "dice",
  "story",
  "game",
  "invoice",
  "paidMedia",
] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export const SERVICE_KINDS = [
  "new_chat_members",
  "left_chat_member",
  "new_chat_title",
  "pinned_message",
  "forum_topic_created",
  "forum_topic_closed",
  "general_forum_topic_hidden",
  "write_access_allowed",
  "web_app_data",
  "users_shared",
  "video_chat_started",
  "message_auto_delete_timer_changed",
  "migrate_to_chat_id",
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const OTHER_UPDATE_TYPES = [
  "channel_post",
  "edited_channel_post",
  "inline_query",
  "chosen_inline_result",
  "shipping_query",
  "pre_checkout_query",
  "poll",
  "poll_answer",
  "message_reaction",
  "message_reaction_count",
  "chat_boost",
  "removed_chat_boost",
  "business_connection",
  "business_message",
  "edited_business_message",
  "deleted_business_messages",
  "purchased_paid_media",
  "callback_game",
  "empty",
] as const;
export type OtherUpdateType = (typeof OTHER_UPDATE_TYPES)[number];

/** Commands the bot knows (citizens' and officers', in both languages), and some it does not. */
const COMMANDS = [
  "start",
  "lapor",
  "report",
  "batal",
  "cancel",
  "status",
  "bantuan",
  "help",
  "langganan",
  "subscribe",
  "berhenti",
  "unsubscribe",
  "bahasa",
  "language",
  "privasi",
  "privacy",
  "hapus",
  "tiket",
  "ticket",
  "antrian",
  "queue",
  "cari",
  "search",
  "siaran",
  "broadcast",
  "siaran_status",
  "broadcast_status",
  "admin",
  "x",
  "START",
  "lapor_lapor",
];

/**
 * Callback data nobody's button carries: malformed, stale, of another feature, naming tickets that do not exist
 * (or that belong to someone else: `{code}` is replaced by a ticket code the test knows).
 */
const forgedData: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          "rep:",
          "rep:o:category:",
          "rep:o:identity:",
          "rep:o:occurred_on:",
          "rep:t:mp_given:",
          "rep:t:hx_platforms:",
          "rep:d:",
          "rep:s:",
          "rep:e:",
          "rep:submit:",
          "rep:rg:",
          "rep:rp:-:",
          "rep:rp:31:",
          "rep:rgall",
          "rep:back",
          "rep:cancel",
          "rep:cancel:yes",
          "rep:resume",
          "rep:discard",
          "rep:noop",
          "tkt:cl:",
          "tkt:cl:{code}",
          "tkt:rl:{code}",
          "tkt:ak:{code}",
          "tkt:vf:{code}",
          "tkt:cs:{code}",
          "tkt:ro:{code}",
          "tkt:ct:{code}",
          "tkt:fw:{code}",
          "tkt:fd:G:{code}",
          "tkt:rj:{code}",
          "tkt:rr:D:{code}",
          "tkt:rr:S:{code}",
          "tkt:ev:{code}",
          "tkt:mo:{code}",
          "tkt:pn:{code}",
          "tkt:lk:{code}",
          "tkt:ns:{code}",
          "tkt:ul:{code}",
          "tkt:bk:{code}",
          "ans:",
          "ans:{code}",
          "ans:done",
          "lang:",
          "lang:en",
          "lang:id",
          "menu:report",
          "menu:mine",
          "menu:announcements",
          "menu:help",
          "mine:p:",
          "mine:o:{code}",
          "sub:",
          "sub:on",
          "sub:off",
          "bc:",
          "",
        ),
        fc.oneof(
          fc.constant(""),
          fc.string({ unit: "grapheme-ascii", maxLength: 10 }),
          fc.integer({ min: -5, max: 100_000 }).map(String),
          fc.constantFrom("99.99.99", "31.74", "31.74.01", "PU-ZZZZZZ", "0", "-1", "1e3", ":", "::"),
        ),
      )
      .map(([prefix, suffix]) => `${prefix}${suffix}`),
    weight: 6,
  },
  { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), weight: 1 },
);

const coordinate = (limit: number) =>
  fc.oneof(
    fc.double({ min: -limit, max: limit, noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, limit, -limit, -6.2088, 106.8456),
  );

const pick = fc.nat({ max: 1000 });

const kinds = (who: fc.Arbitrary<number>) =>
  fc
    .oneof(
      {
        arbitrary: fc.record({
          kind: fc.constant("press" as const),
          pick,
        }),
        weight: 12,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant("text" as const),
          text: userText,
          replyTo: fc.constantFrom("none", "none", "none", "bot", "own"),
          pick,
          inTopic: fc.boolean(),
        }),
        weight: 10,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant("command" as const),
          name: fc.constantFrom(...COMMANDS),
          args: commandArgs,
          suffix: fc.constantFrom("", "", "", "@awasi_bot", "@other_bot"),
        }),
        weight: 4,
      },
      { arbitrary: fc.record({ kind: fc.constant("pressStale" as const), back: pick, pick }), weight: 3 },
      {
        arbitrary: fc.record({
          kind: fc.constant("pressForged" as const),
          data: forgedData,
          on: fc.constantFrom<ForgedTarget>("latest", "latest", "inaccessible", "inline", "foreignChat"),
          pick,
        }),
        weight: 3,
      },
      { arbitrary: fc.record({ kind: fc.constant("pressElsewhere" as const), pick }), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constant("replyKeyboard" as const), pick }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant("edit" as const), back: pick, text: userText }), weight: 2 },
      {
        arbitrary: fc.record({
          kind: fc.constant("media" as const),
          media: fc.constantFrom(...MEDIA_KINDS),
          caption: fc.option(userText, { nil: undefined }),
          fileName: fc.oneof(fc.constant("bukti.pdf"), userText),
        }),
        weight: 4,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant("album" as const),
          count: fc.integer({ min: 2, max: 10 }),
          caption: fc.option(userText, { nil: undefined }),
          documents: fc.boolean(),
        }),
        weight: 1,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant("contact" as const),
          own: fc.boolean(),
          phone: fc.oneof(
            fc.constantFrom("6281234567890", "+6281234567890", "12025550100", "0", ""),
            userText,
          ),
          firstName: fc.oneof(
            fc.constant("Rina"),
            userText.filter((s) => s.length > 0),
          ),
        }),
        weight: 1,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant("location" as const),
          latitude: coordinate(90),
          longitude: coordinate(180),
          live: fc.boolean(),
        }),
        weight: 1,
      },
      {
        arbitrary: fc.record({ kind: fc.constant("venue" as const), title: userText, address: userText }),
        weight: 1,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant("forward" as const),
          text: userText,
          origin: fc.constantFrom("user", "hidden_user", "channel", "chat"),
        }),
        weight: 1,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant("service" as const),
          service: fc.constantFrom(...SERVICE_KINDS),
        }),
        weight: 1,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant("membership" as const),
          change: fc.constantFrom("blockAndUnblock", "memberJoins", "memberLeaves", "joinRequest"),
        }),
        weight: 1,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant("other" as const),
          type: fc.constantFrom(...OTHER_UPDATE_TYPES),
          text: userText,
        }),
        weight: 2,
      },
    )
    .chain((action) => who.map((index) => ({ ...action, who: index }) as Action));

/** An action of the scene's main user (`who` 0) or, now and then, of someone else in the same chat. */
export const action = (actors: number): fc.Arbitrary<Action> =>
  kinds(
    actors <= 1
      ? fc.constant(0)
      : fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, fc.nat({ max: actors - 1 })),
  );
