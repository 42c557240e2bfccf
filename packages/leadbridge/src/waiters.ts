/**
 * Callers waiting for something (a pacer's permit), first come, first served. A waiter whose signal aborts
 * leaves the queue and is rejected with the signal's reason. The in-process limiter and @leadbridge/redis's
 * pacer share it; the thing that decides when to serve is theirs.
 */
export class WaiterQueue<T> {
  readonly #waiters: Array<{ resolve: (value: T) => void; reject: (reason: unknown) => void }> = [];

  /** How many are waiting. */
  get size(): number {
    return this.#waiters.length;
  }

  /**
   * Joins the queue; resolves with what `serve` hands this waiter. An abort (or a signal already
   * aborted) rejects with its reason; `onAbort` then runs, after the waiter left the queue.
   */
  wait(signal?: AbortSignal, onAbort?: () => void): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const waiter = { resolve, reject };
      this.#waiters.push(waiter);
      signal?.addEventListener(
        "abort",
        () => {
          const at = this.#waiters.indexOf(waiter);
          if (at >= 0) this.#waiters.splice(at, 1);
          reject(signal.reason);
          onAbort?.();
        },
        { once: true },
      );
    });
  }

  /** Hands `value` to the first waiter; false when nobody waits (the caller keeps `value`). */
  serve(value: T): boolean {
    const waiter = this.#waiters.shift();
    waiter?.resolve(value);
    return waiter !== undefined;
  }

  /** Rejects every waiter with `reason` and empties the queue. */
  rejectAll(reason: unknown): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
  }
}
