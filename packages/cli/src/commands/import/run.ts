import {
  InputError as BrokenInputError,
  type createLeadBridge,
  type Destination,
  type Progress as FacadeProgress,
  LeadBridgeError,
} from "leadbridge";
import { ExitCode, type UsageError } from "../../errors.js";
import type { OpenedInput } from "../../input/index.js";
import type { ImportJournal, ResumeState } from "../../journal.js";
import type { Mapping } from "../../mapping.js";
import { Progress } from "../../progress.js";
import { maskRedisPasswords } from "../../redis.js";
import type { ReportWriter } from "../../report.js";
import type { Sandbox } from "../../sandbox.js";
import { colorEnabled, count, type Style } from "../../term.js";
import { describeDestination, descriptorOf, destinationKind } from "../../vendors.js";
import type { Io } from "../context.js";
import { destinationIdOf, type ListTarget, withListId } from "./create-list.js";
import { explainFailure, inputFailure } from "./failure.js";
import type { ImportPlan } from "./flags.js";
import { Ledger, OUTCOME_ORDER } from "./ledger.js";
import { Reading } from "./reading.js";
import { ImportResults } from "./results.js";
import { commandLine, exitCodeFor, printSummary, type Summary, summaryJson } from "./summary.js";

export interface RunContext {
  io: Io;
  plan: ImportPlan;
  input: OpenedInput;
  mapping: Mapping;
  bridge: ReturnType<typeof createLeadBridge>;
  abort: AbortController;
  journal?: ImportJournal;
  resume?: ResumeState;
  report?: ReportWriter;
  results?: ImportResults;
  sandbox?: Sandbox;
  /** The lists --create-list / --overflow new-list made or resumed into. */
  target?: ListTarget;
  started: number;
  e: Style;
  o: Style;
}

/** What the call left: its error (if any), its warnings, and whether Ctrl-C stopped it. */
interface CallEnd {
  failure?: unknown;
  warnings: string[];
  interrupted: NodeJS.Signals | false;
  /** Leads the facade sent (in batches that left), for the summary of a stopped import. */
  sent: number;
  /** Leads added, by the list they went to ("": the call's destination). */
  placed: Map<string, number>;
}

/** The lists of an import that created or rolled over lists, each with the leads this run added to it. */
function listsUsed(target: ListTarget, placed: Map<string, number>, destination: Destination) {
  const first = destinationIdOf(destination);
  const ids = [...new Set([first, ...target.lists.map((list) => list.id)])];
  return ids.map((id) => ({
    id,
    name: target.lists.find((list) => list.id === id)?.name,
    added: placed.get(id === first ? "" : id) ?? 0,
  }));
}

/** Leads the sandbox's simulator holds in every list this import used. */
function storedIn(ctx: RunContext): number {
  if (!ctx.target) return ctx.sandbox!.stored();
  const lists = ctx.target.lists.map((list) => list.id);
  const first = destinationIdOf(ctx.plan.destination);
  return [first, ...lists.filter((id) => id !== first)].reduce(
    (sum, id) => sum + ctx.sandbox!.stored(withListId(ctx.plan.destination, id)),
    0,
  );
}

/** Sends the input's rows, then summarises; returns the exit code. `--results` and `--json-rows` are opened here. */
export async function importRows(ctx: RunContext): Promise<number> {
  const results = ImportResults.open(
    ctx.plan,
    (record) => ctx.mapping.toLead(record),
    () => ctx.abort.abort(),
  );
  try {
    return await sendAndSummarise({ ...ctx, results });
  } finally {
    await results?.close();
  }
}

