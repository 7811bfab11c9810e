import { describe, expect, it } from "vitest";
import {
  type Accepted,
  type Actor,
  availableActions,
  CARD_ACTIONS,
  type Decision,
  decide,
  expectedState,
  FORWARD_DESTINATIONS,
  isFinal,
  isOpen,
  REJECT_REASONS,
  REPORT_STATUSES,
  type ReportStatus,
  type StaffActor,
  SYSTEM_ACTOR,
  statusNoticeKey,
  type TicketAction,
  type TicketState,
} from "../../../domain/ticket/workflow.ts";

const ASSIGNEE: StaffActor = { id: 1n, role: "officer" };
const OTHER: StaffActor = { id: 2n, role: "officer" };
const ADMIN: StaffActor = { id: 9n, role: "admin" };

/** A ticket in a status, held by ASSIGNEE unless it is NEW. */
function ticket(status: ReportStatus, overrides: Partial<TicketState> = {}): TicketState {
  return { status, assigneeId: status === "NEW" ? null : ASSIGNEE.id, anonymous: true, ...overrides };
}

function accepted(decision: Decision): Accepted {
  if (!decision.ok) throw new Error(`expected the action to be accepted, it was refused: ${decision.reason}`);
  return decision;
}

const ALL_ACTIONS: TicketAction[] = [
  { type: "claim" },
  { type: "release" },
  { type: "askReporter" },
  { type: "infoReceived" },
  { type: "verify" },
  { type: "forward", destination: "KASN_BKN" },
  { type: "close" },
  { type: "reject", reason: "SPAM" },
  { type: "reopen" },
  { type: "revealContact" },
];

