// One addLeads call: workers take batches from the input, send them and settle their leads; after a stop,
// everything unsent is accounted for; then the report.
import type { OpenAdapter } from "../adapters/adapter.js";
import type { VendorName } from "../adapters/index.js";
import { type Batch, Batcher, iteratorOf } from "../batcher.js";
import type { InFlightLimit, InFlightPermit } from "../concurrency.js";
import { InputError, LeadBridgeError } from "../errors.js";
import type { LeadCode, LeadResult } from "../lead.js";
import type { LeadSource } from "../lead-input.js";
import type { AddLeadsOptions, CallLimits } from "../options.js";
import type { Pacer } from "../pacing.js";
import type { Redactor } from "../redact.js";
import type { Report } from "../report.js";
import type { ResolvedRetry } from "../retry.js";
import { Ledger } from "./ledger.js";
import { Preparer } from "./prepare.js";
import { type BatchResult, type BatchSender, sendBatch } from "./send-batch.js";

export interface CallContext {
  vendor: VendorName;
  /** The bridge's secrets: scrubbed from the call's errors, reasons and warnings. */
  redactor: Redactor;
  opened: OpenAdapter<unknown>;
  /** The vendor drops leads the destination already has, so a resend after a lost answer is harmless. */
  resendSafe: boolean;
  leads: LeadSource<unknown>;
  pacer: Pacer | undefined;
  /** The credential's adaptive in-flight limit; undefined in a dry run. */
  inFlight: InFlightLimit | undefined;
  retry: ResolvedRetry;
  dryRun: boolean;
  /** Any unusable field makes the lead invalid (no field is dropped). */
  strict: boolean;
  limits: CallLimits;
  options: AddLeadsOptions;
}

const LOST = "; an earlier attempt, whose answer was lost, may have added it";
const NO_SLOT: InFlightPermit = { release() {} };

class Call {
  readonly ledger: Ledger;
  readonly preparer: Preparer;
  readonly source: Iterator<unknown> | AsyncIterator<unknown>;
  readonly batcher: Batcher<unknown, unknown>;
  readonly sender: BatchSender;
  /** Set when the vendor said the destination takes no more (a full list): later batches are rejected. */
  closed: { code: LeadCode; reason: string } | undefined;
  batchNumber = 0;
  sourceBroken = false;

  constructor(readonly ctx: CallContext) {
    const { limits, options } = ctx;
    this.ledger = new Ledger(options, ctx.redactor);
    this.preparer = new Preparer(
      ctx.opened,
      this.ledger,
      limits.maxDuplicateKeys,
      ctx.strict,
      Array.isArray(ctx.leads) ? ctx.leads.length : 0,
    );
    this.source = iteratorOf(ctx.leads);
    this.batcher = new Batcher(
      this.source,
      this.preparer.prepare,
      { maxCount: limits.batchSize, maxBytes: limits.maxBatchBytes },
      ctx.opened.envelope,
      (index, bytes) => this.preparer.tooLarge(index, bytes, limits.maxBatchBytes),
    );
    this.sender = {
      vendor: ctx.vendor,
      redactor: ctx.redactor,
      opened: ctx.opened,
      retry: ctx.retry,
      pacer: ctx.pacer,
      resendable: ctx.resendSafe || ctx.retry.retryUnknownOutcome,
      signal: options.signal,
      stopped: () => this.ledger.stopped,
    };
  }

  /** Results of the batch being settled, for onBatch; only collected when someone listens. */
  collect(): LeadResult[] | undefined {
    return this.ctx.options.onBatch ? [] : undefined;
  }

  finishBatch(number: number, results: LeadResult[] | undefined, size: number, attempts: number, acked: boolean) {
    const { ledger, ctx } = this;
    if (acked) ledger.progress.acknowledged += size;
    ledger.emitProgress();
    const onBatch = ctx.options.onBatch;
    if (results && onBatch)
      ledger.guard(() => onBatch({ batch: number, vendor: ctx.vendor, results, attempts, acknowledged: acked }));
  }

  /** Takes, accounts for and sends one batch; false when the worker should stop. */
  async nextBatch(): Promise<boolean> {
    const { ledger, ctx } = this;
    let batch: Batch | undefined;
    try {
      batch = await this.batcher.next();
    } catch (error) {
      // The source broke: stop starting batches, let the other workers' batches settle, then drain.
      this.sourceBroken = true;
      ledger.stop(new InputError(error, { redact: ctx.redactor.redact }));
      return false;
    }
    if (!batch) return false;
    const number = this.batchNumber++;
    const { indexes } = batch;
    if (ledger.stopped || ctx.dryRun || this.closed) {
      const results = this.collect();
      if (ledger.stopped) ledger.settleAll(indexes, ledger.stopCode(), ledger.stopReason(), results);
      else if (ctx.dryRun) ledger.settleAll(indexes, "dry_run", "dry_run", results);
      else ledger.settleAll(indexes, this.closed!.code, this.closed!.reason, results);
      this.finishBatch(number, results, indexes.length, 0, false);
      return !ledger.stopped;
    }
    await this.send(number, batch);
    return true;
  }

