// A lead's way in: validate and map it, check it against the call's earlier leads. (Its size is checked
// with its batch's: see Batcher.) The hot path: runs once per lead, so no closures or intermediate objects
// unless the lead is dropped.
import { InvalidLead, type OpenAdapter } from "../adapters/adapter.js";
import { FieldReader } from "../adapters/fields.js";
import { SeenKeys } from "../dedupe.js";
import type { Ledger } from "./ledger.js";

export class Preparer {
  private readonly seen: SeenKeys | undefined;
  /** Set per lead before `keys`: one claim callback for the whole call, not a closure per lead. */
  private current = 0;
  private firstOwner = -1;
  private duplicateKind = "";
  private readonly fields: FieldReader;

  constructor(
    private readonly opened: OpenAdapter<unknown>,
    private readonly ledger: Ledger,
    maxDuplicateKeys: number,
    strict: boolean,
    /** How many leads the input holds, when known (an array): sizes the duplicate check once. */
    expectedLeads = 0,
  ) {
    this.fields = new FieldReader(opened.needs, strict);
    this.seen = maxDuplicateKeys > 0 ? new SeenKeys(maxDuplicateKeys, expectedLeads) : undefined;
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

  /** Lead `index`, mapped to the vendor's lead, or undefined once it settled here (invalid, a repeat). */
  readonly prepare = (lead: unknown, index: number): unknown => {
    const { ledger } = this;
    ledger.progress.read = index + 1;
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
    return mapped;
  };

  /** Lead `index` is `bytes` as JSON: with the request's envelope, over `maxBatchBytes` on its own. */
  readonly tooLarge = (index: number, bytes: number, maxBatchBytes: number): void => {
    const reason = `the lead is ${bytes} bytes as JSON, over the ${maxBatchBytes}-byte request cap`;
    this.ledger.guard(() => this.ledger.settle(index, "too_large", reason));
  };
}
