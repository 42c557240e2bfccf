import { type Destination, duplicateKeys, type Lead } from "leadbridge";

/**
 * The duplicate check across runs: the identities (email, phone, LinkedIn URL, or the destination's own)
 * of rows an earlier run settled or left in doubt, so that a repeat of one after the stop point is
 * reported `duplicate`, not sent. The keys are the facade's own (`duplicateKeys`), so a repeat is
 * recognised across runs exactly as within one; the facade's check covers the rows of this run.
 * Bounded like the facade's check.
 */
export class ResumedKeys {
  private readonly keys = new Map<string, number>();
  full = false;

  constructor(
    private readonly maxKeys: number,
    private readonly destination: Destination,
    private readonly defaultCountry?: string,
    private readonly strict?: boolean,
  ) {}

  add(lead: Lead, rowNumber: number): void {
    for (const key of this.keysOf(lead)) {
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
    for (const key of this.keysOf(lead)) {
      const rowNumber = this.keys.get(key);
      if (rowNumber !== undefined) return { kind: key.slice(0, key.indexOf("\u0000")), rowNumber };
    }
    return undefined;
  }

  private keysOf(lead: Lead): string[] {
    return duplicateKeys(this.destination, lead, { defaultCountry: this.defaultCountry, strict: this.strict }).map(
      ({ kind, value }) => `${kind}\u0000${value}`,
    );
  }
}
