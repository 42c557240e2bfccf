import {
  LEAD_CODE_LIST,
  LEAD_CODES,
  type LeadCode,
  type LeadResult,
  type LeadWarning,
  OUTCOMES,
  type Outcome,
} from "./lead.js";

export type OutcomeCounts = Record<Outcome, number>;

/** The account of one `addLeads` call: every input index exactly once, and counts that sum to `total`. */
export interface Report {
  total: number;
  counts: OutcomeCounts;
  /**
   * `results[i]` is the i-th input lead. Empty when the call ran with `keepResults: false`. Built when first
   * read (an object per lead), from the one byte per lead the call kept.
   */
  results: LeadResult[];
  /** Batch-level facts the per-lead results cannot carry, e.g. a vendor whose counts do not add up. */
  warnings: string[];
  dryRun: boolean;
}

const NOT_SET = 0;
/** A lead's code as a byte: its place in `LEAD_CODE_LIST`, plus one (0 is unsettled). */
const BYTE = Object.fromEntries(LEAD_CODE_LIST.map((c, i) => [c, i + 1])) as Record<LeadCode, number>;
const codeOf = (byte: number): LeadCode => LEAD_CODE_LIST[byte - 1]!;

/** Thrown when LeadBridge itself would break the report invariant: a bug, never a vendor's fault. */
export class ReportInvariantError extends Error {
  override name = "ReportInvariantError";
}

/**
 * Collects outcomes compactly (one byte per lead, sparse maps for reasons and ids) and enforces the
 * invariant: each index settles exactly once. The public `results` array is built only at the end.
 * Without kept results, the leading run of settled leads is dropped as it grows: memory then follows
 * the leads in flight (batch size × concurrency), not the length of the input.
 */
export class ReportBuilder {
  /** `codes[i]` is the code (as a byte) of lead `start + i`; every lead below `start` has settled. */
  private codes = new Uint8Array(1024);
  private start = 0;
  /** The lowest lead not yet settled (from `start` up). */
  private unsettled = 0;
  private readonly reasons = new Map<number, string>();
  private readonly ids = new Map<number, string>();
  private readonly firsts = new Map<number, number>();
  private readonly dropped = new Map<number, LeadWarning[]>();
  private readonly places = new Map<number, string>();
  private highest = -1;
  readonly counts: OutcomeCounts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
  readonly warnings: string[] = [];

  constructor(
    private readonly keepResults = true,
    private readonly onResult?: (result: LeadResult) => void,
  ) {}

  /** Settles lead `index` with `code` (its outcome follows from the code). */
  settle(
    index: number,
    code: LeadCode,
    reason?: string,
    vendorLeadId?: string,
    duplicateOf?: number,
    warnings?: LeadWarning[],
    destinationId?: string,
  ): void {
    const outcome = LEAD_CODES[code];
    const at = index - this.start;
    // Below `start`: settled and already dropped, so its outcome is no longer known.
    if (at < 0) throw new ReportInvariantError(`lead ${index} settled twice (then ${outcome})`);
    if (at >= this.codes.length) this.grow(at);
    if (this.codes[at] !== NOT_SET) {
      throw new ReportInvariantError(
        `lead ${index} settled twice (${LEAD_CODES[codeOf(this.codes[at]!)]}, then ${outcome})`,
      );
    }
    this.codes[at] = BYTE[code];
    this.counts[outcome]++;
    if (index > this.highest) this.highest = index;
    if (this.keepResults) {
      if (reason !== undefined) this.reasons.set(index, reason);
      if (vendorLeadId !== undefined) this.ids.set(index, vendorLeadId);
      if (duplicateOf !== undefined) this.firsts.set(index, duplicateOf);
      if (warnings !== undefined) this.dropped.set(index, warnings);
      if (destinationId !== undefined) this.places.set(index, destinationId);
    } else if (index === this.unsettled) {
      this.dropSettledRun();
    }
    this.onResult?.(resultOf(index, code, reason, vendorLeadId, duplicateOf, warnings, destinationId));
  }

  settledCount(): number {
    let n = 0;
    for (const o of OUTCOMES) n += this.counts[o];
    return n;
  }

  private grow(at: number): void {
    let size = this.codes.length * 2;
    while (size <= at) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.codes);
    this.codes = grown;
  }

  /** Moves `unsettled` past the leads settled in order; once they fill half of `codes`, drops them. */
  private dropSettledRun(): void {
    const codes = this.codes;
    let at = this.unsettled - this.start;
    while (at < codes.length && codes[at] !== NOT_SET) at++;
    this.unsettled = this.start + at;
    if (at * 2 >= codes.length) {
      codes.copyWithin(0, at, this.highest - this.start + 1);
      codes.fill(NOT_SET, Math.max(0, this.highest - this.unsettled + 1));
      this.start = this.unsettled;
    }
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** The report for `total` input leads; throws if any index in `[0, total)` never settled. */
  finish(total: number, dryRun: boolean): Report {
    if (this.highest >= total) throw new ReportInvariantError(`lead ${this.highest} settled but only ${total} read`);
    const sum = OUTCOMES.reduce((s, o) => s + this.counts[o], 0);
    if (sum !== total) {
      let missing = Math.max(this.unsettled - this.start, 0);
      while (missing < total - this.start && this.codes[missing] !== NOT_SET) missing++;
      missing += this.start;
      throw new ReportInvariantError(`${total - sum} of ${total} leads never settled (first: ${missing})`);
    }
    const report = { total, counts: { ...this.counts } } as Report;
    if (!this.keepResults) report.results = [];
    else {
      // Built on first read (and kept): a caller that only reads the counts never pays an object per lead.
      const keep = (results: LeadResult[]) =>
        Object.defineProperty(report, "results", {
          value: results,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      Object.defineProperty(report, "results", {
        enumerable: true,
        configurable: true,
        get: () => keep(this.results(total)).results,
        set: keep,
      });
    }
    report.warnings = [...this.warnings];
    report.dryRun = dryRun;
    return report;
  }

  /** Every lead's result, in input order. */
  private results(total: number): LeadResult[] {
    const results: LeadResult[] = [];
    const { codes, reasons, ids, firsts, dropped, places } = this;
    // Map lookups only when a map has entries: a plain import has neither reasons nor ids for most leads.
    const anyReason = reasons.size > 0;
    const anyId = ids.size > 0;
    const anyFirst = firsts.size > 0;
    const anyDropped = dropped.size > 0;
    const anyPlace = places.size > 0;
    for (let i = 0; i < total; i++) {
      results.push(
        resultOf(
          i,
          codeOf(codes[i]!),
          anyReason ? reasons.get(i) : undefined,
          anyId ? ids.get(i) : undefined,
          anyFirst ? firsts.get(i) : undefined,
          anyDropped ? dropped.get(i) : undefined,
          anyPlace ? places.get(i) : undefined,
        ),
      );
    }
    return results;
  }
}

/** A result with only the fields that are set. */
export function resultOf(
  index: number,
  code: LeadCode,
  reason?: string,
  vendorLeadId?: string,
  duplicateOf?: number,
  warnings?: LeadWarning[],
  destinationId?: string,
): LeadResult {
  const result: LeadResult = { index, outcome: LEAD_CODES[code], code };
  if (destinationId !== undefined) result.destinationId = destinationId;
  if (reason !== undefined) result.reason = reason;
  if (duplicateOf !== undefined) result.duplicateOf = duplicateOf;
  if (vendorLeadId !== undefined) result.vendorLeadId = vendorLeadId;
  if (warnings !== undefined) result.warnings = warnings;
  return result;
}
