import { mkdirSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import {
  AuthenticationError,
  InputError as BrokenInputError,
  ConfigurationError,
  createLeadBridge,
  DEFAULT_MAX_DUPLICATE_KEYS,
  type Destination,
  type Progress as FacadeProgress,
  type Lead,
  LeadBridgeError,
  type LeadResult,
  MAX_CONCURRENCY,
  MissingCredentialsError,
  NotFoundError,
  type Outcome,
  PermissionError,
} from "leadbridge";
import { NationalPhones, noCountryCodeTip, resolveDefaultCountry } from "../country.js";
import { ExitCode, UsageError } from "../errors.js";
import { type InputFormat, type OpenedInput, openInput } from "../input/index.js";
import { fingerprint, hashFile, Journal, type ResumeState } from "../journal.js";
import { createMapping, customFieldNames, describeFields, type Mapping } from "../mapping.js";
import { checkCount, checkOutputs, isReport, MAX_ATTEMPTS } from "../preflight.js";
import { Progress, type ProgressMode } from "../progress.js";
import { ReportWriter, reportFormat } from "../report.js";
import { ResumedKeys } from "../resumed-keys.js";
import { RowNumbers } from "../row-numbers.js";
import { type Sandbox, startSandbox } from "../sandbox.js";
import { colorEnabled, count, elapsed, type Style, style } from "../term.js";
import {
  baseUrlEnv,
  CREDENTIAL_ENV,
  customFieldsNotice,
  DEDUPES,
  DISPLAY,
  describeDestination,
  VENDORS,
  type VendorName,
} from "../vendors.js";

export interface ImportFlags {
  to?: string;
  campaign?: string;
  list?: string;
  type?: string;
  pearl?: string;
  map?: string[];
  customFields?: boolean;
  defaultCountry?: string;
  format?: string;
  delimiter?: string;
  maxRowSize?: number;
  dryRun?: boolean;
  quiet?: boolean;
  json?: boolean;
  progress?: string;
  report?: string;
  journal?: string;
  resume?: boolean;
  sandbox?: boolean;
  baseUrl?: string;
  batchSize?: number;
  concurrency?: number;
  maxAttempts?: number;
  /** Resend rows whose outcome is unknown (sent, answer lost, or in flight when a run died). */
  resendUnknown?: boolean;
  /** Resume a journal of standard input: the user vouches that the same data is piped again. */
  resumeStdin?: boolean;
  /** Overwrite a --report or --journal file LeadBridge did not write. */
  force?: boolean;
  checkDuplicates?: boolean;
  duplicateKeys?: number;
  skipIfInWorkspace?: boolean;
  skipIfInCampaign?: boolean;
  skipIfInList?: boolean;
  verifyLeads?: boolean;
}

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** The command line as typed, for "re-run the same command" hints. */
  argv: string[];
}

const MAX_WARNINGS_SHOWN = 5;
const OUTCOME_ORDER: Outcome[] = ["added", "duplicate", "skipped", "invalid", "rejected", "failed", "unknown"];
/** Outcomes that keep the exit code at 0: the lead is in the destination, or the user asked to skip it. */
const OK_OUTCOMES = new Set<Outcome>(["added", "duplicate", "skipped"]);

type Counts = Record<Outcome, number>;
const zero = (): Counts => ({ added: 0, duplicate: 0, skipped: 0, invalid: 0, rejected: 0, failed: 0, unknown: 0 });