async function sendAndSummarise(ctx: RunContext): Promise<number> {
  const { plan, input, journal, report, results } = ctx;
  const ledger = new Ledger({ report, journal, results: results?.recorder });
  const reading = new Reading(plan, input, ctx.mapping, ledger, ctx.abort.signal, ctx.resume);
  const end = await runCall(ctx, ledger, reading);
  await journal?.drain?.(); // a journal in Redis: its last writes, and their errors, before the summary
  const { failure, warnings, interrupted } = end;

  // Wrong credentials, destination or options: a usage problem (exit 2). The journal and the report
  // still get what was settled, when runImport's finally closes them.
  const usage = failure === undefined ? undefined : explainFailure(failure, plan.destination);
  if (usage) throw usage;
  // The input broke mid-stream, or the journal or the report could not be written: exit 2, after the summary.
  const stopCause: UsageError | undefined =
    journal?.error ?? report?.error ?? results?.error ?? inputFailure(failure, input.name);
  if (failure !== undefined && !stopCause && !(failure instanceof LeadBridgeError)) throw failure;

  if (!reading.done && !(failure instanceof BrokenInputError) && !plan.dryRun) await reading.countUnread();
  // Written out before the summary, so that a failure to write its end is told (and is exit 2).
  await report?.close();
  await results?.finish();
  const unreadBytes = input.size !== undefined ? input.size - input.bytesRead() : undefined;
  const changed = reading.done && unreadBytes !== undefined && unreadBytes !== 0;
  if (changed) {
    warnings.push(
      `${input.name} changed while it was read: it had ${count(input.size!)} bytes when the import began, and ${count(input.bytesRead())} were read. Rows past that point were not read; check the file and run the command again.`,
    );
  } else if (failure instanceof BrokenInputError && unreadBytes) {
    warnings.push(`The rest of ${input.name} (${count(unreadBytes)} bytes after the error) was not read.`);
  }
  if (ledger.inDoubtReported > 0) warnings.push(inDoubtHint(plan, ledger.inDoubtReported));

  const total = ledger.total();
  const stop = stopCause ?? report?.error ?? results?.error;
  const exitCode = exitCodeFor({ stop, interrupted, incomplete: failure !== undefined || changed, total });
  const summary: Summary = {
    destination: describeDestination(plan.destination),
    vendor: plan.vendor,
    dryRun: plan.dryRun,
    sandbox: ctx.sandbox !== undefined,
    total: OUTCOME_ORDER.reduce((sum, outcome) => sum + total[outcome], 0),
    // A dry run's valid leads would be sent: `skipped` keeps its meaning (a --skip-if-* flag).
    counts: { ...total, skipped: total.skipped - ledger.wouldSend },
    wouldSend: ledger.wouldSend,
    resumed: ledger.resumed,
    complete: !interrupted && !failure && reading.done && !stop && !changed,
    notRead: ledger.notRead,
    rowsRead: reading.read,
    sent: end.sent,
    interrupted: interrupted !== false,
    error: stop
      ? `${stop.message}${stop.hint ? ` ${stop.hint}` : ""}`
      : failure instanceof Error
        ? failure.message
        : undefined,
    report: report ? { path: report.path, rows: report.written } : undefined,
    results: results?.file ? { path: results.file.path, rows: results.file.written } : undefined,
    journal: journal?.path,
    durationMs: Date.now() - ctx.started,
    exitCode,
    reasons: ledger.byCode(),
    warnings,
    samples: ledger.samples,
    firstLead: reading.firstLead,
    stored: ctx.sandbox && storedIn(ctx),
    ...(ctx.target ? { lists: listsUsed(ctx.target, end.placed, plan.destination) } : {}),
    noCountryCode: ledger.nationalPhones.rows,
    droppedFields: ledger.droppedFields(),
    droppedPhones: ledger.nationalPhones.dropped,
  };
  const out = (line = "") => ctx.io.stdout.write(`${line}\n`);
  const rerun = commandLine(maskRedisPasswords(ctx.io.argv));
  if (plan.flags.jsonRows) await results!.printJson(summaryJson(summary, rerun), ctx.io);
  else printSummary(summary, plan.flags, { out, o: ctx.o, rerun });
  return exitCode;
}

