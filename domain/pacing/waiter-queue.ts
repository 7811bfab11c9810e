interface Waiter<T> {
  resolve: (value: T) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Callers waiting for a pacer's grant, served first come, first served. A caller whose signal aborts leaves the
 * queue at once, rejected with the signal's reason; a served caller's abort listener is removed.
 */
export class WaiterQueue<T> {
  readonly #waiters: Waiter<T>[] = [];

  /** How many callers wait. */
  get length(): number {
    return this.#waiters.length;
  }

  /** Joins the queue (synchronously); resolves with what {@link serveNext} hands over. */
  wait(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
    });
  }

  /** Hands `value` to the oldest waiter; call only while {@link length} > 0. */
  serveNext(value: T): void {
    const waiter = this.#waiters.shift();
    if (!waiter) throw new Error("no caller is waiting");
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
    waiter.resolve(value);
  }
}