describe("valid transitions", () => {
  const cases: Array<{
    name: string;
    ticket: TicketState;
    action: TicketAction;
    actor: Actor;
    to: ReportStatus;
    assignee: bigint | null;
    event: string;
  }> = [
    {
      name: "an officer claims a NEW ticket",
      ticket: ticket("NEW"),
      action: { type: "claim" },
      actor: OTHER,
      to: "IN_REVIEW",
      assignee: OTHER.id,
      event: "CLAIMED",
    },
    {
      name: "an admin claims a NEW ticket",
      ticket: ticket("NEW"),
      action: { type: "claim" },
      actor: ADMIN,
      to: "IN_REVIEW",
      assignee: ADMIN.id,
      event: "CLAIMED",
    },
    {
      name: "the assignee releases",
      ticket: ticket("IN_REVIEW"),
      action: { type: "release" },
      actor: ASSIGNEE,
      to: "NEW",
      assignee: null,
      event: "RELEASED",
    },
    {
      name: "an admin releases someone's ticket",
      ticket: ticket("IN_REVIEW"),
      action: { type: "release" },
      actor: ADMIN,
      to: "NEW",
      assignee: null,
      event: "RELEASED",
    },
    {
      name: "the assignee asks the reporter",
      ticket: ticket("IN_REVIEW"),
      action: { type: "askReporter" },
      actor: ASSIGNEE,
      to: "NEEDS_INFO",
      assignee: ASSIGNEE.id,
      event: "QUESTION_ASKED",
    },
    {
      name: "a follow-up question keeps NEEDS_INFO",
      ticket: ticket("NEEDS_INFO"),
      action: { type: "askReporter" },
      actor: ASSIGNEE,
      to: "NEEDS_INFO",
      assignee: ASSIGNEE.id,
      event: "QUESTION_ASKED",
    },
    {
      name: "the reporter's answer resumes the review",
      ticket: ticket("NEEDS_INFO"),
      action: { type: "infoReceived" },
      actor: SYSTEM_ACTOR,
      to: "IN_REVIEW",
      assignee: ASSIGNEE.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "the assignee resumes without an answer",
      ticket: ticket("NEEDS_INFO"),
      action: { type: "infoReceived" },
      actor: ASSIGNEE,
      to: "IN_REVIEW",
      assignee: ASSIGNEE.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "the assignee verifies",
      ticket: ticket("IN_REVIEW"),
      action: { type: "verify" },
      actor: ASSIGNEE,
      to: "VERIFIED",
      assignee: ASSIGNEE.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "an admin verifies without taking the ticket over",
      ticket: ticket("IN_REVIEW"),
      action: { type: "verify" },
      actor: ADMIN,
      to: "VERIFIED",
      assignee: ASSIGNEE.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "the assignee forwards",
      ticket: ticket("VERIFIED"),
      action: { type: "forward", destination: "GAKKUMDU" },
      actor: ASSIGNEE,
      to: "FORWARDED",
      assignee: ASSIGNEE.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "the assignee closes a forwarded ticket",
      ticket: ticket("FORWARDED"),
      action: { type: "close" },
      actor: ASSIGNEE,
      to: "CLOSED",
      assignee: ASSIGNEE.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "the assignee closes a verified ticket settled without handing over",
      ticket: ticket("VERIFIED"),
      action: { type: "close" },
      actor: ASSIGNEE,
      to: "CLOSED",
      assignee: ASSIGNEE.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "any officer rejects unclaimed spam and becomes its assignee",
      ticket: ticket("NEW"),
      action: { type: "reject", reason: "SPAM" },
      actor: OTHER,
      to: "REJECTED",
      assignee: OTHER.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "the assignee rejects in review",
      ticket: ticket("IN_REVIEW"),
      action: { type: "reject", reason: "NOT_A_VIOLATION" },
      actor: ASSIGNEE,
      to: "REJECTED",
      assignee: ASSIGNEE.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "the assignee rejects while waiting for information",
      ticket: ticket("NEEDS_INFO"),
      action: { type: "reject", reason: "INSUFFICIENT_EVIDENCE" },
      actor: ASSIGNEE,
      to: "REJECTED",
      assignee: ASSIGNEE.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "the assignee rejects a verified duplicate",
      ticket: ticket("VERIFIED"),
      action: { type: "reject", reason: "DUPLICATE", duplicateOfCode: "PU-7K3Q9M" },
      actor: ASSIGNEE,
      to: "REJECTED",
      assignee: ASSIGNEE.id,
      event: "STATUS_CHANGED",
    },
    {
      name: "an admin reopens a closed ticket for its last assignee",
      ticket: ticket("CLOSED"),
      action: { type: "reopen" },
      actor: ADMIN,
      to: "IN_REVIEW",
      assignee: ASSIGNEE.id,
      event: "REOPENED",
    },
    {
      name: "an admin reopens a rejected ticket",
      ticket: ticket("REJECTED"),
      action: { type: "reopen" },
      actor: ADMIN,
      to: "IN_REVIEW",
      assignee: ASSIGNEE.id,
      event: "REOPENED",
    },
    {
      name: "an admin reopens a ticket nobody held and takes it",
      ticket: ticket("REJECTED", { assigneeId: null }),
      action: { type: "reopen" },
      actor: ADMIN,
      to: "IN_REVIEW",
      assignee: ADMIN.id,
      event: "REOPENED",
    },
    {
      name: "an admin reveals an identified reporter's contact",
      ticket: ticket("IN_REVIEW", { anonymous: false }),
      action: { type: "revealContact" },
      actor: ADMIN,
      to: "IN_REVIEW",
      assignee: ASSIGNEE.id,
      event: "CONTACT_REVEALED",
    },
    {
      name: "an admin reveals the contact of a closed identified ticket",
      ticket: ticket("CLOSED", { anonymous: false }),
      action: { type: "revealContact" },
      actor: ADMIN,
      to: "CLOSED",
      assignee: ASSIGNEE.id,
      event: "CONTACT_REVEALED",
    },
  ];

  it.each(cases)("$name", ({ ticket: t, action, actor, to, assignee, event }) => {
    const decision = accepted(decide(t, action, actor));
    expect(decision.toStatus).toBe(to);
    expect(decision.assigneeId).toBe(assignee);
    expect(decision.event).toEqual({ type: event, fromStatus: t.status, toStatus: to });
    expect(decision.expected).toEqual({ status: t.status, assigneeId: t.assigneeId });
  });

  it("forward records the destination", () => {
    for (const destination of FORWARD_DESTINATIONS) {
      const decision = accepted(decide(ticket("VERIFIED"), { type: "forward", destination }, ASSIGNEE));
      expect(decision.patch).toEqual({ forwardedTo: destination });
    }
  });

  it("reject records the reason and closes; a duplicate records the trimmed code of the original", () => {
    expect(accepted(decide(ticket("IN_REVIEW"), { type: "reject", reason: "SPAM" }, ASSIGNEE)).patch).toEqual(
      {
        rejectReason: "SPAM",
        duplicateOfCode: null,
        closedAt: "now",
      },
    );
    const duplicate = decide(
      ticket("IN_REVIEW"),
      { type: "reject", reason: "DUPLICATE", duplicateOfCode: "  PU-7K3Q9M " },
      ASSIGNEE,
    );
    expect(accepted(duplicate).patch.duplicateOfCode).toBe("PU-7K3Q9M");
  });

  it("close starts the purge clock and reopen clears the outcome", () => {
    expect(accepted(decide(ticket("FORWARDED"), { type: "close" }, ASSIGNEE)).patch).toEqual({
      closedAt: "now",
    });
    expect(accepted(decide(ticket("CLOSED"), { type: "reopen" }, ADMIN)).patch).toEqual({
      forwardedTo: null,
      rejectReason: null,
      duplicateOfCode: null,
      closedAt: null,
    });
  });
});

