/**
 * The ticket workflow: the one place that knows which officer may do what to a ticket, and what follows.
 *
 * ```text
 * NEW ─claim→ IN_REVIEW ─verify→ VERIFIED ─forward→ FORWARDED ─close→ CLOSED
 * IN_REVIEW ─release→ NEW          VERIFIED ─close→ CLOSED
 * IN_REVIEW ─askReporter→ NEEDS_INFO ─infoReceived→ IN_REVIEW
 * NEW | IN_REVIEW | NEEDS_INFO | VERIFIED ─reject→ REJECTED
 * CLOSED | REJECTED ─reopen (admin)→ IN_REVIEW
 * ```
 *
 * Rules decided here (the brief left them open):
 * - **Open** statuses are NEW, IN_REVIEW, NEEDS_INFO and VERIFIED: Bawaslu still has to act, reminders run and
 *   a ticket can be rejected. FORWARDED is handed over to another body (Gakkumdu, KASN/BKN, the formal process):
 *   neither open nor final, it waits to be closed and can no longer be rejected (the other body decides now).
 *   CLOSED and REJECTED are final; only an admin reopens them.
 * - **Close** is allowed from FORWARDED and from VERIFIED: a verified violation can be settled without handing
 *   it over (a hoax taken down, an unlawful banner removed after Bawaslu's warning). Closing anything earlier is
 *   refused: an unverified tip ends as REJECTED with a reason, so statistics stay honest.
 * - **Assignee.** A NEW ticket has no assignee; every other open status has exactly one. Claim sets it, release
 *   clears it, nothing else changes it, except: rejecting an unclaimed NEW ticket (spam triage needs no claim)
 *   makes the rejecting officer the assignee, and reopen keeps the last assignee (who knows the case) or, if
 *   there was none, gives the ticket to the reopening admin.
 * - **Who may act.** Claim: anyone, only when nobody holds the ticket (`alreadyClaimed` otherwise, also for the
 *   holder themself, and also for admins: an admin releases first, then claims, two audited steps). Release,
 *   askReporter, infoReceived, verify, forward, close, reject of a claimed ticket: the assignee or an admin
 *   (`notAssignee` otherwise); an admin acting on someone else's ticket does not take it over. Reopen and
 *   revealContact: admins only.
 * - **askReporter** is allowed from IN_REVIEW (→ NEEDS_INFO) and from NEEDS_INFO (a follow-up question, status
 *   unchanged). **infoReceived** is a system action when the reporter answers ({@link SYSTEM_ACTOR}); the
 *   assignee or an admin may also use it to resume the review without an answer (the officer found the
 *   information elsewhere). It has no card button.
 * - **revealContact** works in any status while the report is identified; whether the personal data still exists
 *   (purge after closing) is the store's business, not the workflow's.
 * - Order of checks, so one refusal reason is stable: actor kind → admin-only → status → assignee → parameters.
 *
 * Pure: no grammY, no Prisma. The string unions mirror the Prisma enums of the same names.
 */

/** Mirrors the Prisma enum `ReportStatus`. */
export const REPORT_STATUSES = [
  "NEW",
  "IN_REVIEW",
  "NEEDS_INFO",
  "VERIFIED",
  "FORWARDED",
  "CLOSED",
  "REJECTED",
] as const;
/** A ticket's status (Prisma `ReportStatus`). */
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Mirrors the Prisma enum `ForwardDestination`. */
export const FORWARD_DESTINATIONS = ["GAKKUMDU", "KASN_BKN", "FORMAL_PROCESS"] as const;
/** Where a verified ticket is handed over to (Prisma `ForwardDestination`). */
export type ForwardDestination = (typeof FORWARD_DESTINATIONS)[number];

/** Mirrors the Prisma enum `RejectReason`. */
export const REJECT_REASONS = ["NOT_A_VIOLATION", "INSUFFICIENT_EVIDENCE", "DUPLICATE", "SPAM"] as const;
/** Why a ticket was rejected (Prisma `RejectReason`). */
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Statuses in which Bawaslu still has to act: reminders run, reject is possible. */
export const OPEN_STATUSES: readonly ReportStatus[] = ["NEW", "IN_REVIEW", "NEEDS_INFO", "VERIFIED"];
/** Statuses that end a ticket; only an admin's reopen leaves them. */
export const FINAL_STATUSES: readonly ReportStatus[] = ["CLOSED", "REJECTED"];

