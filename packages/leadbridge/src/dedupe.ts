const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
/** Keys longer than this (no real email, phone or profile URL) go to the exact Map. */
const MAX_PACKED = 0xffff;

/**
 * Remembers keys (lower-cased emails, E.164 phones, profile URLs) seen in one call without a JS string
 * per key: an open-addressing table in one typed array (32-bit hash, owner, offset: 12 bytes a slot) over a
 * byte arena holding each key once. A hash match is always confirmed against the stored bytes, so two
 * different keys are never taken for one another. Non-ASCII keys (rare: emails are validated ASCII,
 * phones are E.164) go to a plain Map; they never equal an ASCII key, so both stay exact.
 */
export class SeenKeys {
  /** Slot i is [3i] hash, [3i+1] owner index + 1 (0: empty), [3i+2] arena offset: interleaved, so a probe touches one place. */
  private slots = new Int32Array(3 * 1024);
  private capacity = 1024;
  private size = 0;
  /** Fixed-size chunks, so the arena grows without copying (no transient double). */
  private readonly chunks: Uint8Array[] = [];
  private chunk = new Uint8Array(0);
  private used = 0;
  private readonly wide = new Map<string, number>();

  /**
   * The index of the earlier lead with this key, or -1 after recording `index` as its owner. A key is a
   * kind (its first character tells kinds apart) and a value, hashed as is: no joined string to build.
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
      this.wide.set(joined, index);
      return -1;
    }
    // murmur3's finalizer: the probe uses the low bits, so spread every input bit into them.
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    const slots = this.slots;
    const mask = this.capacity - 1;
    let slot = h & mask;
    for (;;) {
      const at = slot * 3;
      const owner = slots[at + 1]!;
      if (owner === 0) break;
      if (slots[at] === h && this.equals(slots[at + 2]!, tag, key)) return owner - 1;
      slot = (slot + 1) & mask;
    }
    const at = slot * 3;
    slots[at] = h;
    slots[at + 1] = index + 1;
    slots[at + 2] = this.store(tag, key);
    if (++this.size * 2 > this.capacity) this.grow();
    return -1;
  }

  /** Appends the ASCII key (length, kind tag, bytes) to the arena; returns its offset. */
  private store(tag: number, key: string): number {
    const n = key.length;
    if (this.used + 3 + n > this.chunk.length) {
      this.chunk = new Uint8Array(CHUNK);
      this.chunks.push(this.chunk);
      this.used = 0;
    }
    const chunk = this.chunk;
    const start = this.used;
    chunk[start] = n >>> 8;
    chunk[start + 1] = n & 0xff;
    chunk[start + 2] = tag;
    for (let i = 0; i < n; i++) chunk[start + 3 + i] = key.charCodeAt(i);
    this.used = start + 3 + n;
    return (this.chunks.length - 1) * CHUNK + start;
  }

  private equals(offset: number, tag: number, key: string): boolean {
    const chunk = this.chunks[offset >>> CHUNK_BITS]!;
    const start = offset & (CHUNK - 1);
    const n = key.length;
    if (((chunk[start]! << 8) | chunk[start + 1]!) !== n || chunk[start + 2] !== tag) return false;
    for (let i = 0; i < n; i++) if (chunk[start + 3 + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = this.capacity * 2;
    const slots = new Int32Array(3 * capacity);
    const mask = capacity - 1;
    for (let from = 0; from < old.length; from += 3) {
      if (old[from + 1] === 0) continue;
      let slot = old[from]! & mask;
      while (slots[slot * 3 + 1] !== 0) slot = (slot + 1) & mask;
      const to = slot * 3;
      slots[to] = old[from]!;
      slots[to + 1] = old[from + 1]!;
      slots[to + 2] = old[from + 2]!;
    }
    this.slots = slots;
    this.capacity = capacity;
  }
}
