// A small seeded PRNG (sfc32, seeded through splitmix32), so that a seed reproduces every
// fault decision and every generated id. Not for cryptography.

export interface Random {
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform unsigned 32-bit integer. */
  uint32(): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32: fast, passes PractRand to 2^40+ bytes, 128-bit state. */
export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const uint32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) uint32();
  return { uint32, next: () => uint32() / 4294967296 };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** An RFC 4122 version-4 UUID drawn from `random`. */
export function uuidV4(random: Random): string {
  const w0 = random.uint32();
  const w1 = random.uint32();
  const w2 = random.uint32();
  const w3 = random.uint32();
  const b = (w: number, shift: number) => HEX[(w >>> shift) & 0xff]!;
  // version nibble 4, variant bits 10xx
  const b6 = HEX[((w1 >>> 8) & 0x0f) | 0x40]!;
  const b8 = HEX[((w2 >>> 24) & 0x3f) | 0x80]!;
  return (
    `${b(w0, 24)}${b(w0, 16)}${b(w0, 8)}${b(w0, 0)}-${b(w1, 24)}${b(w1, 16)}-${b6}${b(w1, 0)}-` +
    `${b8}${b(w2, 16)}-${b(w2, 8)}${b(w2, 0)}${b(w3, 24)}${b(w3, 16)}${b(w3, 8)}${b(w3, 0)}`
  );
}

/** A 24-hex-digit id shaped like a MongoDB ObjectId (NLPearl's lead ids). */
export function objectId(random: Random): string {
  const seconds = Math.floor(Date.now() / 1000) >>> 0;
  const hex = (w: number) => w.toString(16).padStart(8, "0");
  return hex(seconds) + hex(random.uint32()) + hex(random.uint32());
}
