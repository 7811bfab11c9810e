import type { StorageAdapter } from "grammy";
import type { DataCipher } from "../domain/crypto/data-cipher.ts";

/** What a session object returned by `read` was decrypted from. */
interface ReadFrom {
  key: string;
  json: string;
  stored: string;
}

/**
 * Encrypts whole session values with the data key before they reach the store underneath (Redis, fenced, or the
 * embedded `sessions` table): a draft's chronology, answers and coordinates never sit in Redis or a table as clear
 * JSON. The store underneath sees one opaque string per key and keeps its own rules (fencing, expiry).
 *
 * A value written back unchanged goes down as the very ciphertext it was read from: encryption draws a fresh IV
 * every time, and a new ciphertext would defeat the fenced store's skip of unchanged writes
 * (bot/fenced-session-storage.ts). Not if an older key made it: then the write moves it to the current key, so
 * that old keys can be dropped after a rotation (README, "Rotating the key").
 *
 * A value written before sessions were encrypted (a plain object) is still read, and goes back encrypted on the
 * next write. A value the key cannot open (its key was dropped from `DATA_KEY`) reads as no session.
 */
export class EncryptedSessionStorage<T> implements StorageAdapter<T> {
  /** Keyed by the object grammY holds as `ctx.session` for one update, so it goes with the update. */
  private readonly readFrom = new WeakMap<object, ReadFrom>();

  constructor(
    private readonly inner: StorageAdapter<unknown>,
    private readonly cipher: DataCipher,
    private readonly onUnreadable: (error: unknown) => void = () => {},
  ) {}

  async read(key: string): Promise<T | undefined> {
    const stored = await this.inner.read(key);
    if (stored === undefined || stored === null) return undefined;
    if (typeof stored !== "string") return stored as T;
    try {
      const json = this.cipher.decrypt(stored);
      const value = JSON.parse(json) as T;
      if (typeof value === "object" && value !== null) this.readFrom.set(value, { key, json, stored });
      return value;
    } catch (error) {
      this.onUnreadable(error);
      return undefined;
    }
  }

  write(key: string, value: T): Promise<void> {
    const json = JSON.stringify(value);
    const read = typeof value === "object" && value !== null ? this.readFrom.get(value) : undefined;
    const reusable =
      read !== undefined &&
      read.key === key &&
      read.json === json &&
      read.stored.startsWith(`v1.${this.cipher.keyIds[0]}.`);
    return Promise.resolve(this.inner.write(key, reusable ? read.stored : this.cipher.encrypt(json)));
  }

  delete(key: string): Promise<void> {
    return Promise.resolve(this.inner.delete(key));
  }
}