/** `leadbridge import`: the whole command, from flags to exit code. */
export async function runImport(file: string, given: ImportFlags, io: Io): Promise<number> {
  const started = Date.now();
  const flags = { ...given, defaultCountry: resolveDefaultCountry(given.defaultCountry, io.env) };
  const errColor = colorEnabled(io.stderr, io.env);
  const e = style(errColor);
  const o = style(colorEnabled(io.stdout, io.env));
  const info = (line: string) => {
    if (!flags.quiet && !flags.json) io.stderr.write(`${line}\n`);
  };

  // 1. Everything that can be checked without reading the input or the network.
  const vendor = parseVendor(flags.to);
  const destination = parseDestination(vendor, flags);
  if (flags.report) reportFormat(flags.report);
  const format = parseFormat(flags.format);
  const delimiter = parseDelimiter(flags.delimiter);
  const dryRun = flags.dryRun === true;
  const sandboxed = flags.sandbox === true;
  const baseUrl = flags.baseUrl ?? io.env[baseUrlEnv(vendor)];
  if (sandboxed && baseUrl) throw new UsageError("--sandbox and --base-url cannot be used together.");
  if (!sandboxed && !dryRun) requireCredentials(vendor, io.env);
  checkCount("--concurrency", flags.concurrency, MAX_CONCURRENCY);
  checkCount("--max-attempts", flags.maxAttempts, MAX_ATTEMPTS);
  const defaultCountry = flags.defaultCountry?.toUpperCase();
  // The bridge checks --base-url; made now, so that a bad one is refused before any file is touched.
  let bridge = sandboxed ? undefined : makeBridge({ ...(baseUrl ? { [vendor]: { baseUrl } } : {}), defaultCountry });
  // A sandbox run is never resumed: it keeps no journal (and so can never replace a real import's).
  const journalPath = dryRun || sandboxed ? undefined : journalPathFor(file, flags, destination);
  const force = flags.force === true;
  checkOutputs(
    file,
    [
      ...(flags.report ? [{ flag: "--report", path: flags.report, isOurs: isReport }] : []),
      ...(journalPath ? [{ flag: "--journal", path: journalPath, isOurs: () => true }] : []),
    ],
    force,
  );

  // 2. The input, up to its first data row, and the column mapping.
  const input = await openInput({ path: file, format, delimiter, maxRowSize: flags.maxRowSize });
  let sandbox: Sandbox | undefined;
  let journal: Journal | undefined;
  let report: ReportWriter | undefined;
  const abort = new AbortController();
  try {
    const mapping = createMapping(input.columns, { map: flags.map, customFields: flags.customFields });
    const unsent = customFieldsNotice(vendor, customFieldNames(mapping));
    for (const notice of [...input.notices, ...mapping.notices, ...(unsent ? [unsent] : [])]) {
      info(e.yellow(`! ${notice}`));
    }
    describeMapping(input, mapping, info, e);

    // 3. The journal: resume what an earlier run of this command acknowledged.
    let resume: ResumeState | undefined;
    if (journalPath) {
      // The target is part of the fingerprint: a --base-url typo must never skip rows of the real import.
      const print = await openJournal(journalPath, file, destination, flags, delimiter, baseUrl ?? "default");
      journal = print.journal;
      resume = print.resume;
      if (print.note) info(print.note);
    }

    report = flags.report
      ? new ReportWriter(flags.report, input.columns, { force, onError: () => abort.abort() })
      : undefined;

    // 4. Where the leads go.
    if (sandboxed) {
      sandbox = await startSandbox(vendor, destination);
      bridge = makeBridge({ ...sandbox.config, defaultCountry });
      const line = `Sandbox: importing into a local ${DISPLAY[vendor]} simulator at ${sandbox.url} — nothing leaves this machine.`;
      if (!flags.json) io.stderr.write(`${e.cyan(line)}\n`);
    }

    return await importRows({
      io,
      flags,
      input,
      mapping,
      destination,
      bridge: bridge!,
      abort,
      journal,
      resume,
      report,
      sandbox,
      started,
      dryRun,
      e,
      o,
    });
  } finally {
    input.close();
    journal?.close();
    await report?.close();
    await sandbox?.close();
  }
}

interface RunContext {
  io: Io;
  flags: ImportFlags;
  input: OpenedInput;
  mapping: Mapping;
  destination: Destination;
  bridge: ReturnType<typeof createLeadBridge>;
  abort: AbortController;
  journal?: Journal;
  resume?: ResumeState;
  report?: ReportWriter;
  sandbox?: Sandbox;
  started: number;
  dryRun: boolean;
  e: Style;
  o: Style;
}

