import type { IncomingMessage } from "node:http";

/** A file part of a multipart/form-data request, as the fake Bot API records it (the bytes are not kept). */
export interface UploadedFile {
  /** Name of the form field, e.g. "photo" or the random id grammY refers to with `attach://<id>`. */
  field: string;
  filename: string;
  size: number;
  /** The uploaded bytes (a test may read a sent document back). */
  data: Buffer;
}

/** Parameters of a Bot API call, decoded the way Telegram decodes them, and the files uploaded with it. */
export interface ParsedParams {
  params: Record<string, unknown>;
  files: UploadedFile[];
}

/** Thrown for a body Telegram could not read; the fake answers 400 with `description`. */
export class BodyParseError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = "BodyParseError";
  }
}

/** Reads a request body completely. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * Decodes Bot API parameters from a query string and a JSON, urlencoded or multipart body.
 * Form values are strings on the wire; they are turned back into the numbers, booleans and JSON objects
 * (reply_markup, entities, media…) that Telegram reads from them, so that tests see the same `params` whether
 * grammY sent JSON or multipart. In multipart bodies, file parts are recorded as `{ filename, size }` and
 * substituted for the `attach://<field>` references (and for a parameter of the same name).
 */
export function parseParams(
  contentType: string | undefined,
  body: Buffer,
  query: URLSearchParams,
): ParsedParams {
  const params: Record<string, unknown> = {};
  for (const [key, value] of query) params[key] = coerceFormValue(key, value);
  const type = (contentType ?? "").toLowerCase();
  if (body.length === 0) return { params, files: [] };
  if (type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new BodyParseError("Bad Request: can't parse JSON object");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new BodyParseError("Bad Request: JSON object expected");
    }
    return { params: { ...params, ...(parsed as Record<string, unknown>) }, files: [] };
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body.toString("utf8")))
      params[key] = coerceFormValue(key, value);
    return { params, files: [] };
  }
  if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) throw new BodyParseError("Bad Request: multipart boundary is missing");
    const files: UploadedFile[] = [];
    for (const part of splitMultipart(body, b)) {
      if (part.filename !== undefined) {
        files.push({ field: part.name, filename: part.filename, size: part.data.length, data: part.data });
      } else {
        params[part.name] = coerceFormValue(part.name, part.data.toString("utf8"));
      }
    }
    const resolved = attachFiles(params, files) as Record<string, unknown>;
    for (const file of files) {
      if (!(file.field in resolved) && ATTACHABLE_PARAMS.has(file.field)) {
        resolved[file.field] = { filename: file.filename, size: file.size };
      }
    }
    return { params: resolved, files };
  }
  throw new BodyParseError(`Bad Request: unsupported content type "${contentType ?? ""}"`);
}

interface MultipartPart {
  name: string;
  filename: string | undefined;
  data: Buffer;
}

function splitMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new BodyParseError("Bad Request: multipart body has no boundary");
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const next = body.indexOf(separator, pos);
    if (next < 0) throw new BodyParseError("Bad Request: multipart body is truncated");
    const part = body.subarray(pos, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    const headerText = headerEnd >= 0 ? part.subarray(0, headerEnd).toString("utf8") : "";
    const data = headerEnd >= 0 ? part.subarray(headerEnd + 4) : Buffer.alloc(0);
    let disposition = "";
    for (const line of headerText.split("\r\n")) {
      const m = /^([^:]+):\s*(.*)$/.exec(line);
      if (m && m[1]?.trim().toLowerCase() === "content-disposition") disposition = m[2] ?? "";
    }
    const name =
      /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1] ?? /(?:^|;)\s*name=([^;]*)/i.exec(disposition)?.[1];
    const filename =
      /(?:^|;)\s*filename="([^"]*)"/i.exec(disposition)?.[1] ??
      /(?:^|;)\s*filename=([^;]*)/i.exec(disposition)?.[1];
    if (name !== undefined) parts.push({ name: name.trim(), filename: filename?.trim(), data });
    pos = next + 2;
  }
  return parts;
}

function attachFiles(value: unknown, files: UploadedFile[]): unknown {
  if (typeof value === "string" && value.startsWith("attach://")) {
    const file = files.find((f) => f.field === value.slice("attach://".length));
    return file ? { filename: file.filename, size: file.size } : value;
  }
  if (Array.isArray(value)) return value.map((v) => attachFiles(v, files));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = attachFiles(v, files);
    return out;
  }
  return value;
}

/** Parameters that may carry a file uploaded under their own name (not via attach://). */
const ATTACHABLE_PARAMS = new Set([
  "photo",
  "document",
  "video",
  "voice",
  "audio",
  "animation",
  "sticker",
  "video_note",
  "thumbnail",
  "certificate",
]);

/** Parameters whose form value is a JSON-serialised object or array. */
const JSON_PARAMS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "media",
  "commands",
  "scope",
  "allowed_updates",
  "reply_parameters",
  "link_preview_options",
  "message_ids",
  "results",
  "permissions",
  "options",
  "menu_button",
  "explanation_entities",
  "question_entities",
  "text_entities",
  "reaction",
  "rights",
  "prices",
  "button",
]);

/** Parameters whose value is an integer or a float. */
const NUMBER_PARAMS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "message_thread_id",
  "reply_to_message_id",
  "user_id",
  "sender_chat_id",
  "offset",
  "limit",
  "timeout",
  "duration",
  "width",
  "height",
  "length",
  "latitude",
  "longitude",
  "horizontal_accuracy",
  "live_period",
  "heading",
  "proximity_alert_radius",
  "cache_time",
  "until_date",
  "max_connections",
  "icon_color",
  "direct_messages_topic_id",
  "start_timestamp",
]);

const BOOLEAN_PARAM =
  /^(is_|can_|disable_|protect_|show_|drop_|has_|allow_|supports_|only_|revoke_|need_|hide_|use_)/;

function coerceFormValue(key: string, value: string): unknown {
  if (JSON_PARAMS.has(key) && /^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (NUMBER_PARAMS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (BOOLEAN_PARAM.test(key) && (value === "true" || value === "false")) return value === "true";
  return value;
}
