/** Telegram's answer to an edit that changes nothing, or of a message that is gone: nothing to do. */
export function isHarmlessEditError(error: unknown): boolean {
  const description = (error as { description?: unknown }).description;
  return (
    typeof description === "string" &&
    /message is not modified|message to edit not found|MESSAGE_ID_INVALID/i.test(description)
  );
}

/** For `.catch(...)` after an edit: swallows a harmless refusal, rethrows anything else. */
export function ignoreHarmlessEdit(error: unknown): undefined {
  if (!isHarmlessEditError(error)) throw error;
  return undefined;
}