async function importRows(ctx: RunContext): Promise<number> {
  const { io, flags, input, journal, resume, report, dryRun, abort } = ctx;
  const vendor = ctx.destination.vendor as VendorName;
  const counts = zero();
  const resumedCounts = zero();
  const reasons = new Map<string, number>();
  const samples: Array<{ rowNumber: number; outcome: Outcome; reason?: string }> = [];
  let read = 0;
  let position = 0;
  let resumed = 0;
  let readDone = false;
  let stopReading = false;
  let facade: FacadeProgress = { read: 0, sent: 0, acknowledged: 0, settled: 0 };
  let localSettled = 0;
  let firstLead: Lead | undefined;

  const notAdded = (
    rowNumber: number,
    outcome: Outcome,
    reason: string | undefined,
    record: Record<string, unknown>,
    raw?: string,
  ) => {
    if (outcome === "skipped" && reason === "dry_run") return;
    report?.write({ rowNumber, outcome, reason, record, raw });
    if (reason !== undefined && (reasons.size < 1000 || reasons.has(reason))) {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    if (samples.length < 10 && outcome !== "duplicate") samples.push({ rowNumber, outcome, reason });
  };

  // Leads in the facade's hands, by its input index: released as they settle, so memory stays flat.
  const inFlight = new Map<number, { rowNumber: number; record: Record<string, unknown>; raw?: string }>();
  let nextIndex = 0;
  const rows = new RowNumbers();
  const nationalPhones = new NationalPhones();
  const rowReason = (reason: string | undefined) =>
    reason === "input_error"
      ? "not sent: reading the input failed before this row's batch was sent"
      : reason &&
        nationalPhones
          .reason(reason)
          .replace(/\blead (\d+) of this call\b/, (_, n: string) => `row ${rows.rowOf(Number(n)) ?? "?"}`);

  // Rows an earlier run settled are not sent again; rows it left in doubt are resent only where the
  // vendor deduplicates, or when the user asks; their keys feed the duplicate check across runs.
  const resend = flags.resendUnknown === true;
  const resendInDoubt = resend || DEDUPES[vendor];
  const earlierKeys =
    resume && flags.checkDuplicates !== false
      ? new ResumedKeys(
          flags.duplicateKeys ?? DEFAULT_MAX_DUPLICATE_KEYS,
          ctx.destination,
          flags.defaultCountry?.toUpperCase(),
        )
      : undefined;
  let inDoubtReported = 0;
  const rowsLeft = input.rows[Symbol.asyncIterator]();
  async function* leads(): AsyncGenerator<Lead> {
    // Not `for await`: leaving early must not close the input, whose unread rows are counted afterwards.
    for (;;) {
      if (stopReading || abort.signal.aborted) return;
      const next = await rowsLeft.next();
      if (next.done) break;
      const row = next.value;
      read++;
      position = row.offset;
      const earlier = resume?.rows.has(row.rowNumber)
        ? (resume.notAdded.get(row.rowNumber) ?? { outcome: "added" as const })
        : undefined;
      if (earlier && !(resend && earlier.outcome === "unknown")) {
        resumed++;
        resumedCounts[earlier.outcome]++;
        if (earlier.outcome !== "added") notAdded(row.rowNumber, earlier.outcome, earlier.reason, row.record, row.raw);
        if (earlierKeys && !row.problem) earlierKeys.add(ctx.mapping.toLead(row.record), row.rowNumber);
      } else if (!earlier && resume?.inDoubt.has(row.rowNumber) && !resendInDoubt) {
        resumed++;
        inDoubtReported++;
        resumedCounts.unknown++;
        notAdded(row.rowNumber, "unknown", inDoubtReason(vendor), row.record, row.raw);
        if (earlierKeys && !row.problem) earlierKeys.add(ctx.mapping.toLead(row.record), row.rowNumber);
      } else if (row.problem) {
        settleHere(row.rowNumber, "invalid", row.problem, row);
      } else {
        const lead = ctx.mapping.toLead(row.record);
        const repeat = earlierKeys?.match(lead);
        if (repeat) {
          settleHere(
            row.rowNumber,
            "duplicate",
            `same ${repeat.kind} as row ${repeat.rowNumber} (an earlier run); not sent`,
            row,
          );
        } else {
          firstLead ??= lead;
          rows.push(row.rowNumber);
          inFlight.set(nextIndex++, { rowNumber: row.rowNumber, record: row.record, raw: row.raw });
          yield lead;
        }
      }
    }
    readDone = true;
  }
  /** A row settled by the CLI itself, never handed to the facade. */
  const settleHere = (
    rowNumber: number,
    outcome: Outcome,
    reason: string,
    row: { record: Record<string, unknown>; raw?: string },
  ) => {
    counts[outcome]++;
    localSettled++;
    notAdded(rowNumber, outcome, reason, row.record, row.raw);
    journal?.add({ rowNumber, outcome, reason });
  };

  const onResult = (result: LeadResult) => {
    const entry = inFlight.get(result.index);
    if (!entry) return;
    inFlight.delete(result.index);
    counts[result.outcome]++;
    if (result.outcome === "failed") stopReading = true; // the call is stopping: read no further
    const reason = rowReason(result.reason);
    if (result.outcome !== "added") notAdded(entry.rowNumber, result.outcome, reason, entry.record, entry.raw);
    journal?.add({ rowNumber: entry.rowNumber, outcome: result.outcome, reason });
  };

  const progressMode = pickProgressMode(flags, io);
  const progress = new Progress(
    {
      mode: progressMode,
      stream: io.stderr,
      color: colorEnabled(io.stderr, io.env),
      label: dryRun ? "Checking" : "Importing",
      lineIntervalMs: Number(io.env.LEADBRIDGE_PROGRESS_INTERVAL_MS) || undefined,
    },
    () => ({
      read,
      sent: facade.sent,
      acked: facade.acknowledged,
      settled: facade.settled + localSettled,
      resumed,
      bytesRead: position,
      size: input.size,
      readDone,
    }),
  );

  // Ctrl-C: the first stops cleanly (in-flight batches settle, then journal and report are written);
  // a second one quits at once.
  let interrupted: NodeJS.Signals | false = false;
  const onSigint = (signal: NodeJS.Signals) => {
    if (interrupted) {
      progress.stop();
      journal?.close();
      io.stderr.write("\nStopped immediately. The journal has every batch acknowledged so far.\n");
      process.exit(signal === "SIGTERM" ? 143 : ExitCode.interrupted);
    }
    interrupted = signal;
    abort.abort();
    progress.stop();
    io.stderr.write(
      `\n${ctx.e.yellow("Stopping:")} waiting for requests in flight to be answered… (press Ctrl-C again to quit now)\n`,
    );
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);

  let failure: unknown;
  let warnings: string[] = [];
  progress.start();
  // A journal line per acknowledged batch; also flushed on a timer for leads settled before sending.
  // A write error is kept by the journal (journal.error): the import stops, and says so below.
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
    const finished = await ctx.bridge.addLeads(ctx.destination, leads(), {
      dryRun,
      keepResults: false,
      signal: abort.signal,
      batchSize: flags.batchSize,
      concurrency: flags.concurrency,
      retry: {
        ...(flags.maxAttempts !== undefined ? { maxAttempts: flags.maxAttempts } : {}),
        ...(resend ? { retryUnknownOutcome: true } : {}),
      },
      checkDuplicates:
        flags.checkDuplicates === false
          ? false
          : flags.duplicateKeys !== undefined
            ? { maxKeys: flags.duplicateKeys }
            : undefined,
      onResult,
      // Written before the batch leaves: a kill during the request leaves its rows in doubt, not unsent.
      onBatchStart: journal
        ? ({ indexes }) => journal.sending(indexes.map((index) => inFlight.get(index)?.rowNumber ?? 0))
        : undefined,
      onBatch: () => journal?.flush(),
      onProgress: (p) => {
        facade = p;
      },
    });
    warnings = finished.warnings;
  } catch (error) {
    failure = error;
    if (error instanceof LeadBridgeError) warnings = error.report?.warnings ?? [];
  } finally {
    clearInterval(flusher);
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
    progress.stop();
    flushJournal();
  }

  // Wrong credentials, destination or options: a usage problem (exit 2). The journal and the report
  // still get what was settled, when the runImport's finally closes them.
  const usage = failure === undefined ? undefined : explainFailure(failure, ctx);
  if (usage) throw usage;
  // The input broke mid-stream, or the journal or the report could not be written: exit 2, after the summary.
  const stopCause: UsageError | undefined =
    journal?.error ??
    report?.error ??
    (failure instanceof BrokenInputError
      ? failure.cause instanceof UsageError
        ? failure.cause
        : new UsageError(`Cannot read ${input.name}: ${String((failure.cause as Error)?.message ?? failure.cause)}`)
      : undefined);
  if (failure !== undefined && !stopCause && !(failure instanceof LeadBridgeError)) throw failure;

  // Rows never read: counted (and reported as not sent) so that the summary covers the whole file.
  let notRead = 0;
  if (!readDone && !(failure instanceof BrokenInputError) && !dryRun) {
    try {
      for (let next = await rowsLeft.next(); !next.done; next = await rowsLeft.next()) {
        notRead++;
        counts.failed++;
        notAdded(next.value.rowNumber, "failed", NOT_READ, next.value.record, next.value.raw);
      }
    } catch {
      // The rest cannot be read: it is stated below as unread bytes.
    }
  }
  // Written out before the summary, so that a failure to write its end is told (and is exit 2).
  await report?.close();
  const reportError = report?.error;
  const unreadBytes = input.size !== undefined ? input.size - input.bytesRead() : undefined;
  const changed = readDone && unreadBytes !== undefined && unreadBytes !== 0;
  if (changed) {
    warnings.push(
      `${input.name} changed while it was read: it had ${count(input.size!)} bytes when the import began, and ${count(input.bytesRead())} were read. Rows past that point were not read; check the file and run the command again.`,
    );
  } else if (failure instanceof BrokenInputError && unreadBytes) {
    warnings.push(`The rest of ${input.name} (${count(unreadBytes)} bytes after the error) was not read.`);
  }
  if (inDoubtReported > 0) warnings.push(inDoubtHint(vendor, inDoubtReported));

  const total = zero();
  for (const outcome of OUTCOME_ORDER) total[outcome] = counts[outcome] + resumedCounts[outcome];
  const leadsTotal = OUTCOME_ORDER.reduce((sum, outcome) => sum + total[outcome], 0);
  const stop = stopCause ?? reportError;
  const exit = stop
    ? ExitCode.usage
    : interrupted
      ? interrupted === "SIGTERM"
        ? 143
        : ExitCode.interrupted
      : OUTCOME_ORDER.some((outcome) => !OK_OUTCOMES.has(outcome) && total[outcome] > 0)
        ? ExitCode.someNotAdded
        : failure || changed
          ? ExitCode.someNotAdded
          : ExitCode.ok;

  const summary: Summary = {
    destination: describeDestination(ctx.destination),
    vendor: ctx.destination.vendor,
    dryRun,
    sandbox: ctx.sandbox !== undefined,
    total: leadsTotal,
    counts: total,
    resumed,
    complete: !interrupted && !failure && readDone && !stop && !changed,
    notRead,
    interrupted: interrupted !== false,
    error: stop
      ? `${stop.message}${stop.hint ? ` ${stop.hint}` : ""}`
      : failure instanceof Error
        ? failure.message
        : undefined,
    report: ctx.report ? { path: ctx.report.path, rows: ctx.report.written } : undefined,
    journal: ctx.journal?.path,
    durationMs: Date.now() - ctx.started,
    exitCode: exit,
    reasons: [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5),
    warnings,
    samples,
    firstLead,
    stored: ctx.sandbox?.stored(),
    noCountryCode: nationalPhones.rows,
  };
  printSummary(summary, ctx);
  return exit;
}

