/**
 * Updates in Telegram's shapes, built cheaply (the load generator shares the 2 cores with the bots under test).
 * Each citizen's private chat id is their user id, as in Telegram.
 */

let updateId = 1_000_000;
let messageId = 1_000;

export type Update = Record<string, unknown>;

const now = () => Math.floor(Date.now() / 1000);

function user(id: number) {
  return { id, is_bot: false, first_name: `Warga ${id}`, language_code: "id" };
}

function message(citizen: number, fields: Record<string, unknown>): Update {
  messageId += 1;
  return {
    update_id: ++updateId,
    message: {
      message_id: messageId,
      from: user(citizen),
      chat: { id: citizen, type: "private", first_name: `Warga ${citizen}` },
      date: now(),
      ...fields,
    },
  };
}

export function text(citizen: number, value: string): Update {
  if (value.startsWith("/")) {
    const length = value.indexOf(" ") < 0 ? value.length : value.indexOf(" ");
    return message(citizen, { text: value, entities: [{ type: "bot_command", offset: 0, length }] });
  }
  return message(citizen, { text: value });
}

export function press(citizen: number, data: string): Update {
  messageId += 1;
  return {
    update_id: ++updateId,
    callback_query: {
      id: String(updateId),
      from: user(citizen),
      chat_instance: String(citizen),
      data,
      message: {
        message_id: messageId,
        from: { id: 123456, is_bot: true, first_name: "Awasi", username: "awasi_bot" },
        chat: { id: citizen, type: "private", first_name: `Warga ${citizen}` },
        date: now(),
        text: "…",
      },
    },
  };
}

export function photo(citizen: number, mediaGroupId?: string): Update {
  const unique = `AQAD${updateId.toString(36)}`;
  return message(citizen, {
    photo: [
      {
        file_id: `AgACAgIAAxk${unique}s`,
        file_unique_id: `${unique}s`,
        width: 90,
        height: 90,
        file_size: 1_500,
      },
      {
        file_id: `AgACAgIAAxk${unique}m`,
        file_unique_id: `${unique}m`,
        width: 800,
        height: 800,
        file_size: 80_000,
      },
    ],
    ...(mediaGroupId ? { media_group_id: mediaGroupId } : {}),
  });
}

export function location(citizen: number, latitude: number, longitude: number): Update {
  return message(citizen, { location: { latitude, longitude } });
}