/** Whether Bawaslu still has to act on a ticket in this status (NEW, IN_REVIEW, NEEDS_INFO, VERIFIED). */
export function isOpen(status: ReportStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Whether this status ends the ticket (CLOSED, REJECTED). FORWARDED is neither open nor final. */
export function isFinal(status: ReportStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** A staff member's role: an admin is an administrator of the staff group and can do everything an officer can. */
export type StaffRole = "officer" | "admin";

/** An officer or admin acting through the staff group; `id` is their Telegram user id. */
export interface StaffActor {
  id: bigint;
  role: StaffRole;
}

/** The bot itself, acting on the reporter's behalf (the reporter answered a question). */
export interface SystemActor {
  role: "system";
}

/** Who asks for a decision. */
export type Actor = StaffActor | SystemActor;

/** The actor for system actions; it may only perform `infoReceived`. */
export const SYSTEM_ACTOR: SystemActor = Object.freeze({ role: "system" });

/** What the workflow needs to know about a ticket. */
export interface TicketState {
  status: ReportStatus;
  assigneeId: bigint | null;
  /** `false` when the reporter chose to be identified (name and phone stored, encrypted). */
  anonymous: boolean;
}

/** An action on a ticket with its parameters. */
export type TicketAction =
  | { type: "claim" }
  | { type: "release" }
  | { type: "askReporter" }
  | { type: "infoReceived" }
  | { type: "verify" }
  | { type: "forward"; destination: ForwardDestination }
  | { type: "close" }
  | { type: "reject"; reason: RejectReason; duplicateOfCode?: string | null }
  | { type: "reopen" }
  | { type: "revealContact" };

/** The name of an action, e.g. for callback data (`tkt:verify:…`). */
export type TicketActionName = TicketAction["type"];

/** The actions a card can show, in display order. `infoReceived` has no button. */
export const CARD_ACTIONS: readonly TicketActionName[] = [
  "claim",
  "release",
  "askReporter",
  "verify",
  "forward",
  "reject",
  "close",
  "reopen",
  "revealContact",
];

/** The audit event an accepted action writes (a subset of Prisma `ReportEventType`). */
export type TicketEventType =
  | "CLAIMED"
  | "RELEASED"
  | "STATUS_CHANGED"
  | "QUESTION_ASKED"
  | "CONTACT_REVEALED"
  | "REOPENED";

/** Why an action was refused. Each maps to a locale key `ticket.refused.<reason>` for the officer. */
export type RefusalReason =
  | "invalidTransition"
  | "alreadyClaimed"
  | "notAssignee"
  | "adminOnly"
  | "staffOnly"
  | "missingDestination"
  | "missingReason"
  | "missingDuplicateCode"
  | "notIdentified";

/**
 * Columns besides status and assignee that the handler writes with the decision. A key that is absent means
 * "leave as is"; `null` means "clear".
 */
export interface TicketPatch {
  forwardedTo?: ForwardDestination | null;
  rejectReason?: RejectReason | null;
  duplicateOfCode?: string | null;
  /** `"now"`: set `closedAt` to the time of the update (starts the personal-data purge clock); `null`: clear. */
  closedAt?: "now" | null;
}

/** The state a conditional update must still find; see {@link expectedState}. */
export interface ExpectedState {
  status: ReportStatus;
  assigneeId: bigint | null;
}

/** An accepted action. */
export interface Accepted {
  ok: true;
  toStatus: ReportStatus;
  /** The assignee after the action (`null` = unassigned). */
  assigneeId: bigint | null;
  event: { type: TicketEventType; fromStatus: ReportStatus; toStatus: ReportStatus };
  patch: TicketPatch;
  /** The state the ticket was decided on; the handler's UPDATE must match it. Same as `expectedState(ticket)`. */
  expected: ExpectedState;
}

/** A refused action. */
export interface Refused {
  ok: false;
  reason: RefusalReason;
}

/** The outcome of {@link decide}. */
export type Decision = Accepted | Refused;

const refuse = (reason: RefusalReason): Refused => ({ ok: false, reason });

/** Statuses in which a ticket is held by an officer and the holder's actions apply. */
const CLAIMED_OPEN: readonly ReportStatus[] = ["IN_REVIEW", "NEEDS_INFO", "VERIFIED"];

/**
 * Decides whether `actor` may apply `action` to `ticket`, and what follows.
 *
 * Pure: it changes nothing. The handler applies an accepted decision with a conditional update (see
 * {@link expectedState}), writes `event` as a `ReportEvent` (with the actor, a note, and for revealContact the
 * audit trail the promise to reporters needs), edits the card, and tells the reporter
 * ({@link statusNoticeKey}).
 *
 * Parameters are checked at run time too (`missingDestination`, `missingReason`, `missingDuplicateCode`),
 * because they arrive from callback data or typed text.
 *
 * @example
 * decide({ status: "NEW", assigneeId: null, anonymous: true }, { type: "claim" }, { id: 42n, role: "officer" })
 * // → { ok: true, toStatus: "IN_REVIEW", assigneeId: 42n, event: { type: "CLAIMED", … }, … }
 */
export function decide(ticket: TicketState, action: TicketAction, actor: Actor): Decision {
  const from = ticket.status;
  const expected = expectedState(ticket);
  const accept = (
    type: TicketEventType,
    toStatus: ReportStatus,
    assigneeId: bigint | null,
    patch: TicketPatch = {},
  ): Accepted => ({
    ok: true,
    toStatus,
    assigneeId,
    event: { type, fromStatus: from, toStatus },
    patch,
    expected,
  });

  if (actor.role === "system") {
    if (action.type !== "infoReceived") return refuse("staffOnly");
    return from === "NEEDS_INFO"
      ? accept("STATUS_CHANGED", "IN_REVIEW", ticket.assigneeId)
      : refuse("invalidTransition");
  }

  const isAdmin = actor.role === "admin";
  /** The assignee rule for a ticket someone holds; `null` = may act. */
  const holderCheck = (): Refused | null => {
    if (isAdmin || ticket.assigneeId === actor.id) return null;
    return refuse("notAssignee");
  };
  /** Keeps the holder; repairs a held status without a holder (old data) by giving it to the acting admin. */
  const keepAssignee = (): bigint => ticket.assigneeId ?? actor.id;

  switch (action.type) {
    case "claim": {
      if (from === "NEW" && ticket.assigneeId === null) return accept("CLAIMED", "IN_REVIEW", actor.id);
      if (from === "NEW" || CLAIMED_OPEN.includes(from)) return refuse("alreadyClaimed");
      return refuse("invalidTransition");
    }
    case "release": {
      if (from !== "IN_REVIEW") return refuse("invalidTransition");
      return holderCheck() ?? accept("RELEASED", "NEW", null);
    }
    case "askReporter": {
      if (from !== "IN_REVIEW" && from !== "NEEDS_INFO") return refuse("invalidTransition");
      return holderCheck() ?? accept("QUESTION_ASKED", "NEEDS_INFO", keepAssignee());
    }
    case "infoReceived": {
      if (from !== "NEEDS_INFO") return refuse("invalidTransition");
      return holderCheck() ?? accept("STATUS_CHANGED", "IN_REVIEW", keepAssignee());
    }
    case "verify": {
      if (from !== "IN_REVIEW") return refuse("invalidTransition");
      return holderCheck() ?? accept("STATUS_CHANGED", "VERIFIED", keepAssignee());
    }
    case "forward": {
      if (from !== "VERIFIED") return refuse("invalidTransition");
      const refused = holderCheck();
      if (refused) return refused;
      if (!FORWARD_DESTINATIONS.includes(action.destination)) return refuse("missingDestination");
      return accept("STATUS_CHANGED", "FORWARDED", keepAssignee(), { forwardedTo: action.destination });
    }
    case "close": {
      if (from !== "VERIFIED" && from !== "FORWARDED") return refuse("invalidTransition");
      return holderCheck() ?? accept("STATUS_CHANGED", "CLOSED", keepAssignee(), { closedAt: "now" });
    }
    case "reject": {
      if (!isOpen(from)) return refuse("invalidTransition");
      const unclaimed = from === "NEW" && ticket.assigneeId === null;
      if (!unclaimed) {
        const refused = holderCheck();
        if (refused) return refused;
      }
      if (!REJECT_REASONS.includes(action.reason)) return refuse("missingReason");
      let duplicateOfCode: string | null = null;
      if (action.reason === "DUPLICATE") {
        duplicateOfCode = action.duplicateOfCode?.trim() ?? "";
        if (duplicateOfCode === "") return refuse("missingDuplicateCode");
      }
      return accept("STATUS_CHANGED", "REJECTED", unclaimed ? actor.id : keepAssignee(), {
        rejectReason: action.reason,
        duplicateOfCode,
        closedAt: "now",
      });
    }
    case "reopen": {
      if (!isAdmin) return refuse("adminOnly");
      if (!isFinal(from)) return refuse("invalidTransition");
      return accept("REOPENED", "IN_REVIEW", keepAssignee(), {
        forwardedTo: null,
        rejectReason: null,
        duplicateOfCode: null,
        closedAt: null,
      });
    }
    case "revealContact": {
      if (!isAdmin) return refuse("adminOnly");
      if (ticket.anonymous) return refuse("notIdentified");
      return accept("CONTACT_REVEALED", from, ticket.assigneeId);
    }
  }
}

/** A valid sample of each action, used to ask {@link decide} whether a button makes sense. */
const PROBES: Readonly<Record<TicketActionName, TicketAction>> = {
  claim: { type: "claim" },
  release: { type: "release" },
  askReporter: { type: "askReporter" },
  infoReceived: { type: "infoReceived" },
  verify: { type: "verify" },
  forward: { type: "forward", destination: "GAKKUMDU" },
  close: { type: "close" },
  reject: { type: "reject", reason: "NOT_A_VIOLATION" },
  reopen: { type: "reopen" },
  revealContact: { type: "revealContact" },
};

/**
 * The buttons to show on a ticket card for this viewer, in display order (claim, release, askReporter, verify,
 * forward, reject, close, reopen, revealContact). Derived from {@link decide} with a valid sample of each action's
 * parameters, so it cannot disagree with the rules; forward and reject then ask for their parameters.
 *
 * A card in the group is seen by every officer, while this list is per viewer: render the buttons for the
 * broadest audience you mean to serve (e.g. an officer who is not the assignee sees fewer), and let `decide`
 * refuse the rest when pressed.
 */
export function availableActions(ticket: TicketState, actor: StaffActor): TicketActionName[] {
  return CARD_ACTIONS.filter((name) => decide(ticket, PROBES[name], actor).ok);
}

/**
 * The state a handler must still find when it writes a decision, so that concurrent presses cannot both win.
 *
 * The handler reads the ticket, calls {@link decide}, then applies the decision with ONE conditional update:
 *
 * ```ts
 * const { count } = await db.report.updateMany({
 *   where: { id, status: expected.status, assigneeId: expected.assigneeId }, // assigneeId: null → IS NULL
 *   data: { status: decision.toStatus, assigneeId: decision.assigneeId, ...patch },
 * });
 * if (count === 0) // someone else changed the ticket first: re-read, decide again, answer the press.
 * ```
 *
 * and writes the event row in the same transaction only when `count === 1`. Two officers pressing Claim at once
 * both decide on `{ status: NEW, assigneeId: null }`; the database serialises the two updates, the first matches
 * and sets the assignee, the second finds `IN_REVIEW` and matches nothing, so exactly one wins; deciding again
 * on the fresh row tells the loser `alreadyClaimed`. Matching on the assignee as well as the status also stops a
 * stale card from acting after a release and a re-claim by somebody else (same status, other holder).
 * `revealContact` changes nothing but its audit event, which the handler writes unconditionally.
 */
export function expectedState(ticket: Pick<TicketState, "status" | "assigneeId">): ExpectedState {
  return { status: ticket.status, assigneeId: ticket.assigneeId };
}

const NOTICE_KEYS: Readonly<Record<ReportStatus, string>> = {
  NEW: "legalClock:notice.backInQueue",
  IN_REVIEW: "triage:ticket.notice.inReview",
  NEEDS_INFO: "triage:ticket.notice.needsInfo",
  VERIFIED: "triage:ticket.notice.verified",
  FORWARDED: "triage:ticket.notice.forwarded",
  CLOSED: "triage:ticket.notice.closed",
  REJECTED: "triage:ticket.notice.rejected",
};

/**
 * The locale key (`namespace:key`) of the message that tells the reporter their ticket reached `toStatus`. Every
 * status change is told, a release back to the queue included; back to review from NEEDS_INFO says the answer
 * was received. Send it only when the status changed. Returns `string | null` for callers that skip a status;
 * no status is skipped today. The message never names the officer.
 */
export function statusNoticeKey(toStatus: ReportStatus, fromStatus?: ReportStatus | null): string | null {
  if (toStatus === "IN_REVIEW" && fromStatus === "NEEDS_INFO") return "legalClock:notice.answerReceived";
  return NOTICE_KEYS[toStatus];
}
