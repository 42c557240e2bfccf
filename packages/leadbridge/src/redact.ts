// What a bridge hides: the secrets it was configured with, in every encoding they are likely to travel in.
// One Redactor per bridge, so one bridge's secrets are neither known to nor scrubbed from another's messages.

const MIN_SECRET = 6;

/** Anything that looks like a bearer token: scrubbed from every LeadBridge message, whoever made it. */
export function redactBearer(text: string): string {
  return text.replace(/(bearer\s+)[^\s"',;]+/gi, "$1[redacted]");
}

/** One bridge's secrets; `redact` replaces each of them, and bearer tokens, with `[redacted]`. */
export class Redactor {
  readonly #secrets = new Set<string>();

  /**
   * Remembers `secret` as is, percent-encoded, and base64 (standard and URL-safe) at each of the three byte
   * alignments it can have inside a longer base64 text (`Basic base64(user:key)`, a base64 dump of a header).
   * Short strings are ignored (they would redact ordinary words).
   */
  add(secret: string | undefined): void {
    if (typeof secret !== "string" || secret.length < MIN_SECRET || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    this.#secrets.add(encodeURIComponent(secret));
    for (const form of base64Cores(secret)) if (form.length >= MIN_SECRET) this.#secrets.add(form);
  }

  /** `text` with every secret of this redactor, and anything that looks like a bearer token, replaced. */
  readonly redact = (text: string): string => {
    let out = redactBearer(text);
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    return out;
  };
}

/**
 * The base64 characters that depend only on `secret`'s bytes, for each offset (0, 1, 2 bytes) the secret
 * can start at within the encoded text: whatever surrounds it, those characters appear verbatim.
 */
function base64Cores(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    let binary = "\0".repeat(shift);
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const encoded = btoa(binary);
    // Character k covers bits [6k, 6k + 6): keep those wholly inside the secret's bits.
    const core = encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
    cores.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return cores;
}