describe("refused actions", () => {
  const cases: Array<{
    name: string;
    ticket: TicketState;
    action: TicketAction;
    actor: Actor;
    reason: string;
  }> = [
    {
      name: "claiming a claimed ticket",
      ticket: ticket("IN_REVIEW"),
      action: { type: "claim" },
      actor: OTHER,
      reason: "alreadyClaimed",
    },
    {
      name: "claiming one's own ticket again",
      ticket: ticket("IN_REVIEW"),
      action: { type: "claim" },
      actor: ASSIGNEE,
      reason: "alreadyClaimed",
    },
    {
      name: "an admin claiming someone's ticket (release first)",
      ticket: ticket("NEEDS_INFO"),
      action: { type: "claim" },
      actor: ADMIN,
      reason: "alreadyClaimed",
    },
    {
      name: "claiming a verified ticket",
      ticket: ticket("VERIFIED"),
      action: { type: "claim" },
      actor: OTHER,
      reason: "alreadyClaimed",
    },
    {
      name: "claiming a forwarded ticket",
      ticket: ticket("FORWARDED"),
      action: { type: "claim" },
      actor: OTHER,
      reason: "invalidTransition",
    },
    {
      name: "claiming a closed ticket",
      ticket: ticket("CLOSED"),
      action: { type: "claim" },
      actor: OTHER,
      reason: "invalidTransition",
    },
    {
      name: "releasing a NEW ticket",
      ticket: ticket("NEW"),
      action: { type: "release" },
      actor: ASSIGNEE,
      reason: "invalidTransition",
    },
    {
      name: "releasing while waiting for information",
      ticket: ticket("NEEDS_INFO"),
      action: { type: "release" },
      actor: ASSIGNEE,
      reason: "invalidTransition",
    },
    {
      name: "releasing someone else's ticket",
      ticket: ticket("IN_REVIEW"),
      action: { type: "release" },
      actor: OTHER,
      reason: "notAssignee",
    },
    {
      name: "asking on a NEW ticket",
      ticket: ticket("NEW"),
      action: { type: "askReporter" },
      actor: OTHER,
      reason: "invalidTransition",
    },
    {
      name: "asking on a verified ticket",
      ticket: ticket("VERIFIED"),
      action: { type: "askReporter" },
      actor: ASSIGNEE,
      reason: "invalidTransition",
    },
    {
      name: "asking on someone else's ticket",
      ticket: ticket("IN_REVIEW"),
      action: { type: "askReporter" },
      actor: OTHER,
      reason: "notAssignee",
    },
    {
      name: "an answer when no question is open",
      ticket: ticket("IN_REVIEW"),
      action: { type: "infoReceived" },
      actor: SYSTEM_ACTOR,
      reason: "invalidTransition",
    },
    {
      name: "resuming someone else's ticket",
      ticket: ticket("NEEDS_INFO"),
      action: { type: "infoReceived" },
      actor: OTHER,
      reason: "notAssignee",
    },
    {
      name: "the system verifying",
      ticket: ticket("IN_REVIEW"),
      action: { type: "verify" },
      actor: SYSTEM_ACTOR,
      reason: "staffOnly",
    },
    {
      name: "the system claiming",
      ticket: ticket("NEW"),
      action: { type: "claim" },
      actor: SYSTEM_ACTOR,
      reason: "staffOnly",
    },
    {
      name: "verifying a NEW ticket",
      ticket: ticket("NEW"),
      action: { type: "verify" },
      actor: OTHER,
      reason: "invalidTransition",
    },
    {
      name: "verifying while waiting for information",
      ticket: ticket("NEEDS_INFO"),
      action: { type: "verify" },
      actor: ASSIGNEE,
      reason: "invalidTransition",
    },
    {
      name: "verifying someone else's ticket",
      ticket: ticket("IN_REVIEW"),
      action: { type: "verify" },
      actor: OTHER,
      reason: "notAssignee",
    },
    {
      name: "forwarding an unverified ticket",
      ticket: ticket("IN_REVIEW"),
      action: { type: "forward", destination: "GAKKUMDU" },
      actor: ASSIGNEE,
      reason: "invalidTransition",
    },
    {
      name: "forwarding someone else's ticket",
      ticket: ticket("VERIFIED"),
      action: { type: "forward", destination: "GAKKUMDU" },
      actor: OTHER,
      reason: "notAssignee",
    },
    {
      name: "closing an unverified ticket",
      ticket: ticket("IN_REVIEW"),
      action: { type: "close" },
      actor: ASSIGNEE,
      reason: "invalidTransition",
    },
    {
      name: "closing a NEW ticket",
      ticket: ticket("NEW"),
      action: { type: "close" },
      actor: ADMIN,
      reason: "invalidTransition",
    },
    {
      name: "closing twice",
      ticket: ticket("CLOSED"),
      action: { type: "close" },
      actor: ASSIGNEE,
      reason: "invalidTransition",
    },
    {
      name: "closing someone else's ticket",
      ticket: ticket("FORWARDED"),
      action: { type: "close" },
      actor: OTHER,
      reason: "notAssignee",
    },
    {
      name: "rejecting a forwarded ticket",
      ticket: ticket("FORWARDED"),
      action: { type: "reject", reason: "SPAM" },
      actor: ASSIGNEE,
      reason: "invalidTransition",
    },
    {
      name: "rejecting a closed ticket",
      ticket: ticket("CLOSED"),
      action: { type: "reject", reason: "SPAM" },
      actor: ADMIN,
      reason: "invalidTransition",
    },
    {
      name: "rejecting twice",
      ticket: ticket("REJECTED"),
      action: { type: "reject", reason: "SPAM" },
      actor: ASSIGNEE,
      reason: "invalidTransition",
    },
    {
      name: "rejecting someone else's ticket",
      ticket: ticket("IN_REVIEW"),
      action: { type: "reject", reason: "SPAM" },
      actor: OTHER,
      reason: "notAssignee",
    },
    {
      name: "a duplicate without the original's code",
      ticket: ticket("IN_REVIEW"),
      action: { type: "reject", reason: "DUPLICATE" },
      actor: ASSIGNEE,
      reason: "missingDuplicateCode",
    },
    {
      name: "a duplicate with a blank code",
      ticket: ticket("NEW"),
      action: { type: "reject", reason: "DUPLICATE", duplicateOfCode: "  " },
      actor: OTHER,
      reason: "missingDuplicateCode",
    },
    {
      name: "an officer reopening",
      ticket: ticket("CLOSED"),
      action: { type: "reopen" },
      actor: ASSIGNEE,
      reason: "adminOnly",
    },
    {
      name: "reopening an open ticket",
      ticket: ticket("IN_REVIEW"),
      action: { type: "reopen" },
      actor: ADMIN,
      reason: "invalidTransition",
    },
    {
      name: "reopening a forwarded ticket",
      ticket: ticket("FORWARDED"),
      action: { type: "reopen" },
      actor: ADMIN,
      reason: "invalidTransition",
    },
    {
      name: "an officer revealing a contact",
      ticket: ticket("IN_REVIEW", { anonymous: false }),
      action: { type: "revealContact" },
      actor: ASSIGNEE,
      reason: "adminOnly",
    },
    {
      name: "revealing an anonymous reporter",
      ticket: ticket("IN_REVIEW"),
      action: { type: "revealContact" },
      actor: ADMIN,
      reason: "notIdentified",
    },
  ];

  it.each(cases)("$name → $reason", ({ ticket: t, action, actor, reason }) => {
    expect(decide(t, action, actor)).toEqual({ ok: false, reason });
  });

  it("parameters arriving from callback data are checked at run time", () => {
    const bogusForward = { type: "forward", destination: "POLICE" } as unknown as TicketAction;
    expect(decide(ticket("VERIFIED"), bogusForward, ASSIGNEE)).toEqual({
      ok: false,
      reason: "missingDestination",
    });
    const noDestination = { type: "forward" } as unknown as TicketAction;
    expect(decide(ticket("VERIFIED"), noDestination, ASSIGNEE)).toEqual({
      ok: false,
      reason: "missingDestination",
    });
    const noReason = { type: "reject" } as unknown as TicketAction;
    expect(decide(ticket("IN_REVIEW"), noReason, ASSIGNEE)).toEqual({ ok: false, reason: "missingReason" });
  });
});

