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
 * serialized a chunk at a time straight into UTF-8 bytes, so a batch is held as bytes, not as objects or
 * strings that would outlive a young-generation collection. A chunk that would take the body over
 * `maxBytes` is measured item by item: the items that fit go in, the rest head the next batch, and an item
 * too large even alone is reported to `tooLarge`. Holds at most one batch, so memory never depends on the
 * input's length. Items for which `prepare` returns undefined are dropped (the caller has accounted for
 * them). Sync sources are read without awaiting each item, which keeps arrays cheap.
 */
export class Batcher<In, Out> {
  /** Read and prepared, not yet serialized (at most CHUNK). */
  private pending: Out[] = [];
  private pendingIndexes: number[] = [];
  /** Serialized chunks of the batch being filled: each is `[…]`, the items' JSON array, in UTF-8. */
  private parts: Uint8Array[] = [];
  private partsIndexes: number[] = [];
  /** The body's bytes so far: the envelope, the parts' items and the commas between them. */
  private bytes: number;
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
    this.bytes = this.prefix.length + this.suffix.length;
  }

  /** True once the source is exhausted and every held item was handed out. */
  get exhausted(): boolean {
    return this.done && this.partsIndexes.length === 0 && this.pending.length === 0;
  }

  /** The next batch, or undefined when the source is exhausted. Safe to call concurrently: calls are served in order. */
  next(): Promise<Batch | undefined> {
    const result = this.queue.then(() => this.fill());
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Indexes of items read from the source but not handed out in a batch (after a stop, they were never sent). */
  takeHeld(): number[] {
    const held = this.partsIndexes.concat(this.pendingIndexes);
    this.reset();
    this.pending = [];
    this.pendingIndexes = [];
    return held;
  }

  private async fill(): Promise<Batch | undefined> {
    const { maxCount } = this.limits;
    for (;;) {
      while (!this.done && this.partsIndexes.length + this.pending.length < maxCount) {
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
      if (this.partsIndexes.length > 0) return this.cut();
      // Nothing held: the input is done, or every item read was too large on its own.
      if (this.done) return undefined;
    }
  }

  /** Serializes the pending items into the batch; false when some stay pending because the body is full. */
  private serializePending(): boolean {
    const bytes = encoder.encode(JSON.stringify(this.pending));
    if (this.add(bytes, this.pendingIndexes)) {
      this.pending = [];
      this.pendingIndexes = [];
      return true;
    }
    // The rare chunk that would take the body over maxBytes: item by item.
    const { pending, pendingIndexes } = this;
    let i = 0;
    for (; i < pending.length; i++) {
      const one = encoder.encode(`[${JSON.stringify(pending[i])}]`);
      if (this.prefix.length + this.suffix.length + one.length - 2 > this.limits.maxBytes) {
        this.tooLarge(pendingIndexes[i]!, one.length - 2);
        continue;
      }
      if (!this.add(one, [pendingIndexes[i]!])) break;
    }
    this.pending = pending.slice(i);
    this.pendingIndexes = pendingIndexes.slice(i);
    return i === pending.length;
  }

  /** Adds a serialized chunk (`[…]`) to the batch, unless it would take the body over maxBytes. */
  private add(chunk: Uint8Array, indexes: number[]): boolean {
    const added = chunk.length - 2 + (this.parts.length > 0 ? 1 : 0);
    if (this.bytes + added > this.limits.maxBytes) return false;
    this.bytes += added;
    this.parts.push(chunk);
    for (let i = 0; i < indexes.length; i++) this.partsIndexes.push(indexes[i]!);
    return true;
  }

  /** The batch so far: its indexes and its body, the envelope around the parts' items joined by commas. */
  private cut(): Batch {
    const body = new Uint8Array(this.bytes);
    body.set(this.prefix, 0);
    let at = this.prefix.length;
    for (let i = 0; i < this.parts.length; i++) {
      const part = this.parts[i]!;
      if (i > 0) body[at++] = COMMA;
      body.set(part.subarray(1, part.length - 1), at);
      at += part.length - 2;
    }
    body.set(this.suffix, at);
    const batch = { indexes: this.partsIndexes, body };
    this.reset();
    return batch;
  }

  private reset(): void {
    this.parts = [];
    this.partsIndexes = [];
    this.bytes = this.prefix.length + this.suffix.length;
  }
}