interface Summary {
  destination: string;
  vendor: string;
  dryRun: boolean;
  sandbox: boolean;
  total: number;
  counts: Counts;
  resumed: number;
  complete: boolean;
  /** Rows the import stopped before reading (also counted, and reported, as failed). */
  notRead: number;
  interrupted: boolean;
  error?: string;
  report?: { path: string; rows: number };
  journal?: string;
  durationMs: number;
  exitCode: number;
  reasons: Array<[string, number]>;
  /** Facts about whole batches or the call that no single row carries. */
  warnings: string[];
  samples: Array<{ rowNumber: number; outcome: Outcome; reason?: string }>;
  firstLead?: Lead;
  stored?: number;
  /** Rows not sent because a national phone number had no default country. */
  noCountryCode: number;
}

function printSummary(s: Summary, ctx: RunContext): void {
  const { io, flags, o } = ctx;
  const out = (line = "") => io.stdout.write(`${line}\n`);
  const rerun = commandLine(io.argv);
  if (flags.json) {
    const { samples, firstLead, reasons, ...rest } = s;
    out(
      JSON.stringify(
        {
          ...rest,
          reasons: Object.fromEntries(reasons),
          ...(s.dryRun ? { invalidSamples: samples, firstLead } : {}),
          command: rerun,
        },
        null,
        2,
      ),
    );
    return;
  }
  const shown = OUTCOME_ORDER.filter((outcome) => outcome === "added" || s.counts[outcome] > 0);
  if (flags.quiet) {
    const parts = (s.dryRun ? OUTCOME_ORDER.filter((x) => x !== "added") : shown)
      .filter((x) => s.counts[x] > 0 || x === "added")
      .map((x) => `${count(s.counts[x])} ${s.dryRun && x === "skipped" ? "valid" : x}`);
    const where = s.report ? ` Report: ${s.report.path}` : "";
    out(
      `${count(s.total)} leads: ${parts.join(", ")}.${where}${s.sandbox ? " (sandbox: nothing left this machine)" : ""}`,
    );
    if (s.interrupted) out(`Interrupted. Resume with: ${rerun}`);
    return;
  }

  const notAdded = s.total - s.counts.added;
  if (s.dryRun) {
    const valid = s.counts.skipped;
    const bad = s.total - valid;
    const mark = bad === 0 ? o.green("✔") : o.yellow("!");
    out(`${mark} Dry run for ${s.destination}: nothing was sent.`);
    out(
      `  ${count(s.total)} rows read; ${o.bold(count(valid))} would be sent; ${bad ? o.yellow(count(bad)) : "0"} would not.`,
    );
    for (const outcome of OUTCOME_ORDER) {
      if (outcome !== "skipped" && outcome !== "added" && s.counts[outcome] > 0) {
        out(`  ${outcome.padEnd(10)} ${count(s.counts[outcome]).padStart(8)}`);
      }
    }
    if (s.samples.length) {
      out("  First rows that would not be sent:");
      for (const x of s.samples) out(`    row ${x.rowNumber}: ${x.outcome}${x.reason ? ` — ${x.reason}` : ""}`);
    }
    if (s.firstLead) out(`  First lead, as mapped: ${JSON.stringify(s.firstLead)}`);
  } else {
    const verb = s.interrupted ? "Stopped" : s.complete ? "Imported" : "Stopped";
    const mark = s.exitCode === 0 ? o.green("✔") : s.interrupted || !s.complete ? o.red("✖") : o.yellow("!");
    out(`${mark} ${verb}: ${count(s.counts.added)} of ${count(s.total)} leads added to ${s.destination}`);
    for (const outcome of shown) {
      const n = count(s.counts[outcome]).padStart(8);
      const colored = outcome === "added" ? o.green(n) : OK_OUTCOMES.has(outcome) ? n : o.red(n);
      out(`  ${outcome.padEnd(10)} ${colored}`);
    }
    if (s.resumed) out(o.dim(`  (${count(s.resumed)} of them were settled in an earlier run and not sent again)`));
    if (s.notRead) out(o.dim(`  (${count(s.notRead)} of the failed were never read: the import stopped before them)`));
  }
  if (s.reasons.length && !s.dryRun) {
    out("  Most common reasons:");
    for (const [reason, n] of s.reasons.slice(0, 3)) out(`    ${count(n).padStart(6)} × ${reason}`);
  }
  if (s.report) {
    out(
      s.report.rows
        ? `  Report: ${count(s.report.rows)} rows not added, with row numbers and reasons → ${s.report.path}`
        : `  Report: every lead was added; ${s.report.path} has the header only`,
    );
  } else if (notAdded > 0 && !s.dryRun) {
    out(o.dim("  Add --report failures.csv to get every row that was not added, with its reason."));
  }
  const countryTip = noCountryCodeTip(s.noCountryCode, count);
  if (countryTip) out(`  ${o.yellow("Tip:")} ${countryTip}`);
  for (const warning of s.warnings.slice(0, MAX_WARNINGS_SHOWN)) out(`  ${o.yellow("Warning:")} ${warning}`);
  if (s.warnings.length > MAX_WARNINGS_SHOWN) {
    out(o.dim(`  (${count(s.warnings.length - MAX_WARNINGS_SHOWN)} more warnings: --json lists them all)`));
  }
  if (s.error) out(`  ${o.red("Error:")} ${s.error}`);
  if (s.sandbox) {
    out(
      `  Sandbox: ${s.stored === undefined ? "" : `the simulator stored ${count(s.stored)} leads; `}nothing left this machine.`,
    );
  }
  if (s.sandbox && (s.interrupted || !s.complete)) {
    out("  The sandbox ended with this run: a new run starts over in a new one.");
  } else if ((s.interrupted || (!s.complete && !s.dryRun)) && !s.journal) {
    out("  No journal was kept (standard input without --journal): running again sends every row again.");
  } else if (s.interrupted || (!s.complete && !s.dryRun)) {
    out(`  ${o.bold("Resume:")} run the same command again; settled rows are not sent again:`);
    out(`    ${rerun}`);
  }
  out(o.dim(`  Took ${elapsed(s.durationMs)}.`));
}