describe("rules that hold for every status, role and action", () => {
  const EDGES = new Set([
    "NEW>IN_REVIEW",
    "IN_REVIEW>NEW",
    "IN_REVIEW>NEEDS_INFO",
    "NEEDS_INFO>NEEDS_INFO",
    "NEEDS_INFO>IN_REVIEW",
    "IN_REVIEW>VERIFIED",
    "VERIFIED>FORWARDED",
    "VERIFIED>CLOSED",
    "FORWARDED>CLOSED",
    "NEW>REJECTED",
    "IN_REVIEW>REJECTED",
    "NEEDS_INFO>REJECTED",
    "VERIFIED>REJECTED",
    "CLOSED>IN_REVIEW",
    "REJECTED>IN_REVIEW",
  ]);
  const actors: Actor[] = [ASSIGNEE, OTHER, ADMIN, SYSTEM_ACTOR];
  const tickets: TicketState[] = REPORT_STATUSES.flatMap((status) =>
    [true, false].map((anonymous) => ticket(status, { anonymous })),
  );

  it("every accepted status change is an edge of the workflow", () => {
    for (const t of tickets)
      for (const action of ALL_ACTIONS)
        for (const actor of actors) {
          const decision = decide(t, action, actor);
          if (!decision.ok || decision.toStatus === t.status) continue;
          expect(EDGES.has(`${t.status}>${decision.toStatus}`), `${t.status} → ${decision.toStatus}`).toBe(
            true,
          );
        }
  });

  it("every edge is reachable", () => {
    const reached = new Set<string>();
    for (const t of tickets)
      for (const action of ALL_ACTIONS)
        for (const actor of actors) {
          const decision = decide(t, action, actor);
          if (decision.ok) reached.add(`${t.status}>${decision.toStatus}`);
        }
    for (const edge of EDGES) expect(reached.has(edge), edge).toBe(true);
  });

  it("an open ticket has an assignee exactly when it is not NEW", () => {
    for (const t of tickets)
      for (const action of ALL_ACTIONS)
        for (const actor of actors) {
          const decision = decide(t, action, actor);
          if (!decision.ok || !isOpen(decision.toStatus)) continue;
          expect(decision.assigneeId === null, `${t.status} -${action.type}→ ${decision.toStatus}`).toBe(
            decision.toStatus === "NEW",
          );
        }
  });

  it("an officer who does not hold a ticket can only claim it or reject it while it is unclaimed", () => {
    for (const t of tickets)
      for (const action of ALL_ACTIONS) {
        const decision = decide(t, action, OTHER);
        if (decision.ok) expect(t.status === "NEW" && ["claim", "reject"].includes(action.type)).toBe(true);
      }
  });

  it("an admin may do everything an officer may", () => {
    for (const t of tickets)
      for (const action of ALL_ACTIONS)
        if (decide(t, action, ASSIGNEE).ok || decide(t, action, OTHER).ok) {
          expect(decide(t, action, ADMIN).ok, `${t.status} ${action.type}`).toBe(true);
        }
  });

  it("the system may only record an answer", () => {
    for (const t of tickets)
      for (const action of ALL_ACTIONS)
        if (decide(t, action, SYSTEM_ACTOR).ok) expect(action.type).toBe("infoReceived");
  });

  it("every reject reason is accepted (with a code for duplicates)", () => {
    for (const reason of REJECT_REASONS) {
      const decision = decide(
        ticket("IN_REVIEW"),
        { type: "reject", reason, duplicateOfCode: "HX-ABC123" },
        ASSIGNEE,
      );
      expect(accepted(decision).patch.rejectReason).toBe(reason);
    }
  });
});

