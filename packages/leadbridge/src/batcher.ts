import type { Envelope } from "./adapters/adapter.js";
import { ConfigurationError } from "./errors.js";

/** A batch never holds more than `maxCount` items, nor has a body of more than `maxBytes`. */
export interface BatchLimits {
  maxCount: number;
  maxBytes: number;
}

/** A batch's items by input index, in input order, and the request body they make (UTF-8), built once. */
export interface Batch {
  indexes: number[];
  body: Uint8Array;
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

const encoder = new TextEncoder();
const COMMA = 0x2c;
/**
 * Leads serialized together: one `JSON.stringify` and one encode per chunk. Large enough to spread the
 * calls' cost, small enough that the mapped leads die before a young-generation collection would copy them.
 */
const CHUNK = 256;

/**
 * Pulls items from `source` one at a time and groups them into batches by count and body size. Items are
 * serialized a chunk at a time straight into the batch's UTF-8 bytes (one buffer, reused from batch to
 * batch), so a batch is held as bytes, not as objects or strings that would outlive a young-generation
 * collection. A chunk that would take the body over `maxBytes` is written item by item: the items that fit
 * go in, the rest head the next batch, and an item too large even alone is reported to `tooLarge`. Holds
 * at most one batch, so memory never depends on the input's length. Items for which `prepare` returns
 * undefined are dropped (the caller has accounted for them). Sync sources are read without awaiting each
 * item, which keeps arrays cheap.
 */
export class Batcher<In, Out> {
  /** Read and prepared, not yet serialized (at most CHUNK). */
  private pending: Out[] = [];
  private pendingIndexes: number[] = [];
  /** The body being filled: the envelope's prefix, then the items' JSON joined by commas, up to `end`. */
  private buffer: Uint8Array;
  private end: number;
  /** The items in `buffer`, by input index. */
  private indexes: number[] = [];
  private done = false;
  /** Items read from the source: the next one's input index. */
  private read = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly prefix: Uint8Array;
  private readonly suffix: Uint8Array;

  constructor(
    private readonly source: AnyIterator<In>,
    private readonly prepare: (item: In, index: number) => Out | undefined,
    private readonly limits: BatchLimits,
    envelope: Envelope,
    private readonly tooLarge: (index: number, bytes: number) => void,
  ) {
    if (!(limits.maxCount >= 1)) throw new ConfigurationError("batch maxCount must be at least 1");
    this.prefix = encoder.encode(envelope.prefix);
    this.suffix = encoder.encode(envelope.suffix);
    this.buffer = new Uint8Array(Math.max(64 * 1024, this.prefix.length * 2));
    this.buffer.set(this.prefix);
    this.end = this.prefix.length;
  }

  /** The next batch, or undefined when the source is exhausted. Safe to call concurrently: calls are served in order. */
  next(): Promise<Batch | undefined> {
    const result = this.queue.then(() => this.fill());
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Indexes of items read from the source but not handed out in a batch (after a stop, they were never sent). */
  takeHeld(): number[] {
    const held = this.indexes.concat(this.pendingIndexes);
    this.indexes = [];
    this.end = this.prefix.length;
    this.pending = [];
    this.pendingIndexes = [];
    return held;
  }

  private async fill(): Promise<Batch | undefined> {
    const { maxCount } = this.limits;
    for (;;) {
      while (!this.done && this.indexes.length + this.pending.length < maxCount) {
        let step = this.source.next();
        if (step instanceof Promise) step = await step;
        if ((step as IteratorResult<In>).done) {
          this.done = true;
          break;
        }
        const index = this.read++;
        const item = this.prepare((step as IteratorResult<In>).value, index);
        if (item === undefined) continue;
        this.pending.push(item);
        this.pendingIndexes.push(index);
        if (this.pending.length >= CHUNK && !this.serializePending()) return this.cut();
      }
      if (this.pending.length > 0) this.serializePending();
      if (this.indexes.length > 0) return this.cut();
      // Nothing held: the input is done, or every item read was too large on its own.
      if (this.done) return undefined;
    }
  }

  /** Serializes the pending items into the batch; false when some stay pending because the body is full. */
  private serializePending(): boolean {
    if (this.add(JSON.stringify(this.pending).slice(1, -1), this.pendingIndexes) < 0) {
      this.pending = [];
      this.pendingIndexes = [];
      return true;
    }
    // The rare chunk that would take the body over maxBytes: item by item.
    const { pending, pendingIndexes } = this;
    const overhead = this.prefix.length + this.suffix.length;
    let i = 0;
    for (; i < pending.length; i++) {
      const bytes = this.add(JSON.stringify(pending[i]), [pendingIndexes[i]!]);
      if (bytes < 0) continue;
      if (overhead + bytes <= this.limits.maxBytes) break;
      this.tooLarge(pendingIndexes[i]!, bytes);
    }
    this.pending = pending.slice(i);
    this.pendingIndexes = pendingIndexes.slice(i);
    return i === pending.length;
  }

  /**
   * Writes `json` (items' JSON joined by commas) after the body's items: -1 once written, or its UTF-8
   * length when that would take the body over maxBytes (then the body is as it was).
   */
  private add(json: string, indexes: number[]): number {
    const at = this.end + (this.indexes.length > 0 ? 1 : 0);
    // UTF-16 to UTF-8: at most 3 bytes a code unit.
    if (this.buffer.length < at + json.length * 3) {
      const grown = new Uint8Array(Math.max(at + json.length * 3, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.end));
      this.buffer = grown;
    }
    const { written } = encoder.encodeInto(json, this.buffer.subarray(at));
    if (at + written + this.suffix.length > this.limits.maxBytes) return written;
    if (this.indexes.length > 0) this.buffer[this.end] = COMMA;
    this.end = at + written;
    for (let i = 0; i < indexes.length; i++) this.indexes.push(indexes[i]!);
    return -1;
  }

  /** The batch so far: its indexes and its body (a copy of the buffer's bytes, and the suffix). */
  private cut(): Batch {
    const body = new Uint8Array(this.end + this.suffix.length);
    body.set(this.buffer.subarray(0, this.end));
    body.set(this.suffix, this.end);
    const batch = { indexes: this.indexes, body };
    this.indexes = [];
    this.end = this.prefix.length;
    return batch;
  }
}
