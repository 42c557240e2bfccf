const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
/** Keys longer than this (no real email, phone or profile URL) go to the exact Map. */
const MAX_PACKED = 0xffff;
/** Arena entry header: owner index (4 bytes), key length (2), kind tag (1). Entries start 4-byte aligned. */
const HEADER = 7;
/** A slot: 4 bits of the key's hash, then the entry's place in the arena (offset / 4) + 1; 0 is empty. */
const PLACE_BITS = 28;
const PLACE = (1 << PLACE_BITS) - 1;
/** Chunks the arena may hold: their offsets / 4 fit in PLACE_BITS (1 GiB, tens of millions of emails). */
const MAX_CHUNKS = 2 ** (PLACE_BITS + 2 - CHUNK_BITS);
const aligned = (bytes: number) => (bytes + 3) & ~3;
/** The slot for an entry at arena `offset` whose key hashed (mixed) to `h`. */
const slotOf = (h: number, offset: number) => (((h >>> PLACE_BITS) << PLACE_BITS) | (offset / 4 + 1)) >>> 0;
/** The arena offset of a slot's entry. */
const offsetOf = (slot: number) => ((slot & PLACE) - 1) * 4;

/** murmur3's finalizer over FNV-1a: the probe uses the low bits, so spread every input bit into them. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The key's hash (FNV-1a over its length, kind tag and characters), before `mix`. */
function fnv(n: number, tag: number): number {
  return Math.imul(0x811c9dc5 ^ n, 0x01000193) ^ tag;
}

/**
 * Remembers keys (lower-cased emails, E.164 phones, profile URLs) seen in one call without a JS string
 * per key: an open-addressing table of 4-byte slots, each 4 bits of the key's hash and where its entry is,
 * over a byte arena holding each key once with its owner. A probe reads the arena only when those bits
 * match (1 in 16 otherwise), and compares the stored bytes then, so two different keys are never taken
 * for one another. Growing rehashes by walking the arena in order (sequential reads, no random ones). At
 * most half full: 8–16 bytes a key, plus the arena's 7 + length, 4-byte aligned. Non-ASCII keys (rare:
 * emails are validated ASCII, phones are E.164) go to a plain Map; they never equal an ASCII key, so both
 * stay exact.
 */
export class SeenKeys {
  private slots: Uint32Array;
  private size = 0;
  /** True once a key went unremembered because `maxKeys` were already held (or the arena is at 1 GiB). */
  full = false;
  /** Fixed-size chunks, so the arena grows without copying (no transient double). */
  private readonly chunks: Uint8Array[] = [];
  /** Bytes used in each chunk. */
  private readonly ends: number[] = [];
  private readonly wide = new Map<string, number>();

  /**
   * Remembers at most `maxKeys` keys (about 40 bytes each for emails), so memory is bounded on any input.
   * `expectedKeys` (an array input's length) sizes the table once, so it never grows.
   */
  constructor(
    private readonly maxKeys = Number.POSITIVE_INFINITY,
    expectedKeys = 0,
  ) {
    let size = 1024;
    const expected = Math.min(expectedKeys, maxKeys);
    while (size < expected * 2 && size < PLACE) size *= 2;
    this.slots = new Uint32Array(size);
  }

  /**
   * The index of the earlier lead with this key, or -1 after recording `index` as its owner (or, once
   * `maxKeys` are held, without recording it). A key is a kind (its first character tells kinds apart) and
   * a value, hashed as is: no joined string to build.
   */
  claim(kind: string, key: string, index: number): number {
    const n = key.length;
    const tag = kind.charCodeAt(0);
    let h = fnv(n, tag);
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
    h = mix(h);
    const top = h >>> PLACE_BITS;
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const stored = slots[slot]!;
      if (stored === 0) break;
      if (stored >>> PLACE_BITS === top) {
        const owner = this.match(offsetOf(stored), tag, key);
        if (owner >= 0) return owner;
      }
      slot = (slot + 1) & mask;
    }
    if (this.atCapacity(HEADER + n)) return -1;
    slots[slot] = slotOf(h, this.store(tag, key, index));
    if (++this.size * 2 > slots.length) this.grow();
    return -1;
  }

  /** True (and `full`) when `maxKeys` are held, or an entry of `bytes` would take the arena past its last chunk. */
  private atCapacity(bytes = 0): boolean {
    const last = this.chunks.length - 1;
    const roomy = bytes === 0 || this.chunks.length < MAX_CHUNKS || this.ends[last]! + bytes <= CHUNK;
    if (this.size + this.wide.size < this.maxKeys && roomy) return false;
    this.full = true;
    return true;
  }

  /** Appends the entry (owner, length, kind tag, ASCII bytes) to the arena; returns its offset. */
  private store(tag: number, key: string, index: number): number {
    const n = key.length;
    let last = this.chunks.length - 1;
    if (last < 0 || this.ends[last]! + HEADER + n > CHUNK) {
      this.chunks.push(new Uint8Array(CHUNK));
      this.ends.push(0);
      last++;
    }
    const chunk = this.chunks[last]!;
    const start = this.ends[last]!;
    chunk[start] = index >>> 24;
    chunk[start + 1] = (index >>> 16) & 0xff;
    chunk[start + 2] = (index >>> 8) & 0xff;
    chunk[start + 3] = index & 0xff;
    chunk[start + 4] = n >>> 8;
    chunk[start + 5] = n & 0xff;
    chunk[start + 6] = tag;
    for (let i = 0; i < n; i++) chunk[start + HEADER + i] = key.charCodeAt(i);
    // Within the chunk: CHUNK is a multiple of 4 and the entry fits.
    this.ends[last] = aligned(start + HEADER + n);
    return last * CHUNK + start;
  }

  /** The owner stored at `offset` if its entry holds this key, else -1. */
  private match(offset: number, tag: number, key: string): number {
    const chunk = this.chunks[Math.floor(offset / CHUNK)]!;
    const start = offset % CHUNK;
    const n = key.length;
    if (((chunk[start + 4]! << 8) | chunk[start + 5]!) !== n || chunk[start + 6] !== tag) return -1;
    const from = start + HEADER;
    for (let i = 0; i < n; i++) if (chunk[from + i] !== key.charCodeAt(i)) return -1;
    return ((chunk[start]! << 24) | (chunk[start + 1]! << 16) | (chunk[start + 2]! << 8) | chunk[start + 3]!) >>> 0;
  }

  /** Twice the slots; every arena entry rehashed from its bytes, read in order. */
  private grow(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      const end = this.ends[c]!;
      for (let start = 0; start < end; ) {
        // The same hash as claim() computes from the key's characters.
        const n = (chunk[start + 4]! << 8) | chunk[start + 5]!;
        let h = fnv(n, chunk[start + 6]!);
        const to = start + HEADER + n;
        for (let i = start + HEADER; i < to; i++) h = Math.imul(h ^ chunk[i]!, 0x01000193);
        h = mix(h);
        let slot = h & mask;
        while (slots[slot] !== 0) slot = (slot + 1) & mask;
        slots[slot] = slotOf(h, c * CHUNK + start);
        start = aligned(to);
      }
    }
    this.slots = slots;
  }
}
