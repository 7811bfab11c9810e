import type { Ticket } from "../../domain/triage/ticket-store.ts";
import type { BotContext } from "../common/context.ts";
import { triageServices } from "./services.ts";

/** The ticket with this code if the sender is its reporter; another reporter's code reads as unknown. */
export async function ownTicket(ctx: BotContext, code: string): Promise<Ticket | null> {
  const services = triageServices(ctx.app);
  const ticket = await services.store.byCode(code);
  return ticket && ctx.from && services.links.isOwn(ticket, ctx.from.id) ? ticket : null;
}
