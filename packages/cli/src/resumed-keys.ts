import type { Lead } from "leadbridge";

/**
 * The duplicate check across runs: the email, phone and LinkedIn URL of rows an earlier run settled (or
 * left in doubt), so that a repeat of one of them after the stop point is reported `duplicate`, not sent.
 * The facade's own check covers the rows of this run. Keys are normalised conservatively (a missed
 * repeat is left to the vendor; a false match would drop a lead), and bounded like the facade's check.
 */
export class ResumedKeys {
  private readonly keys = new Map<string, number>();
  full = false;

  constructor(private readonly maxKeys: number) {}

  add(lead: Lead, rowNumber: number): void {
    for (const key of keysOf(lead)) {
      if (this.keys.has(key)) continue;
      if (this.keys.size >= this.maxKeys) {
        this.full = true;
        return;
      }
      this.keys.set(key, rowNumber);
    }
  }

  /** The earlier row with one of `lead`'s keys, and which key it was. */
  match(lead: Lead): { kind: string; rowNumber: number } | undefined {
    if (this.keys.size === 0) return undefined;
    for (const key of keysOf(lead)) {
      const rowNumber = this.keys.get(key);
      if (rowNumber !== undefined) return { kind: key.slice(0, key.indexOf(":")), rowNumber };
    }
    return undefined;
  }
}

export function keysOf(lead: Lead): string[] {
  const keys: string[] = [];
  const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
  const email = text(lead.email).toLowerCase();
  if (email) keys.push(`email:${email}`);
  const phone = text(lead.phone);
  const digits = phone.replace(/\D/g, "");
  if (digits.length >= 7) keys.push(`phone:${phone.startsWith("+") ? "+" : ""}${digits}`);
  const linkedin = text(lead.linkedinUrl)
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "");
  if (linkedin) keys.push(`LinkedIn URL:${linkedin}`);
  return keys;
}
