import type { Message } from "grammy/types";
import type { FeatureConfig } from "../common/context.ts";

/**
 * Options that put a message under another one in the staff group: in the same forum topic, as a reply, and
 * protected from forwarding (PROTECT_CONTENT) so reporters' material stays in the group.
 */
export function underMessage(
  config: Pick<FeatureConfig, "protectContent">,
  target: { messageId: number; threadId: number | undefined } | undefined,
) {
  return {
    protect_content: config.protectContent,
    ...(target?.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
    ...(target
      ? { reply_parameters: { message_id: target.messageId, allow_sending_without_reply: true } }
      : {}),
  };
}

/** The reply target for a message the bot shows: the message itself, in its topic. */
export function targetOf(message: Pick<Message, "message_id" | "message_thread_id" | "is_topic_message">) {
  return {
    messageId: message.message_id,
    threadId: message.is_topic_message ? message.message_thread_id : undefined,
  };
}