const NOT_READ = "not sent: the import stopped before reading this row";

function inDoubtReason(vendor: VendorName): string {
  return `sent by an earlier run that stopped before ${DISPLAY[vendor]} answered, so whether it was added is unknown; ${DISPLAY[vendor]} does not deduplicate, so it was not sent again (--resend-unknown sends it)`;
}

function inDoubtHint(vendor: VendorName, n: number): string {
  const check = vendor === "nlpearl" ? "the pearl's leads in NLPearl" : "the destination";
  return `${count(n)} rows were being sent when an earlier run stopped, and are reported unknown: check ${check} for them (the report lists them as "unknown"). To send them again anyway, run the same command with --resend-unknown.`;
}

function makeBridge(config: Parameters<typeof createLeadBridge>[0]) {
  try {
    return createLeadBridge(config);
  } catch (error) {
    if (error instanceof ConfigurationError && /baseUrl/.test(error.message)) {
      throw new UsageError(
        `--base-url: ${error.message.replace(/^\w+\.baseUrl/, "the URL")}.`,
        "Use the vendor's https URL, or http only on a loopback address (127.0.0.1, ::1, localhost).",
      );
    }
    throw error;
  }
}

function explainFailure(error: unknown, ctx: RunContext): UsageError | undefined {
  const vendor = ctx.destination.vendor as VendorName;
  const name = DISPLAY[vendor];
  if (error instanceof MissingCredentialsError) return missingCredentials(vendor, CREDENTIAL_ENV[vendor]);
  if (error instanceof AuthenticationError) {
    return new UsageError(
      `${name} refused the credentials (401). Check ${CREDENTIAL_ENV[vendor].join(" and ")}.`,
      "Or try --sandbox to import into a local simulator.",
    );
  }
  if (error instanceof PermissionError) return new UsageError(error.message);
  if (error instanceof NotFoundError) {
    return new UsageError(`${describeDestination(ctx.destination)} was not found at ${name}.`, destinationHint(vendor));
  }
  if (error instanceof ConfigurationError) {
    return new UsageError(error.message.replace("batchSize", "--batch-size").replace("concurrency", "--concurrency"));
  }
  return undefined;
}