  async send(number: number, { indexes, body }: Batch): Promise<void> {
    const { ledger, ctx } = this;
    const results = this.collect();
    if (ctx.options.onBatchStart) {
      const starting = {
        batch: number,
        vendor: ctx.vendor,
        indexes: indexes.slice(),
        resendable: this.sender.resendable,
      };
      try {
        await ctx.options.onBatchStart(starting);
      } catch (error) {
        ledger.stop(error);
      }
      if (ledger.stopped) {
        ledger.settleAll(indexes, ledger.stopCode(), ledger.stopReason(), results);
        return this.finishBatch(number, results, indexes.length, 0, false);
      }
    }
    ledger.progress.sent += indexes.length;
    ledger.emitProgress();
    const label = `batch ${number} (leads ${indexes[0]}–${indexes[indexes.length - 1]})`;
    const result = await sendBatch(this.sender, body, indexes.length, label);
    this.settleBatch(indexes, result, results);
    this.finishBatch(number, results, indexes.length, result.attempts, result.kind === "answered");
  }

  /** Settles a sent batch's leads from what became of it. */
  settleBatch(indexes: number[], result: BatchResult, results: LeadResult[] | undefined): void {
    const { ledger } = this;
    const unsure = result.afterUnknownOutcome;
    const lost = unsure && result.kind !== "unknown" ? LOST : "";
    switch (result.kind) {
      case "answered": {
        const { outcomes, warnings, closeDestination } = result.interpretation;
        for (let i = 0; i < indexes.length; i++) {
          const o = outcomes[i] ?? { code: "ambiguous_answer", reason: "the vendor's answer did not cover this lead" };
          ledger.settle(indexes[i]!, o.code, o.reason, o.vendorLeadId, results, undefined, o.destinationId);
        }
        for (const warning of warnings ?? []) ledger.warn(warning);
        if (closeDestination) this.closed ??= closeDestination;
        return;
      }
      case "fatal":
      case "exhausted":
        // The vendor is down or refusing us: later batches would fare no better, so the call stops here.
        ledger.stop(result.error);
        break;
      case "stopped":
        if (result.cause !== undefined) ledger.stop(result.cause);
        break;
    }
    const { code, reason } = unsettled(result, ledger);
    ledger.settleAll(indexes, unsure ? "unknown_outcome" : code, `${reason}${lost}`, results);
  }

  async worker(): Promise<void> {
    const { ledger, ctx } = this;
    while (!ledger.stopped) {
      // A slot of the credential's adaptive limit before reading a batch: a waiting worker holds no leads.
      // A failure other than the abort (a shared limit's store is down) stops the call, like a pacer's.
      const slot = ctx.inFlight
        ? await ctx.inFlight.acquire(ctx.options.signal).catch((error: unknown) => {
            if (!ctx.options.signal?.aborted) ledger.stop(error);
          })
        : NO_SLOT;
      if (!slot) return;
      try {
        if (!(await this.nextBatch())) return;
      } finally {
        slot.release();
      }
    }
  }

  /** After a stop: everything read but unsent, and everything still unread, was never sent. */
  async drain(): Promise<void> {
    const { ledger } = this;
    const code = ledger.stopCode();
    const reason = ledger.stopReason();
    for (const index of this.batcher.takeHeld()) ledger.settle(index, code, reason);
    // A broken source is not read again: what it would yield next is unknown.
    while (!this.sourceBroken) {
      let step: IteratorResult<unknown>;
      try {
        step = await this.source.next();
      } catch {
        break;
      }
      if (step.done) break;
      ledger.settle(ledger.progress.read++, code, reason);
    }
  }
}

/** The code and reason of a sent batch's leads when the vendor gave no per-lead answer. */
function unsettled(
  result: Exclude<BatchResult, { kind: "answered" }>,
  ledger: Ledger,
): { code: LeadCode; reason: string } {
  switch (result.kind) {
    case "fatal":
      return { code: "call_refused", reason: result.error.code };
    case "exhausted":
      return { code: "failed_after_retries", reason: result.reason };
    case "stopped":
      return { code: ledger.stopCode(), reason: ledger.stopReason() };
    case "unknown":
      return { code: "unknown_outcome", reason: result.reason };
  }
}

export async function runCall(ctx: CallContext): Promise<Report> {
  const call = new Call(ctx);
  const { ledger } = call;
  // Every worker returns only once its batch has settled, so nothing is in flight after this.
  await Promise.all(Array.from({ length: ctx.dryRun ? 1 : ctx.limits.concurrency }, () => call.worker()));
  if (ledger.stopped) await call.drain();
  if (call.preparer.duplicateCheckFull) {
    ledger.warn(
      `the duplicate check was full: it remembers at most ${ctx.limits.maxDuplicateKeys.toLocaleString("en-US")} keys (emails, phones, LinkedIn URLs), so later leads were checked against those only and other repeats among them were left to ${ctx.vendor}`,
    );
  }
  ledger.emitProgress();
  const report = ledger.report.finish(ledger.progress.read, ctx.dryRun);
  if (ledger.stopError !== undefined) {
    if (ledger.stopError instanceof LeadBridgeError) ledger.stopError.report = report;
    throw ledger.stopError;
  }
  return report;
}