/** The facade's call, with progress, Ctrl-C handling and the journal kept up to date. */
async function runCall(ctx: RunContext, ledger: Ledger, reading: Reading): Promise<CallEnd> {
  const { plan, journal, abort } = ctx;
  const { flags } = plan;
  let facade: FacadeProgress = { read: 0, sent: 0, acknowledged: 0, settled: 0 };
  const progress = new Progress(
    {
      mode: plan.progress,
      stream: ctx.io.stderr,
      color: colorEnabled(ctx.io.stderr, ctx.io.env),
      label: plan.dryRun ? "Checking" : "Importing",
      lineIntervalMs: Number(ctx.io.env.LEADBRIDGE_PROGRESS_INTERVAL_MS) || undefined,
    },
    () => ({
      read: reading.read,
      sent: facade.sent,
      acked: facade.acknowledged,
      settled: facade.settled + ledger.settledHere,
      resumed: ledger.resumed,
      bytesRead: reading.position,
      size: ctx.input.size,
      readDone: reading.done,
    }),
  );
  const signals = watchSignals(ctx, progress);
  const end: CallEnd = { warnings: [], interrupted: false, sent: 0, placed: new Map() };
  progress.start();
  // A journal line per acknowledged batch; also flushed on a timer for leads settled before sending.
  // A write error is kept by the journal (journal.error): the import stops, and says so.
  const flushJournal = () => {
    try {
      journal?.flush();
    } catch {
      abort.abort();
    }
  };
  const flusher = setInterval(flushJournal, 1000);
  flusher.unref();
  try {
    const finished = await ctx.bridge.addLeads(plan.destination, reading.leads(), {
      ...(flags.overflow === "new-list"
        ? {
            overflow: "new-list" as const,
            destinationLeadCount: ctx.target?.heldAtStart,
            onDestination: (list) => ctx.target?.record(list),
          }
        : {}),
      dryRun: plan.dryRun,
      strict: flags.strict === true,
      keepResults: false,
      signal: abort.signal,
      batchSize: flags.batchSize,
      concurrency: flags.concurrency,
      retry: {
        ...(flags.maxAttempts !== undefined ? { maxAttempts: flags.maxAttempts } : {}),
        ...(flags.resendUnknown === true ? { retryUnknownOutcome: true } : {}),
      },
      checkDuplicates:
        flags.checkDuplicates === false
          ? false
          : flags.duplicateKeys !== undefined
            ? { maxKeys: flags.duplicateKeys }
            : undefined,
      onResult: (result) => {
        if (result.outcome === "added")
          end.placed.set(result.destinationId ?? "", (end.placed.get(result.destinationId ?? "") ?? 0) + 1);
        if (result.outcome === "failed") reading.stop = true; // the call is stopping: read no further
        ledger.settle(result);
      },
      // Written before the batch leaves: a kill during the request leaves its rows in doubt, not unsent.
      onBatchStart: journal
        ? ({ indexes, resendable }) =>
            journal.sending(
              indexes.map((i) => ledger.rowOfIndex(i)),
              resendable,
            )
        : undefined,
      onBatch: () => journal?.flush(),
      onProgress: (p) => {
        facade = p;
      },
    });
    end.warnings = finished.warnings;
  } catch (error) {
    end.failure = error;
    if (error instanceof LeadBridgeError) end.warnings = error.report?.warnings ?? [];
  } finally {
    clearInterval(flusher);
    end.interrupted = signals.off();
    end.sent = facade.sent;
    progress.stop();
    flushJournal();
  }
  return end;
}

/**
 * Ctrl-C: the first stops cleanly (in-flight batches settle, then journal and report are written);
 * a second one quits at once. `off` stops listening and says which signal stopped the import, if any.
 */
function watchSignals(ctx: RunContext, progress: Progress): { off(): NodeJS.Signals | false } {
  let interrupted: NodeJS.Signals | false = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      progress.stop();
      ctx.journal?.close();
      ctx.io.stderr.write("\nStopped immediately. The journal has every batch acknowledged so far.\n");
      process.exit(signal === "SIGTERM" ? 143 : ExitCode.interrupted);
    }
    interrupted = signal;
    ctx.abort.abort();
    progress.stop();
    ctx.io.stderr.write(
      `\n${ctx.e.yellow("Stopping:")} waiting for requests in flight to be answered… (press Ctrl-C again to quit now)\n`,
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    off() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      return interrupted;
    },
  };
}

/** Rows in doubt are reported (not resent) only for a vendor that does not deduplicate. */
function inDoubtHint(plan: ImportPlan, n: number): string {
  const where = `the ${destinationKind(plan.destination).kind}'s leads in ${descriptorOf(plan.vendor).displayName}`;
  return `${count(n)} rows were being sent when an earlier run stopped, and are reported unknown: check ${where} for them (the report lists them as "unknown"). To send them again anyway, run the same command with --resend-unknown.`;
}
