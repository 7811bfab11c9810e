import type { Api } from "grammy";
import type { Message } from "grammy/types";
import type { Ticket } from "../../domain/triage/ticket-store.ts";
import { isHarmlessEditError } from "../common/edit-errors.ts";
import { type CardView, renderCard } from "./card.ts";
import type { TriageServices } from "./services.ts";

/** A message the bot shows a card in: the card itself, or a copy shown by /tiket. */
export interface CardMessage {
  chatId: number;
  messageId: number;
}

/** Where a ticket's card is, if it was posted. */
export function cardOf(ticket: Ticket): (CardMessage & { threadId: number | undefined }) | undefined {
  if (ticket.staffChatId === null || ticket.staffMessageId === null) return undefined;
  return {
    chatId: Number(ticket.staffChatId),
    messageId: Number(ticket.staffMessageId),
    threadId: ticket.staffThreadId === null ? undefined : Number(ticket.staffThreadId),
  };
}

/** The fresh card view of a ticket (re-read, with its last action). */
export async function currentCard(
  services: TriageServices,
  ticketId: string,
): Promise<[Ticket, CardView] | undefined> {
  const ticket = await services.store.byId(ticketId);
  if (!ticket) return undefined;
  const last = await services.store.lastAction(ticket.id);
  return [ticket, renderCard(await services.cardContext(), ticket, last)];
}

/**
 * Whether a message shows this ticket's card (the card or a /tiket copy): a text whose buttons name the ticket.
 * Callback data can be forged, so a press naming one ticket may come from another ticket's card, a photo or a
 * prompt: such a message must not be overwritten with this card.
 */
function showsCardOf(message: PressedMessage, code: string): boolean {
  if (typeof message.text !== "string") return false;
  return (message.reply_markup?.inline_keyboard ?? [])
    .flat()
    .some((button) => "callback_data" in button && button.callback_data.endsWith(`:${code}`));
}

/** The message a button was pressed on, as the callback query carries it (maybe inaccessible: no text). */
type PressedMessage = Pick<Message, "message_id" | "chat"> & Partial<Pick<Message, "text" | "reply_markup">>;

/**
 * Edits the card in place to its current state (status, officer, last action, buttons), and also `pressed`
 * when the button was pressed on another copy of it. Edits of one ticket run one after another and each re-reads
 * the ticket, so the last edit always shows the latest state.
 */
export async function refreshCard(
  api: Api,
  services: TriageServices,
  ticketId: string,
  pressed?: PressedMessage,
): Promise<void> {
  await services.serialize(`card:${ticketId}`, async () => {
    const current = await currentCard(services, ticketId);
    if (!current) return;
    const [ticket, view] = current;
    const targets: CardMessage[] = [];
    const card = cardOf(ticket);
    if (card) targets.push(card);
    const isTheCard = card && card.chatId === pressed?.chat.id && card.messageId === pressed.message_id;
    if (pressed && !isTheCard && showsCardOf(pressed, ticket.code)) {
      targets.push({ chatId: pressed.chat.id, messageId: pressed.message_id });
    }
    for (const target of targets) {
      await api
        .editMessageText(target.chatId, target.messageId, view.text, {
          reply_markup: view.keyboard,
          link_preview_options: { is_disabled: true },
        })
        .catch((error: unknown) => {
          if (!isHarmlessEditError(error)) throw error;
        });
    }
  });
}
