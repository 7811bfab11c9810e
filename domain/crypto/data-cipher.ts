import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  randomFillSync,
} from "node:crypto";
import { HASH_PURPOSES, type HashPurpose } from "./hash-purposes.ts";

/**
 * Encrypts reporters' personal data at rest (AES-256-GCM) and computes keyed hashes (HMAC-SHA-256) to find a
 * row by a value without storing the value.
 *
 * `DATA_KEY` holds one or more keys, comma-separated, newest first: `k2:<base64>,k1:<base64>`. Each key is
 * 32 bytes in base64 or hex; the `id:` prefix is optional (a missing id is derived from the key). The first
 * key encrypts; every key decrypts, so keys can be rotated by putting a new one in front. Ciphertexts carry
 * the id of the key that made them: `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url).
 *
 * Keyed hashes are domain-separated: each {@link HashPurpose} has its own HMAC key per data key, so a value hashed
 * for one purpose (a reporter lookup) cannot be matched with the same value hashed for another (a subscription).
 */
export interface DataCipher {
  readonly keyIds: readonly string[];
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
  /** Keyed hash for `purpose` under the current key: the value stored in `*Hash` columns and Redis keys. */
  hash(purpose: HashPurpose, value: string): string;
  /**
   * What a stored hash of `value` for `purpose` may be: the hash under every configured key, then the hashes of
   * the single, purpose-less HMAC used before domain separation (rows not yet re-derived by
   * `npm run data-key:rotate`). For lookups only; never store these.
   */
  hashes(purpose: HashPurpose, value: string): string[];
  /** The purpose-less HMAC of every key, as stored before domain separation (for the rotation only). */
  legacyHashes(value: string): string[];
}

interface DataKey {
  id: string;
  encryptionKey: Buffer;
  /** The HMAC key before domain separation; kept only to find rows that the rotation has not reached. */
  legacyHashKey: Buffer;
  hashKeys: Record<HashPurpose, Buffer>;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown for a malformed `DATA_KEY`; the message says how to fix it. */
export class DataKeyError extends Error {}

/** Parses `DATA_KEY` (see {@link DataCipher}); throws {@link DataKeyError} with a one-line reason. */
export function parseDataKeys(spec: string): DataKey[] {
  const parts = spec
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new DataKeyError("DATA_KEY is empty");
  const keys = parts.map((part) => {
    const colon = part.indexOf(":");
    const material = decodeKey(colon === -1 ? part : part.slice(colon + 1));
    const id = colon === -1 ? deriveKeyId(material) : part.slice(0, colon);
    if (!/^[A-Za-z0-9_-]{1,16}$/.test(id)) {
      throw new DataKeyError(`DATA_KEY id "${id}" must be 1-16 letters, digits, "-" or "_"`);
    }
    return {
      id,
      encryptionKey: Buffer.from(hkdfSync("sha256", material, "awasi", "encryption", KEY_BYTES)),
      legacyHashKey: Buffer.from(hkdfSync("sha256", material, "awasi", "blind-index", KEY_BYTES)),
      hashKeys: Object.fromEntries(
        Object.entries(HASH_PURPOSES).map(([purpose, info]) => [
          purpose,
          Buffer.from(hkdfSync("sha256", material, "awasi", `hash:${info}`, KEY_BYTES)),
        ]),
      ) as Record<HashPurpose, Buffer>,
    };
  });
  if (new Set(keys.map((key) => key.id)).size !== keys.length)
    throw new DataKeyError("DATA_KEY has duplicate key ids");
  return keys;
}

function decodeKey(text: string): Buffer {
  const bytes = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (bytes.length !== KEY_BYTES) {
    throw new DataKeyError(
      "DATA_KEY must be 32 random bytes in base64 or hex (generate one: openssl rand -base64 32)",
    );
  }
  return bytes;
}

function deriveKeyId(material: Buffer): string {
  return createHash("sha256").update(material).digest("hex").slice(0, 8);
}

/** A new random key in the form `DATA_KEY` accepts. */
export function generateDataKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

/** Builds a {@link DataCipher} from a `DATA_KEY` value. */
export function createDataCipher(spec: string): DataCipher {
  const keys = parseDataKeys(spec);
  const current = keys[0]!;
  const byId = new Map(keys.map((key) => [key.id, key]));
  const hmac = (hashKey: Buffer, value: string) => createHmac("sha256", hashKey).update(value).digest("hex");
  const nextIv = randomIvs();
  const currentAad = Buffer.from(current.id);

  return {
    keyIds: keys.map((key) => key.id),
    encrypt(plaintext) {
      const iv = nextIv();
      const cipher = createCipheriv("aes-256-gcm", current.encryptionKey, iv);
      cipher.setAAD(currentAad);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `v1.${current.id}.${iv.toString("base64url")}.${body.toString("base64url")}`;
    },
    decrypt(ciphertext) {
      const [version, keyId, ivText, bodyText] = ciphertext.split(".");
      if (version !== "v1" || !keyId || !ivText || !bodyText) throw new Error("not an Awasi ciphertext");
      const key = byId.get(keyId);
      if (!key) throw new Error(`data was encrypted with key "${keyId}", which DATA_KEY no longer holds`);
      const body = Buffer.from(bodyText, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", key.encryptionKey, Buffer.from(ivText, "base64url"));
      decipher.setAAD(Buffer.from(key.id));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    },
    hash: (purpose, value) => hmac(current.hashKeys[purpose], value),
    hashes: (purpose, value) => [
      ...keys.map((key) => hmac(key.hashKeys[purpose], value)),
      ...keys.map((key) => hmac(key.legacyHashKey, value)),
    ],
    legacyHashes: (value) => keys.map((key) => hmac(key.legacyHashKey, value)),
  };
}

const IVS_PER_DRAW = 256;

/**
 * Random IVs drawn from the CSPRNG 256 at a time: one `randomBytes` call per IV was a third of the cost of
 * encrypting a session (every update that changes one). Each IV is still fresh random bytes and used once; the
 * buffer it is a view of is refilled only after all its IVs are taken, and `encrypt` is done with its IV
 * before it returns. No two processes share a pool: Node starts workers and children as new processes, never as
 * forks of a live heap.
 */
function randomIvs(): () => Buffer {
  const pool = Buffer.alloc(IV_BYTES * IVS_PER_DRAW);
  let taken = pool.length;
  return () => {
    if (taken === pool.length) {
      randomFillSync(pool);
      taken = 0;
    }
    taken += IV_BYTES;
    return pool.subarray(taken - IV_BYTES, taken);
  };
}
