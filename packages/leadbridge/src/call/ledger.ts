// One call's account: the report, the progress, and why the call stopped (if it did). The only mutable
// state the call's parts share; one per call.
import { InputError, LeadBridgeError } from "../errors.js";
import type { LeadCode, LeadResult } from "../lead.js";
import type { AddLeadsOptions, Progress } from "../options.js";
import type { Redactor } from "../redact.js";
import { ReportBuilder, resultOf } from "../report.js";

export class Ledger {
  readonly report: ReportBuilder;
  readonly progress: Progress = { read: 0, sent: 0, acknowledged: 0, settled: 0 };
  /** What stopped the call (rethrown at its end); undefined while it runs, or when only the signal aborted. */
  stopError: unknown;

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

  settle(
    index: number,
    code: LeadCode,
    reason?: string,
    vendorLeadId?: string,
    into?: LeadResult[],
    duplicateOf?: number,
  ): void {
    const clean = reason === undefined ? undefined : this.redactor.redact(reason);
    this.report.settle(index, code, clean, vendorLeadId, duplicateOf);
    if (into) into.push(resultOf(index, code, clean, vendorLeadId, duplicateOf));
  }

  settleAll(batch: readonly { index: number }[], code: LeadCode, reason: string, into?: LeadResult[]): void {
    for (const { index } of batch) this.settle(index, code, reason, undefined, into);
  }

  warn(warning: string): void {
    this.report.warn(this.redactor.redact(warning));
  }

  emitProgress(): void {
    this.progress.settled = this.report.settledCount();
    this.guard(() => this.options.onProgress?.({ ...this.progress }));
  }
}
