import type { StorageAdapter } from "grammy";
import type { DataCipher } from "../domain/crypto/data-cipher.ts";

/**
 * Encrypts whole session values with the data key before they reach the store underneath (Redis, fenced, or the
 * embedded `sessions` table): a draft's chronology, answers and coordinates never sit in Redis or a table as clear
 * JSON. The store underneath sees one opaque string per key and keeps its own rules (fencing, expiry).
 *
 * A value written before sessions were encrypted (a plain object) is still read, and goes back encrypted on the
 * next write. A value the key cannot open (its key was dropped from `DATA_KEY`) reads as no session.
 */
export class EncryptedSessionStorage<T> implements StorageAdapter<T> {
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
      return JSON.parse(this.cipher.decrypt(stored)) as T;
    } catch (error) {
      this.onUnreadable(error);
      return undefined;
    }
  }

  write(key: string, value: T): Promise<void> {
    return Promise.resolve(this.inner.write(key, this.cipher.encrypt(JSON.stringify(value))));
  }

  delete(key: string): Promise<void> {
    return Promise.resolve(this.inner.delete(key));
  }
}
