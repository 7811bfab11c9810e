/**
 * A small in-process cache with a time to live and least-recently-used eviction: the same `/peta` or `/rekap`
 * asked again within a few minutes (officers often repeat a command, or several ask the same) is answered without
 * touching the database. Each instance keeps its own; a few minutes of staleness is acceptable for statistics.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: Promise<V>; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 200,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value of `key`, or the result of `load()` (cached unless it fails). Concurrent misses share one load. */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.#entries.get(key);
    const at = this.now();
    if (hit && hit.until > at) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.value;
    }
    const value = load();
    this.#entries.set(key, { value, until: at + this.ttlMs });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}