function destinationHint(vendor: VendorName): string {
  return {
    instantly: "Check --campaign or --list: the id is in the campaign's or list's URL in Instantly.",
    amplemarket: "Check --list and --type.",
    nlpearl: "Check --pearl.",
  }[vendor];
}

// ---- flags -----------------------------------------------------------------------------------

function parseVendor(to: string | undefined): VendorName {
  if (!to) throw new UsageError("Missing --to <vendor>.", `Vendors: ${VENDORS.join(", ")}.`);
  const vendor = to.toLowerCase();
  if (!(VENDORS as readonly string[]).includes(vendor)) {
    throw new UsageError(`--to ${to}: unknown vendor.`, `Vendors: ${VENDORS.join(", ")}.`);
  }
  return vendor as VendorName;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseDestination(vendor: VendorName, flags: ImportFlags): Destination {
  const not = (flag: string, value: unknown) => {
    if (value !== undefined)
      throw new UsageError(`${flag} does not apply to ${DISPLAY[vendor]}.`, destinationUsage(vendor));
  };
  const instantlyOnly = {
    "--skip-if-in-workspace": flags.skipIfInWorkspace,
    "--skip-if-in-campaign": flags.skipIfInCampaign,
    "--skip-if-in-list": flags.skipIfInList,
    "--verify-leads": flags.verifyLeads,
  };
  if (vendor !== "instantly") for (const [flag, value] of Object.entries(instantlyOnly)) not(flag, value);
  switch (vendor) {
    case "instantly": {
      not("--type", flags.type);
      not("--pearl", flags.pearl);
      if ((flags.campaign === undefined) === (flags.list === undefined)) {
        throw new UsageError(
          flags.campaign === undefined
            ? "Missing --campaign <id> or --list <id>."
            : "Use --campaign or --list, not both.",
          destinationUsage(vendor),
        );
      }
      const [flag, id] = flags.campaign !== undefined ? ["--campaign", flags.campaign] : ["--list", flags.list!];
      if (!UUID.test(id)) {
        throw new UsageError(`${flag} ${id}: Instantly ids are UUIDs, like 019e0e3e-b690-71a9-b399-fbf49894dded.`);
      }
      const options = {
        skipIfInWorkspace: flags.skipIfInWorkspace,
        skipIfInCampaign: flags.skipIfInCampaign,
        skipIfInList: flags.skipIfInList,
        verifyLeadsOnImport: flags.verifyLeads,
      };
      const clean = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
      return flags.campaign !== undefined
        ? { vendor, campaignId: flags.campaign, ...clean }
        : { vendor, listId: flags.list!, ...clean };
    }
    case "amplemarket": {
      not("--campaign", flags.campaign);
      not("--pearl", flags.pearl);
      if (flags.list === undefined) throw new UsageError("Missing --list <id>.", destinationUsage(vendor));
      const types = ["email", "linkedin", "titles_and_company"] as const;
      if (flags.type === undefined) {
        throw new UsageError("Missing --type: the Amplemarket list's type.", `Types: ${types.join(", ")}.`);
      }
      const type = types.find((t) => t === flags.type);
      if (!type) throw new UsageError(`--type ${flags.type}: unknown list type.`, `Types: ${types.join(", ")}.`);
      return { vendor, listId: flags.list, type };
    }
    case "nlpearl": {
      not("--campaign", flags.campaign);
      not("--list", flags.list);
      not("--type", flags.type);
      if (flags.pearl === undefined) throw new UsageError("Missing --pearl <id>.", destinationUsage(vendor));
      return { vendor, pearlId: flags.pearl };
    }
  }
}

function destinationUsage(vendor: VendorName): string {
  return {
    instantly: "Instantly: --campaign <id> or --list <id>.",
    amplemarket: "Amplemarket: --list <id> --type email|linkedin|titles_and_company.",
    nlpearl: "NLPearl: --pearl <id>.",
  }[vendor];
}

function parseFormat(format: string | undefined): InputFormat | undefined {
  if (format === undefined) return undefined;
  const f = format.toLowerCase();
  if (f === "csv" || f === "tsv") return "csv";
  if (f === "jsonl" || f === "ndjson" || f === "json") return "jsonl";
  throw new UsageError(`--format ${format}: use csv or jsonl.`);
}

function parseDelimiter(delimiter: string | undefined): string | undefined {
  if (delimiter === undefined) return undefined;
  const named: Record<string, string> = { "\\t": "\t", tab: "\t", comma: ",", semicolon: ";", pipe: "|" };
  const d = named[delimiter.toLowerCase()] ?? delimiter;
  if (d.length !== 1)
    throw new UsageError(`--delimiter ${JSON.stringify(delimiter)}: use one character, e.g. ";" or '\\t'.`);
  return d;
}

function requireCredentials(vendor: VendorName, env: NodeJS.ProcessEnv): void {
  const missing = CREDENTIAL_ENV[vendor].filter((name) => !env[name]?.trim());
  if (missing.length) throw missingCredentials(vendor, missing);
}

function missingCredentials(vendor: VendorName, missing: readonly string[]): UsageError {
  const names = missing.join(" and ");
  return new UsageError(
    `Missing ${names}. Set ${missing.length > 1 ? "them" : "it"}, or try --sandbox to import into a local simulator.`,
    `${DISPLAY[vendor]} credentials come from the environment only, e.g. export ${missing[0]}=...; use --dry-run to check a file without them.`,
  );
}

function pickProgressMode(flags: ImportFlags, io: Io): ProgressMode {
  if (flags.quiet) return "none";
  const chosen = flags.progress ?? "auto";
  if (chosen === "auto") return io.stderr.isTTY && io.env.TERM !== "dumb" ? "bar" : "lines";
  if (chosen === "bar" || chosen === "lines" || chosen === "none") return chosen;
  throw new UsageError(`--progress ${chosen}: use auto, bar, lines or none.`);
}

// ---- journal ---------------------------------------------------------------------------------

/** Beside the report (`x.csv` → `x.journal.jsonl`), at --journal, or under .leadbridge/ for a file input. */
function journalPathFor(file: string, flags: ImportFlags, destination: Destination): string | undefined {
  if (flags.journal) return flags.journal;
  if (flags.report) {
    const ext = extname(flags.report);
    return join(dirname(flags.report), `${basename(flags.report, ext)}.journal.jsonl`);
  }
  if (file === "-") return undefined; // standard input has no identity to resume by; --journal opts in
  const key = fingerprint({ file: resolve(file), destination }).slice(0, 12);
  const dir = ".leadbridge";
  mkdirSync(dir, { recursive: true });
  return join(dir, `${basename(file)}-${key}.journal.jsonl`);
}

async function openJournal(
  path: string,
  file: string,
  destination: Destination,
  flags: ImportFlags,
  delimiter: string | undefined,
  target: string,
) {
  const content = file === "-" ? "stdin" : await hashFile(file);
  const print = fingerprint({
    v: 1,
    content,
    destination,
    target,
    map: flags.map ?? [],
    customFields: flags.customFields !== false,
    defaultCountry: flags.defaultCountry?.toUpperCase() ?? null,
    format: flags.format ?? null,
    delimiter: delimiter ?? null,
  });
  mkdirSync(dirname(path), { recursive: true });
  const { journal, result } = Journal.open(
    path,
    { fingerprint: print, input: file === "-" ? "-" : resolve(file), destination: describeDestination(destination) },
    {
      fresh: flags.resume === false,
      force: flags.force === true,
      // What is piped in cannot be checked against the earlier run's input: the user must vouch for it.
      refuseResume:
        file === "-" && flags.resumeStdin !== true
          ? new UsageError(
              `The journal ${path} is of an earlier import from standard input; LeadBridge cannot check that the same data is piped in again.`,
              "If it is the same data, pass --resume-stdin to resume; otherwise pass --no-resume to start over (replacing that journal), or --journal <another path>.",
            )
          : undefined,
    },
  );
  let note: string | undefined;
  if (result.state === "resumed") {
    const { resume } = result;
    note = `Resuming: journal ${path} has ${count(resume.rows.size)} settled rows from ${count(resume.batches)} batches; they are not sent again.`;
    if (resume.inDoubt.size) note += ` ${count(resume.inDoubt.size)} rows were being sent when it stopped.`;
    if (resume.torn) note += " Its last line was torn (the process was killed while writing it) and is ignored.";
  }
  return { journal, resume: result.state === "resumed" ? result.resume : undefined, note };
}

// ---- display helpers -------------------------------------------------------------------------

function describeMapping(input: OpenedInput, mapping: Mapping, info: (line: string) => void, e: Style): void {
  if (!input.columns) {
    info(e.dim(`Reading ${input.name} as JSON Lines; keys are matched to lead fields as they appear.`));
    return;
  }
  const pairs = describeFields(mapping.fields);
  info(`Columns: ${pairs.length ? pairs.join(", ") : e.yellow("none recognised (see --map)")}`);
  if (mapping.custom.length) info(e.dim(`Custom fields: ${names(mapping.custom)}`));
  if (mapping.dropped.length) info(e.dim(`Not imported: ${names(mapping.dropped)}`));
}

/** Column names for one line: a wide header is summarised, not printed whole. */
function names(columns: string[], shown = 20): string {
  if (columns.length <= shown) return columns.join(", ");
  return `${columns.slice(0, shown).join(", ")}, … and ${count(columns.length - shown)} more (${count(columns.length)} in all)`;
}

/** The command as typed, quoted for a POSIX shell, so that it can be pasted back. */
export function commandLine(argv: string[]): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return ["leadbridge", ...argv].map(quote).join(" ");
}
