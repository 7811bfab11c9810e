import type { RefusalReason, TicketAction } from "../../domain/ticket/workflow.ts";
import { decideForStaff } from "../../domain/triage/staff-policy.ts";
import type { OutboxRow, Ticket } from "../../domain/triage/ticket-store.ts";
import type { Translate } from "../common/context.ts";
import { statusLabel, ticketState } from "./card.ts";
import type { TriageServices } from "./services.ts";
import type { Officer } from "./staff-guard.ts";

export type ActOutcome =
  | { ok: true; ticket: Ticket; eventId: bigint }
  | { ok: false; reason: RefusalReason | "gone" | "busy"; ticket: Ticket | null };

/**
 * Decides an officer's action on the ticket as it is now and applies it with the conditional update. When the
 * ticket changed in between (another officer was quicker), it is read again and decided again, so the answer is
 * about the current state: the loser of a claim race gets `alreadyClaimed` with the winner on the fresh row.
 */
export async function decideAndApply(
  services: TriageServices,
  ticket: Ticket,
  action: TicketAction,
  officer: Officer,
  options: { note?: string | null; notify?: boolean; outbox?: (eventId: bigint) => OutboxRow[] } = {},
): Promise<ActOutcome> {
  let current: Ticket | null = ticket;
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    const decision = decideForStaff(ticketState(current), action, officer.actor);
    if (!decision.ok) return { ok: false, reason: decision.reason, ticket: current };
    const result = await services.store.apply(current, decision, officer.identity, options);
    if (result.ok) return result;
    current = result.current;
  }
  return { ok: false, reason: current ? "busy" : "gone", ticket: current };
}

/** The plain-text explanation of a refusal, for an alert (no HTML: escape it before using it in a message). */
export function refusalText(t: Translate, reason: ActOutcome & { ok: false }): string {
  if (reason.reason === "gone") return t("triage:alerts.unknownTicket");
  if (reason.reason === "busy") return t("triage:alerts.busy");
  return t(`triage:ticket.refused.${reason.reason}`, {
    name: reason.ticket?.assigneeName ?? "?",
    status: reason.ticket ? statusLabel(t, reason.ticket.status) : "",
  });
}
