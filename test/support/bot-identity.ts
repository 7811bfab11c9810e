import type { User, UserFromGetMe } from "grammy/types";

/** The token the fake Bot API accepts unless told otherwise; the bot process gets it as `BOT_TOKEN`. */
export const DEFAULT_BOT_TOKEN = "123456:TEST";

/** The staff supergroup id that end-to-end tests give the bot as `STAFF_CHAT_ID` unless told otherwise. */
export const DEFAULT_STAFF_CHAT_ID = -1001234567890;

/** What `getMe` answers for the bot under test: the shape Telegram returns, with Awasi's name. */
export const DEFAULT_BOT_INFO: UserFromGetMe = {
  id: 123456,
  is_bot: true,
  first_name: "Awasi",
  username: "awasi_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** The bot as it appears in `from` of its own messages and in chat member updates (no getMe-only fields). */
export function botUser(info: UserFromGetMe = DEFAULT_BOT_INFO): User {
  return { id: info.id, is_bot: true, first_name: info.first_name, username: info.username };
}
