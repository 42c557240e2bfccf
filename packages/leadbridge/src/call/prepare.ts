// A lead's way in: validate and map it, check it against the call's earlier leads, check its size.
// The hot path: runs once per lead, so no closures or intermediate objects unless the lead is dropped.
import { InvalidLead, type OpenAdapter, type PreparedLead } from "../adapters/adapter.js";
import { FieldReader } from "../adapters/fields.js";
import { utf8Length } from "../batcher.js";
import { SeenKeys } from "../dedupe.js";
import type { Ledger } from "./ledger.js";

export class Preparer {
  private readonly seen: SeenKeys | undefined;
  /** Bytes of the request body around the leads. */
  readonly overhead: number;
  /** Set per lead before `keys`: one claim callback for the whole call, not a closure per lead. */
  private current = 0;
  private firstOwner = -1;
  private duplicateKind = "";
  private readonly fields: FieldReader;

  constructor(
    private readonly opened: OpenAdapter<unknown>,
    private readonly ledger: Ledger,
    maxDuplicateKeys: number,
    private readonly maxBatchBytes: number,
    strict: boolean,
  ) {
    this.fields = new FieldReader(opened.needs, strict);
    this.seen = maxDuplicateKeys > 0 ? new SeenKeys(maxDuplicateKeys) : undefined;
    this.overhead = utf8Length(opened.envelope.prefix) + utf8Length(opened.envelope.suffix);
  }

  /** True once the duplicate check forgot keys (it remembers `maxDuplicateKeys` at most). */
  get duplicateCheckFull(): boolean {
    return this.seen?.full === true;
  }

  private readonly claim = (kind: string, value: string): boolean => {
    const first = this.seen!.claim(kind, value, this.current);
    if (first >= 0 && first !== this.current) {
      this.firstOwner = first;
      this.duplicateKind = kind;
      return false;
    }
    return true;
  };

  /** The lead ready to batch, or undefined once it settled here (invalid, a repeat, too large). */
  readonly prepare = (lead: unknown): PreparedLead | undefined => {
    const { ledger } = this;
    const index = ledger.progress.read++;
    let mapped: unknown;
    try {
      this.fields.start();
      mapped = this.opened.toVendorLead(lead, this.fields);
    } catch (error) {
      if (error instanceof InvalidLead) ledger.guard(() => ledger.settle(index, "invalid_field", error.reason));
      else {
        const reason = `the lead could not be read: ${String((error as Error)?.message ?? error)}`;
        ledger.guard(() => ledger.settle(index, "unreadable_lead", reason));
      }
      return undefined;
    }
    // Held until the lead settles, whatever its outcome: the lead went on without these fields.
    if (this.fields.dropped) ledger.dropped(index, this.fields.dropped);
    if (this.seen) {
      this.current = index;
      this.firstOwner = -1;
      this.opened.keys(mapped, this.claim);
      if (this.firstOwner >= 0) {
        const first = this.firstOwner;
        const reason = `same ${this.duplicateKind} as lead ${first} of this call; not sent`;
        ledger.guard(() => ledger.settle(index, "duplicate_in_call", reason, undefined, undefined, first));
        return undefined;
      }
    }
    const json = JSON.stringify(mapped);
    const bytes = utf8Length(json);
    if (this.overhead + bytes > this.maxBatchBytes) {
      const reason = `the lead is ${bytes} bytes as JSON, over the ${this.maxBatchBytes}-byte request cap`;
      ledger.guard(() => ledger.settle(index, "too_large", reason));
      return undefined;
    }
    return { index, json, bytes };
  };
}
