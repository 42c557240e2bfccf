import { ConfigurationError } from "./errors.js";

/** A batch never holds more than `maxCount` items, nor serializes to more than `maxBytes` (when it has more than one item). */
export interface BatchLimits {
  maxCount: number;
  maxBytes: number;
  /** Bytes of the request around the items (`{"leads":[` … `]}` and destination fields). */
  overheadBytes?: number;
}

export interface Sized {
  /** Serialized size in bytes (UTF-8). */
  bytes: number;
}

type AnyIterator<T> = Iterator<T> | AsyncIterator<T>;

/** An iterator over any array, iterable or async iterable, read one item at a time. */
export function iteratorOf<T>(source: Iterable<T> | AsyncIterable<T>): AnyIterator<T> {
  if (source != null && typeof (source as AsyncIterable<T>)[Symbol.asyncIterator] === "function") {
    return (source as AsyncIterable<T>)[Symbol.asyncIterator]();
  }
  if (source != null && typeof (source as Iterable<T>)[Symbol.iterator] === "function") {
    return (source as Iterable<T>)[Symbol.iterator]();
  }
  throw new TypeError("leads must be an array, an iterable or an async iterable");
}

/**
 * Pulls items from `source` one at a time and groups them into batches by count and serialized size.
 * Holds at most one batch (plus the item that overflowed it), so memory never depends on the input's length.
 * Items for which `prepare` returns undefined are dropped (the caller has accounted for them).
 * Sync sources are read without awaiting each item, which keeps arrays cheap.
 */
export class Batcher<In, Out extends Sized> {
  private held: Out[] = [];
  private heldBytes = 0;
  private done = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly overhead: number;

  constructor(
    private readonly source: AnyIterator<In>,
    private readonly prepare: (item: In) => Out | undefined,
    private readonly limits: BatchLimits,
  ) {
    if (!(limits.maxCount >= 1)) throw new ConfigurationError("batch maxCount must be at least 1");
    this.overhead = limits.overheadBytes ?? 0;
  }

  /** True once the source is exhausted and every held item was handed out. */
  get exhausted(): boolean {
    return this.done && this.held.length === 0;
  }

  /** The next batch, or undefined when the source is exhausted. Safe to call concurrently: calls are served in order. */
  next(): Promise<Out[] | undefined> {
    const result = this.queue.then(() => this.fill());
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Items read from the source but not yet handed out in a batch (after a stop, they were never sent). */
  takeHeld(): Out[] {
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    return held;
  }

  private async fill(): Promise<Out[] | undefined> {
    const { maxCount, maxBytes } = this.limits;
    while (!this.done) {
      let step = this.source.next();
      if (step instanceof Promise) step = await step;
      if ((step as IteratorResult<In>).done) {
        this.done = true;
        break;
      }
      const item = this.prepare((step as IteratorResult<In>).value);
      if (item === undefined) continue;
      // The comma before every item but the first.
      const added = item.bytes + (this.held.length > 0 ? 1 : 0);
      if (this.held.length > 0 && this.overhead + this.heldBytes + added > maxBytes) {
        const full = this.held;
        this.held = [item];
        this.heldBytes = item.bytes;
        return full;
      }
      this.held.push(item);
      this.heldBytes += added;
      if (this.held.length >= maxCount) return this.takeHeld();
    }
    return this.held.length > 0 ? this.takeHeld() : undefined;
  }
}

/** The batches of `source`, for callers that want plain iteration. */
export async function* batches<T extends Sized>(
  source: Iterable<T> | AsyncIterable<T>,
  limits: BatchLimits,
): AsyncGenerator<T[]> {
  const batcher = new Batcher<T, T>(iteratorOf(source), (item) => item, limits);
  for (let batch = await batcher.next(); batch; batch = await batcher.next()) yield batch;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at NUL on purpose.
const NON_ASCII = /[^\x00-\x7f]/;
const encoder = new TextEncoder();

/** UTF-8 length of `text`, without allocating for the common all-ASCII case. */
export function utf8Length(text: string): number {
  return NON_ASCII.test(text) ? encoder.encode(text).length : text.length;
}
