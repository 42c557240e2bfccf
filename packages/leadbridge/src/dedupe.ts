/**
 * Remembers keys (lower-cased emails, E.164 phones) seen in one call, in typed arrays: 12 bytes a slot
 * instead of a string per key, so a million leads cost a few MB and no GC churn. Keys are compared by a
 * 64-bit hash; two different keys colliding among a million is about a 1-in-30-million event.
 */
export class SeenKeys {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  /** The input index that first used the key, plus one (0 marks an empty slot). */
  private owner = new Int32Array(1024);
  private size = 0;

  /** The index of the earlier lead with `key`, or -1 after recording `index` as its owner. */
  claim(key: string, index: number): number {
    const [h1, h2] = hash64(key);
    let mask = this.owner.length - 1;
    let slot = h1 & mask;
    while (this.owner[slot] !== 0) {
      if (this.hi[slot] === h1 && this.lo[slot] === h2) return this.owner[slot]! - 1;
      slot = (slot + 1) & mask;
    }
    this.hi[slot] = h1;
    this.lo[slot] = h2;
    this.owner[slot] = index + 1;
    if (++this.size * 2 > this.owner.length) {
      this.grow();
      mask = this.owner.length - 1;
    }
    return -1;
  }

  private grow(): void {
    const { hi, lo, owner } = this;
    const capacity = owner.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.owner = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let i = 0; i < owner.length; i++) {
      if (owner[i] === 0) continue;
      let slot = hi[i]! & mask;
      while (this.owner[slot] !== 0) slot = (slot + 1) & mask;
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.owner[slot] = owner[i]!;
    }
  }
}

/** cyrb53's two 32-bit lanes, kept whole (64 bits). */
export function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}
