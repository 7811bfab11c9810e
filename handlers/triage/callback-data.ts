import { parseTicketCode } from "../../domain/report/ticket-code.ts";
import {
  FORWARD_DESTINATIONS,
  type ForwardDestination,
  REJECT_REASONS,
  type RejectReason,
} from "../../domain/ticket/workflow.ts";

/**
 * Callback data of ticket cards (`tkt:`) and of the reporter's Reply button (`ans:`). The data names the ticket by
 * its code and the wanted action, nothing more: the handler looks the ticket up and decides again for the person
 * who pressed, so forged data can at most ask for something the presser may do anyway. Always under 64 bytes
 * (`tkt:rr:N:PU-7K3Q9M` is 18).
 */
export type CardCallback =
  | {
      verb: "claim" | "release" | "askReporter" | "verify" | "close" | "reopen" | "revealContact";
      code: string;
    }
  | { verb: "forwardMenu" | "rejectMenu" | "back" | "evidence" | "more" | "pin" | "form"; code: string }
  | { verb: "link" | "notSame" | "unlink"; code: string }
  | { verb: "forward"; destination: ForwardDestination; code: string }
  | { verb: "reject"; reason: RejectReason; code: string };

export type CardVerb = CardCallback["verb"];

const TOKENS = {
  claim: "cl",
  release: "rl",
  askReporter: "ak",
  verify: "vf",
  close: "cs",
  reopen: "ro",
  revealContact: "ct",
  forwardMenu: "fw",
  rejectMenu: "rj",
  back: "bk",
  evidence: "ev",
  more: "mo",
  pin: "pn",
  form: "fm",
  link: "lk",
  notSame: "ns",
  unlink: "ul",
  forward: "fd",
  reject: "rr",
} as const satisfies Record<CardVerb, string>;

const VERB_BY_TOKEN = new Map(
  Object.entries(TOKENS).map(([verb, token]) => [token as string, verb as CardVerb]),
);

/** One-letter codes of forward destinations and reject reasons. */
const DESTINATION_LETTER: Record<ForwardDestination, string> = {
  GAKKUMDU: "G",
  KASN_BKN: "K",
  FORMAL_PROCESS: "P",
};
const REASON_LETTER: Record<RejectReason, string> = {
  NOT_A_VIOLATION: "N",
  INSUFFICIENT_EVIDENCE: "I",
  DUPLICATE: "D",
  SPAM: "S",
};

export const CARD_PREFIX = "tkt:";
export const ANSWER_PREFIX = "ans:";

/** The callback data of a card button. */
export function cardData(callback: CardCallback): string {
  const token = TOKENS[callback.verb];
  if (callback.verb === "forward")
    return `tkt:${token}:${DESTINATION_LETTER[callback.destination]}:${callback.code}`;
  if (callback.verb === "reject") return `tkt:${token}:${REASON_LETTER[callback.reason]}:${callback.code}`;
  return `tkt:${token}:${callback.code}`;
}

/** Reads `tkt:` data; undefined for anything malformed or naming no valid code. */
export function parseCardData(data: string): CardCallback | undefined {
  const parts = data.split(":");
  if (parts[0] !== "tkt" || parts.length < 3 || parts.length > 4) return undefined;
  const verb = VERB_BY_TOKEN.get(parts[1] ?? "");
  const code = parseTicketCode(parts.at(-1) ?? "");
  if (!verb || !code) return undefined;
  if (verb === "forward" || verb === "reject") {
    if (parts.length !== 4) return undefined;
    const letter = parts[2];
    if (verb === "forward") {
      const destination = FORWARD_DESTINATIONS.find((d) => DESTINATION_LETTER[d] === letter);
      return destination ? { verb, destination, code } : undefined;
    }
    const reason = REJECT_REASONS.find((r) => REASON_LETTER[r] === letter);
    return reason ? { verb, reason, code } : undefined;
  }
  if (parts.length !== 3) return undefined;
  return { verb, code } as CardCallback;
}

/** The reporter's Reply button (`ans:<code>`) and Done button (`ans:done`). */
export const answerData = {
  reply: (code: string) => `${ANSWER_PREFIX}${code}`,
  done: `${ANSWER_PREFIX}done`,
};

/** Reads `ans:` data: a ticket code, "done", or undefined. */
export function parseAnswerData(
  data: string,
): { kind: "reply"; code: string } | { kind: "done" } | undefined {
  if (!data.startsWith(ANSWER_PREFIX)) return undefined;
  const rest = data.slice(ANSWER_PREFIX.length);
  if (rest === "done") return { kind: "done" };
  const code = parseTicketCode(rest);
  return code ? { kind: "reply", code } : undefined;
}