describe("availableActions", () => {
  const cases: Array<{ status: ReportStatus; actor: StaffActor; anonymous?: boolean; actions: string[] }> = [
    { status: "NEW", actor: OTHER, actions: ["claim", "reject"] },
    { status: "NEW", actor: ADMIN, actions: ["claim", "reject"] },
    { status: "NEW", actor: ADMIN, anonymous: false, actions: ["claim", "reject", "revealContact"] },
    { status: "IN_REVIEW", actor: ASSIGNEE, actions: ["release", "askReporter", "verify", "reject"] },
    { status: "IN_REVIEW", actor: OTHER, actions: [] },
    { status: "IN_REVIEW", actor: ADMIN, actions: ["release", "askReporter", "verify", "reject"] },
    { status: "NEEDS_INFO", actor: ASSIGNEE, actions: ["askReporter", "reject"] },
    { status: "NEEDS_INFO", actor: OTHER, actions: [] },
    { status: "VERIFIED", actor: ASSIGNEE, actions: ["forward", "reject", "close"] },
    { status: "VERIFIED", actor: OTHER, actions: [] },
    {
      status: "VERIFIED",
      actor: ADMIN,
      anonymous: false,
      actions: ["forward", "reject", "close", "revealContact"],
    },
    { status: "FORWARDED", actor: ASSIGNEE, actions: ["close"] },
    { status: "FORWARDED", actor: ADMIN, actions: ["close"] },
    { status: "CLOSED", actor: ASSIGNEE, actions: [] },
    { status: "CLOSED", actor: ADMIN, actions: ["reopen"] },
    { status: "REJECTED", actor: OTHER, anonymous: false, actions: [] },
    { status: "REJECTED", actor: ADMIN, anonymous: false, actions: ["reopen", "revealContact"] },
  ];

  it.each(cases)(
    "$status for $actor.role $actor.id (anonymous: $anonymous)",
    ({ status, actor, anonymous, actions }) => {
      expect(availableActions(ticket(status, { anonymous: anonymous ?? true }), actor)).toEqual(actions);
    },
  );

  it("offers exactly the card actions decide accepts", () => {
    for (const status of REPORT_STATUSES)
      for (const actor of [ASSIGNEE, OTHER, ADMIN]) {
        const t = ticket(status, { anonymous: false });
        const offered = availableActions(t, actor);
        for (const action of ALL_ACTIONS.filter((a) => CARD_ACTIONS.includes(a.type))) {
          expect(offered.includes(action.type), `${status} ${actor.role} ${action.type}`).toBe(
            decide(t, action, actor).ok,
          );
        }
      }
  });
});

