// One call's account: the report, the progress, and why the call stopped (if it did). The only mutable
// state the call's parts share; one per call.
import { InputError, LeadBridgeError } from "../errors.js";
import type { LeadCode, LeadResult, LeadWarning } from "../lead.js";
import type { AddLeadsOptions, Progress } from "../options.js";
import type { Redactor } from "../redact.js";
import { ReportBuilder, resultOf } from "../report.js";

export class Ledger {
  readonly report: ReportBuilder;
  readonly progress: Progress = { read: 0, sent: 0, acknowledged: 0, settled: 0 };
  /** What stopped the call (rethrown at its end); undefined while it runs, or when only the signal aborted. */
  stopError: unknown;
  /** Warnings of prepared leads not yet settled: as many as the leads in flight, few of which have any. */
  private readonly pendingWarnings = new Map<number, LeadWarning[]>();

  constructor(
    private readonly options: AddLeadsOptions,
    /** The bridge's secrets, scrubbed from every reason and warning. */
    readonly redactor: Redactor,
  ) {
    this.report = new ReportBuilder(options.keepResults !== false, options.onResult);
  }

  /** User callbacks must not break the accounting: a throw stops the call and is rethrown at the end. */
  guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.stop(error);
    }
  }

  stop(error: unknown): void {
    this.stopError ??= error;
  }

  get stopped(): boolean {
    return this.stopError !== undefined || this.options.signal?.aborted === true;
  }

  /** The reason of leads a stop left unsent: the stopping error's code, else `aborted`. */
  stopReason(): string {
    return this.stopError instanceof LeadBridgeError ? this.stopError.code : "aborted";
  }

  stopCode(): LeadCode {
    if (this.stopError === undefined) return "aborted";
    return this.stopError instanceof InputError ? "input_failed" : "not_sent";
  }

  /** Fields dropped from lead `index` as it was prepared; its result carries them when it settles. */
  dropped(index: number, warnings: LeadWarning[]): void {
    this.pendingWarnings.set(
      index,
      warnings.map((w) => ({ ...w, reason: this.redactor.redact(w.reason) })),
    );
  }

  settle(
    index: number,
    code: LeadCode,
    reason?: string,
    vendorLeadId?: string,
    into?: LeadResult[],
    duplicateOf?: number,
    destinationId?: string,
  ): void {
    const clean = reason === undefined ? undefined : this.redactor.redact(reason);
    let warnings: LeadWarning[] | undefined;
    if (this.pendingWarnings.size > 0) {
      warnings = this.pendingWarnings.get(index);
      if (warnings) this.pendingWarnings.delete(index);
    }
    this.report.settle(index, code, clean, vendorLeadId, duplicateOf, warnings, destinationId);
    if (into) into.push(resultOf(index, code, clean, vendorLeadId, duplicateOf, warnings, destinationId));
  }

  settleAll(indexes: readonly number[], code: LeadCode, reason: string, into?: LeadResult[]): void {
    for (const index of indexes) this.settle(index, code, reason, undefined, into);
  }

  warn(warning: string): void {
    this.report.warn(this.redactor.redact(warning));
  }

  emitProgress(): void {
    this.progress.settled = this.report.settledCount();
    this.guard(() => this.options.onProgress?.({ ...this.progress }));
  }
}
