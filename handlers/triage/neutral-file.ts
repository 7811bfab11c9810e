import { type Api, InputFile } from "grammy";
import type { Evidence } from "../../generated/prisma/client.ts";

/** Bots can download files up to 20 MB through the Bot API (https://core.telegram.org/bots/api#getfile). */
export const DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** Evidence kinds whose Telegram file carries the sender's original file name (shown to whoever receives it). */
const NAMED_KINDS: ReadonlySet<Evidence["kind"]> = new Set(["DOCUMENT", "AUDIO"]);

/** Whether sending this item by its file id would show officers the reporter's own file name. */
export function carriesFileName(item: Pick<Evidence, "kind">): boolean {
  return NAMED_KINDS.has(item.kind);
}

/** "bukti-HK-7K3Q9M-2.pdf": a name that says what the file is and nothing about who made it. */
export function neutralFileName(
  code: string,
  item: Pick<Evidence, "position" | "mimeType" | "kind">,
): string {
  const subtype = item.mimeType
    ?.split("/")[1]
    ?.replace(/[^a-z0-9]/gi, "")
    .slice(0, 8);
  const extension = subtype ? `.${subtype === "mpeg" ? "mp3" : subtype}` : "";
  return `bukti-${code}-${item.position + 1}${extension}`;
}

/**
 * The file of an anonymous report's document, downloaded and ready to upload again under a neutral name, so
 * officers never see the name it had on the reporter's phone; `undefined` when it is too large to download
 * (the caller withholds it rather than leak the name).
 */
export async function renamedUpload(api: Api, fileId: string, name: string): Promise<InputFile | undefined> {
  const file = await api.getFile(fileId);
  if (!file.file_path || (file.file_size ?? 0) > DOWNLOAD_LIMIT_BYTES) return undefined;
  const root = (api.options?.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
  const response = await fetch(`${root}/file/bot${api.token}/${file.file_path}`);
  if (!response.ok) throw new Error(`file download failed with HTTP ${response.status}`);
  return new InputFile(new Uint8Array(await response.arrayBuffer()), name);
}
