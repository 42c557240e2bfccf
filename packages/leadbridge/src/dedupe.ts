const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
/** Keys longer than this (no real email, phone or profile URL) go to the exact Map. */
const MAX_PACKED = 0xffff;
/** Arena entry header: owner index (4 bytes), key length (2), kind tag (1). */
const HEADER = 7;

/** murmur3's finalizer over FNV-1a: the probe uses the low bits, so spread every input bit into them. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Remembers keys (lower-cased emails, E.164 phones, profile URLs) seen in one call without a JS string
 * per key: an open-addressing table of 8-byte slots (the key's 32-bit hash, then its arena offset + 1; 0 is
 * empty) over a byte arena holding each key once with its owner. A probe reads the arena only when the
 * hashes are equal, and compares the stored bytes then, so two different keys are never taken for one
 * another; growing reads the table alone (no arena pages, which are cold by then). At most half full: 16–32
 * bytes a key, plus the arena's 7 + length. Non-ASCII keys (rare: emails are validated ASCII, phones are
 * E.164) go to a plain Map; they never equal an ASCII key, so both stay exact.
 */
export class SeenKeys {
  /** Pairs: `[hash, offset + 1]`. */
  private slots: Uint32Array;
  private size = 0;
  /** True once a key went unremembered because `maxKeys` were already held. */
  full = false;
  /** Fixed-size chunks, so the arena grows without copying (no transient double). */
  private readonly chunks: Uint8Array[] = [];
  private chunk = new Uint8Array(0);
  private used = 0;
  private readonly wide = new Map<string, number>();

  /**
   * Remembers at most `maxKeys` keys (about 40 bytes each for emails), so memory is bounded on any input.
   * `expectedKeys` (an array input's length) sizes the table once, so it never grows.
   */
  constructor(
    private readonly maxKeys = Number.POSITIVE_INFINITY,
    expectedKeys = 0,
  ) {
    let pairs = 1024;
    const expected = Math.min(expectedKeys, maxKeys);
    while (pairs < expected * 2 && pairs < 1 << 26) pairs *= 2;
    this.slots = new Uint32Array(pairs * 2);
  }

  /**
   * The index of the earlier lead with this key, or -1 after recording `index` as its owner (or, once
   * `maxKeys` are held, without recording it). A key is a kind (its first character tells kinds apart) and
   * a value, hashed as is: no joined string to build.
   */
  claim(kind: string, key: string, index: number): number {
    const n = key.length;
    const tag = kind.charCodeAt(0);
    let h = Math.imul(0x811c9dc5 ^ n, 0x01000193) ^ tag;
    let all = tag;
    for (let i = 0; i < n; i++) {
      const c = key.charCodeAt(i);
      all |= c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (all > 0x7f || n > MAX_PACKED) {
      const joined = `${kind}:${key}`;
      const first = this.wide.get(joined);
      if (first !== undefined) return first;
      if (this.atCapacity()) return -1;
      this.wide.set(joined, index);
      return -1;
    }
    h = mix(h) >>> 0;
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let at = (h & mask) << 1;
    for (;;) {
      const stored = slots[at + 1]!;
      if (stored === 0) break;
      if (slots[at] === h) {
        const owner = this.match(stored - 1, tag, key);
        if (owner >= 0) return owner;
      }
      at = (at + 2) & (slots.length - 1);
    }
    if (this.atCapacity()) return -1;
    slots[at] = h;
    slots[at + 1] = this.store(tag, key, index) + 1;
    if (++this.size * 4 > slots.length) this.grow();
    return -1;
  }

  private atCapacity(): boolean {
    if (this.size + this.wide.size < this.maxKeys) return false;
    this.full = true;
    return true;
  }

  /** Appends the entry (owner, length, kind tag, ASCII bytes) to the arena; returns its offset. */
  private store(tag: number, key: string, index: number): number {
    const n = key.length;
    if (this.used + HEADER + n > this.chunk.length) {
      this.chunk = new Uint8Array(CHUNK);
      this.chunks.push(this.chunk);
      this.used = 0;
    }
    const chunk = this.chunk;
    const start = this.used;
    chunk[start] = index >>> 24;
    chunk[start + 1] = (index >>> 16) & 0xff;
    chunk[start + 2] = (index >>> 8) & 0xff;
    chunk[start + 3] = index & 0xff;
    chunk[start + 4] = n >>> 8;
    chunk[start + 5] = n & 0xff;
    chunk[start + 6] = tag;
    for (let i = 0; i < n; i++) chunk[start + HEADER + i] = key.charCodeAt(i);
    this.used = start + HEADER + n;
    // Unsigned: the arena may pass 2 GiB before the slot values (offset + 1) run out at 4 GiB.
    return ((this.chunks.length - 1) * CHUNK + start) >>> 0;
  }

  /** The owner stored at `offset` if its entry holds this key, else -1. */
  private match(offset: number, tag: number, key: string): number {
    const chunk = this.chunks[offset >>> CHUNK_BITS]!;
    const start = offset & (CHUNK - 1);
    const n = key.length;
    if (((chunk[start + 4]! << 8) | chunk[start + 5]!) !== n || chunk[start + 6] !== tag) return -1;
    const from = start + HEADER;
    for (let i = 0; i < n; i++) if (chunk[from + i] !== key.charCodeAt(i)) return -1;
    return ((chunk[start]! << 24) | (chunk[start + 1]! << 16) | (chunk[start + 2]! << 8) | chunk[start + 3]!) >>> 0;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Uint32Array(old.length * 2);
    const wrap = slots.length - 1;
    const mask = (slots.length >>> 1) - 1;
    for (let from = 0; from < old.length; from += 2) {
      const stored = old[from + 1]!;
      if (stored === 0) continue;
      const h = old[from]!;
      let at = (h & mask) << 1;
      while (slots[at + 1] !== 0) at = (at + 2) & wrap;
      slots[at] = h;
      slots[at + 1] = stored;
    }
    this.slots = slots;
  }
}
