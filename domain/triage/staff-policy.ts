import {
  type Actor,
  availableActions,
  type Decision,
  decide,
  type TicketAction,
  type TicketActionName,
  type TicketState,
} from "../ticket/workflow.ts";

/**
 * The staff group's rules on top of the ticket workflow (domain/ticket/workflow.ts), which stays the one place
 * that knows the transitions. Issue 4 makes **reject** an administrator's action ("admin-only actions (reject,
 * re-open, reveal contact details …) need a group administrator"), while the workflow lets the assignee reject
 * too. Until the workflow takes that rule over, it is applied here, before the workflow is asked, so the refusal
 * reads like the workflow's own `adminOnly` (the check order there is actor kind → admin-only → status → …).
 *
 * @example
 * decideForStaff({ status: "IN_REVIEW", assigneeId: 7n, anonymous: true },
 *   { type: "reject", reason: "SPAM" }, { id: 7n, role: "officer" }) // → { ok: false, reason: "adminOnly" }
 */
export function decideForStaff(ticket: TicketState, action: TicketAction, actor: Actor): Decision {
  if (actor.role === "officer" && ADMIN_ONLY.has(action.type)) return { ok: false, reason: "adminOnly" };
  return decide(ticket, action, actor);
}

/** Actions only a group administrator may take (the workflow itself already restricts reopen and revealContact). */
const ADMIN_ONLY: ReadonlySet<TicketActionName> = new Set(["reject", "reopen", "revealContact"]);

/**
 * The workflow buttons a card shows in the group. A card is seen by every officer, so it shows what the broadest
 * audience (an administrator, or the assignee) may do in this status; the press is decided again for the actual
 * person. `revealContact` is not a workflow button: the card shows it beside the evidence when identified.
 */
export function cardActions(ticket: TicketState): TicketActionName[] {
  const audience = { id: ticket.assigneeId ?? -1n, role: "admin" as const };
  return availableActions(ticket, audience).filter((name) => name !== "revealContact");
}