describe("status helpers", () => {
  it("open, handed over and final statuses", () => {
    expect(REPORT_STATUSES.filter(isOpen)).toEqual(["NEW", "IN_REVIEW", "NEEDS_INFO", "VERIFIED"]);
    expect(REPORT_STATUSES.filter(isFinal)).toEqual(["CLOSED", "REJECTED"]);
    expect(isOpen("FORWARDED") || isFinal("FORWARDED")).toBe(false);
  });

  it("tells the reporter about every status change, going back to the queue and the answer included", () => {
    expect(REPORT_STATUSES.map((s) => statusNoticeKey(s))).toEqual([
      "legalClock:notice.backInQueue",
      "triage:ticket.notice.inReview",
      "triage:ticket.notice.needsInfo",
      "triage:ticket.notice.verified",
      "triage:ticket.notice.forwarded",
      "triage:ticket.notice.closed",
      "triage:ticket.notice.rejected",
    ]);
    expect(statusNoticeKey("IN_REVIEW", "NEEDS_INFO")).toBe("legalClock:notice.answerReceived");
    expect(statusNoticeKey("IN_REVIEW", "NEW")).toBe("triage:ticket.notice.inReview");
  });
});

describe("two officers pressing Claim at once", () => {
  /** A row with the handler's conditional update: set only if status and assignee are still as expected. */
  function fakeRow(initial: TicketState) {
    const row = { ...initial };
    return {
      read: (): TicketState => ({ ...row }),
      conditionalUpdate(decision: Accepted): number {
        const { status, assigneeId } = decision.expected;
        if (row.status !== status || row.assigneeId !== assigneeId) return 0;
        row.status = decision.toStatus;
        row.assigneeId = decision.assigneeId;
        return 1;
      },
    };
  }

  it("produces exactly one winner; the loser is told the ticket is already claimed", () => {
    const row = fakeRow(ticket("NEW"));
    const snapshot = row.read();
    const first = accepted(decide(snapshot, { type: "claim" }, ASSIGNEE));
    const second = accepted(decide(snapshot, { type: "claim" }, OTHER));
    expect(first.expected).toEqual(expectedState(snapshot));

    expect(row.conditionalUpdate(first)).toBe(1);
    expect(row.conditionalUpdate(second)).toBe(0);
    expect(row.read().assigneeId).toBe(ASSIGNEE.id);
    expect(decide(row.read(), { type: "claim" }, OTHER)).toEqual({ ok: false, reason: "alreadyClaimed" });
  });

  it("a stale card cannot act after a release and a claim by somebody else", () => {
    const row = fakeRow(ticket("IN_REVIEW"));
    const stale = row.read();
    const staleVerify = accepted(decide(stale, { type: "verify" }, ASSIGNEE));
    expect(row.conditionalUpdate(accepted(decide(row.read(), { type: "release" }, ADMIN)))).toBe(1);
    expect(row.conditionalUpdate(accepted(decide(row.read(), { type: "claim" }, OTHER)))).toBe(1);
    expect(row.read().status).toBe(stale.status);
    expect(row.conditionalUpdate(staleVerify)).toBe(0);
  });
});
