import { createHash } from "node:crypto";

/** Telegram's getFile limit for bots: larger files can be forwarded but not downloaded. */
export const TELEGRAM_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

export type FileHashResult =
  | { state: "DONE"; sha256: string; sizeBytes: number }
  /** Not downloadable through the Bot API; recorded with the size Telegram states. */
  | { state: "TOO_LARGE"; sizeBytes: number | null };

/** The part of grammY's Api the hasher needs. */
export interface FileSource {
  getFile(fileId: string): Promise<{ file_path?: string; file_size?: number }>;
}

export interface HashFileOptions {
  /** `https://api.telegram.org` or the configured Bot API server. */
  apiRoot: string;
  token: string;
  /** The size Telegram gave when the file was sent, if any. */
  knownSize: number | null;
  signal?: AbortSignal;
}

const isTooBig = (error: unknown) =>
  /file is too big/i.test(String((error as { description?: unknown }).description ?? ""));

/**
 * Downloads one file from Telegram and computes the SHA-256 of its bytes as they stream in (a 20 MB file is never
 * held in memory). A file above the download limit is recorded as such, not failed. Other errors are thrown for
 * the caller's retry.
 */
export async function hashTelegramFile(
  source: FileSource,
  fileId: string,
  options: HashFileOptions,
): Promise<FileHashResult> {
  if (options.knownSize !== null && options.knownSize > TELEGRAM_DOWNLOAD_LIMIT_BYTES)
    return { state: "TOO_LARGE", sizeBytes: options.knownSize };
  let file: { file_path?: string; file_size?: number };
  try {
    file = await source.getFile(fileId);
  } catch (error) {
    if (isTooBig(error)) return { state: "TOO_LARGE", sizeBytes: options.knownSize };
    throw error;
  }
  const stated = file.file_size ?? options.knownSize;
  if (stated !== null && stated !== undefined && stated > TELEGRAM_DOWNLOAD_LIMIT_BYTES)
    return { state: "TOO_LARGE", sizeBytes: stated };
  if (!file.file_path) return { state: "TOO_LARGE", sizeBytes: stated ?? null };

  const response = await fetch(`${options.apiRoot}/file/bot${options.token}/${file.file_path}`, {
    signal: options.signal,
  });
  if (!response.ok || !response.body) throw new Error(`file download answered ${response.status}`);
  const hash = createHash("sha256");
  let sizeBytes = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    sizeBytes += chunk.byteLength;
    hash.update(chunk);
  }
  return { state: "DONE", sha256: hash.digest("hex"), sizeBytes };
}

/** The short form both sides compare: the first 12 hex digits. */
export const shortHash = (sha256: string) => sha256.slice(0, 12);
