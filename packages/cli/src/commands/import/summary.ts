import type { Lead, Outcome } from "leadbridge";
import { droppedPhoneTip, noCountryCodeTip } from "../../country.js";
import { ExitCode } from "../../errors.js";
import { count, elapsed, type Style } from "../../term.js";
import type { CodeGroup, DroppedFields } from "./codes.js";
import { type Counts, OUTCOME_ORDER, type Sample } from "./ledger.js";

const MAX_WARNINGS_SHOWN = 5;
/** Outcomes that keep the exit code at 0: the lead is in the destination, or the user asked to skip it. */
const OK_OUTCOMES = new Set<Outcome>(["added", "duplicate", "skipped"]);

export interface Summary {
  destination: string;
  vendor: string;
  dryRun: boolean;
  sandbox: boolean;
  total: number;
  /** Rows a dry run would send (not in `counts`: `skipped` means a `--skip-if-*` flag). */
  wouldSend: number;
  counts: Counts;
  resumed: number;
  complete: boolean;
  /** Rows the import stopped before reading (also counted, and reported, as failed). */
  notRead: number;
  /** Rows this run read (resumed ones included), and leads it sent. */
  rowsRead: number;
  sent: number;
  interrupted: boolean;
  error?: string;
  report?: { path: string; rows: number };
  /** --results: the file with every row's outcome, and how many rows it has. */
  results?: { path: string; rows: number };
  journal?: string;
  durationMs: number;
  exitCode: number;
  /** Every row by code, largest group first: the counts add up to `total`. */
  reasons: CodeGroup[];
  /** Facts about whole batches or the call that no single row carries. */
  warnings: string[];
  samples: Sample[];
  firstLead?: Lead;
  stored?: number;
  /** The lists an import with --create-list or --overflow new-list used, and the leads this run added to each. */
  lists?: { id: string; name?: string; added: number }[];
  /** Rows not sent because a national phone number had no default country. */
  noCountryCode: number;
  /** Fields dropped as unusable, by field (the rows went on without them; --strict makes them invalid). */
  droppedFields: DroppedFields;
  /** Rows sent without a national phone number for lack of a default country. */
  droppedPhones: number;
}

/** How the run ended, for the exit code. */
export interface Ending {
  /** Why the import stopped early on a problem the user can fix (exit 2). */
  stop?: Error;
  interrupted: NodeJS.Signals | false;
  /** The call failed, or the input changed while read: some rows were not imported. */
  incomplete: boolean;
  total: Counts;
}

/** 0 when every lead is in (or skipped as asked), 1 when some are not, 2 for a usage problem, 130 interrupted. */
export function exitCodeFor({ stop, interrupted, incomplete, total }: Ending): number {
  if (stop) return ExitCode.usage;
  if (interrupted) return interrupted === "SIGTERM" ? 143 : ExitCode.interrupted;
  if (OUTCOME_ORDER.some((outcome) => !OK_OUTCOMES.has(outcome) && total[outcome] > 0)) return ExitCode.someNotAdded;
  return incomplete ? ExitCode.someNotAdded : ExitCode.ok;
}

export interface Printer {
  out: (line?: string) => void;
  o: Style;
  /** The command as typed, to run again. */
  rerun: string;
}

export function printSummary(s: Summary, mode: { json?: boolean; quiet?: boolean }, p: Printer): void {
  if (mode.json) printJson(s, p);
  else if (mode.quiet) printQuiet(s, p);
  else {
    if (s.dryRun) printDryRun(s, p);
    else printCounts(s, p);
    printNotes(s, p);
    printNextStep(s, p);
    p.out(p.o.dim(`  Took ${elapsed(s.durationMs)}.`));
  }
}

function printJson(s: Summary, { out, rerun }: Printer): void {
  out(summaryJson(s, rerun));
}

/** The summary as `--json` prints it. */
export function summaryJson(s: Summary, rerun: string): string {
  const { samples, firstLead, ...rest } = s;
  const json = {
    ...rest,
    ...(s.dryRun ? { invalidSamples: samples, firstLead } : {}),
    command: rerun,
  };
  return JSON.stringify(json, null, 2);
}

function printQuiet(s: Summary, { out, rerun }: Printer): void {
  const parts = [
    ...(s.dryRun ? [`${count(s.wouldSend)} would be sent`] : []),
    ...shownOutcomes(s)
      .filter((x) => !s.dryRun || x !== "added")
      .map((x) => `${count(s.counts[x])} ${x}`),
  ];
  const where = s.report ? ` Report: ${s.report.path}` : "";
  out(
    `${count(s.total)} leads: ${parts.join(", ")}.${where}${s.sandbox ? " (sandbox: nothing left this machine)" : ""}`,
  );
  if (s.interrupted) out(`${stoppedLine(s)} Resume with: ${rerun}`);
}

const shownOutcomes = (s: Summary) => OUTCOME_ORDER.filter((outcome) => outcome === "added" || s.counts[outcome] > 0);

function printDryRun(s: Summary, { out, o }: Printer): void {
  const valid = s.wouldSend;
  const bad = s.total - valid;
  const mark = bad === 0 ? o.green("✔") : o.yellow("!");
  out(`${mark} Dry run for ${s.destination}: nothing was sent.`);
  out(
    `  ${count(s.total)} rows read; ${o.bold(count(valid))} would be sent; ${bad ? o.yellow(count(bad)) : "0"} would not.`,
  );
  for (const outcome of OUTCOME_ORDER) {
    if (outcome !== "added" && s.counts[outcome] > 0) {
      out(`  ${outcome.padEnd(10)} ${count(s.counts[outcome]).padStart(8)}`);
    }
  }
  if (s.samples.length) {
    out("  First rows that would not be sent:");
    for (const x of s.samples) out(`    row ${x.rowNumber}: ${x.outcome}${x.reason ? ` — ${x.reason}` : ""}`);
  }
  printReasons(s, out);
  printDroppedFields(s, out);
  if (s.firstLead) out(`  First lead, as mapped: ${JSON.stringify(s.firstLead)}`);
}

function printCounts(s: Summary, { out, o }: Printer): void {
  const verb = s.interrupted ? "Stopped" : s.complete ? "Imported" : "Stopped";
  const mark = s.exitCode === 0 ? o.green("✔") : s.interrupted || !s.complete ? o.red("✖") : o.yellow("!");
  out(`${mark} ${verb}: ${count(s.counts.added)} of ${count(s.total)} leads added to ${s.destination}`);
  for (const outcome of shownOutcomes(s)) {
    const n = count(s.counts[outcome]).padStart(8);
    const colored = outcome === "added" ? o.green(n) : OK_OUTCOMES.has(outcome) ? n : o.red(n);
    out(`  ${outcome.padEnd(10)} ${colored}`);
  }
  if (s.lists && (s.lists.length > 1 || s.lists[0]?.name !== undefined)) {
    out(`  Lists used (${s.lists.length}):`);
    for (const list of s.lists)
      out(`    ${list.name ?? "(given)"} ${o.dim(list.id)}: ${count(list.added)} added by this run`);
  }
  if (s.resumed) out(o.dim(`  (${count(s.resumed)} of them were settled in an earlier run and not sent again)`));
  if (s.notRead) out(o.dim(`  (${count(s.notRead)} of the failed were never read: the import stopped before them)`));
  if (s.interrupted) out(`  ${stoppedLine(s)}`);
}

/** What a stopped run did and did not do: never "every lead was added". */
function stoppedLine(s: Summary): string {
  // A dry run does not read on to count the rest.
  const notRead = s.dryRun ? "the rest not read" : `${count(s.notRead)} not yet read`;
  return `Interrupted after reading ${count(s.rowsRead)} rows: ${count(s.sent)} sent, ${count(s.counts.added)} added, ${notRead}.`;
}

function printNotes(s: Summary, { out, o }: Printer): void {
  if (!s.dryRun) {
    printReasons(s, out);
    printDroppedFields(s, out);
  }
  if (s.report) {
    out(
      s.report.rows
        ? `  Report: ${count(s.report.rows)} rows not added, with row numbers and reasons → ${s.report.path}`
        : s.complete
          ? `  Report: every lead was added; ${s.report.path} has the header only`
          : `  Report: no row was refused before the import stopped; ${s.report.path} has the header only`,
    );
  } else if (s.total - s.counts.added > 0 && !s.dryRun && !s.results) {
    out(o.dim("  Add --report failures.csv to get every row that was not added, with its reason."));
  }
  if (s.results)
    out(`  Results: ${count(s.results.rows)} rows, each with its outcome and vendor lead id → ${s.results.path}`);
  for (const tip of [noCountryCodeTip(s.noCountryCode, count), droppedPhoneTip(s.droppedPhones, count)]) {
    if (tip) out(`  ${o.yellow("Tip:")} ${tip}`);
  }
  for (const warning of s.warnings.slice(0, MAX_WARNINGS_SHOWN)) out(`  ${o.yellow("Warning:")} ${warning}`);
  if (s.warnings.length > MAX_WARNINGS_SHOWN) {
    out(o.dim(`  (${count(s.warnings.length - MAX_WARNINGS_SHOWN)} more warnings: --json lists them all)`));
  }
  if (s.error) out(`  ${o.red("Error:")} ${s.error}`);
}

const MAX_SAMPLE_CHARS = 100;
const clipSample = (x: string) => (x.length > MAX_SAMPLE_CHARS ? `${x.slice(0, MAX_SAMPLE_CHARS - 1)}…` : x);

/** The rows not added (or, in a dry run, not to be sent), by code, with a sample reason or two: they add up. */
function printReasons(s: Summary, out: (line?: string) => void): void {
  const groups = s.reasons.filter((group) => group.outcome !== "added" && group.code !== "dry_run");
  if (!groups.length) return;
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  out(`  ${s.dryRun ? "Not to be sent" : "Not added"}, by reason (${count(total)} rows):`);
  for (const { code, outcome, count: n, samples } of groups) {
    out(`    ${count(n).padStart(6)} × ${code} (${outcome})`);
    for (const x of samples) out(`             e.g. ${clipSample(x)}`);
  }
}

/** Rows that went on without an unusable field, by field, with a sample or two: the groups add up. */
function printDroppedFields(s: Summary, out: (line?: string) => void): void {
  const { rows, total, byField } = s.droppedFields;
  if (rows === 0) return;
  const fields = total === rows ? "" : `, ${count(total)} fields`;
  const verb = s.dryRun ? "To be sent" : "Sent";
  out(`  ${verb} without an unusable field (${count(rows)} rows${fields}; --strict makes them invalid instead):`);
  for (const { field, count: n, samples } of byField) {
    out(`    ${count(n).padStart(6)} × ${field}`);
    for (const x of samples) out(`             e.g. ${clipSample(x)}`);
  }
}

function printNextStep(s: Summary, { out, o, rerun }: Printer): void {
  if (s.sandbox) {
    out(
      `  Sandbox: ${s.stored === undefined ? "" : `the simulator stored ${count(s.stored)} leads; `}nothing left this machine.`,
    );
  }
  const stopped = s.interrupted || (!s.complete && !s.dryRun);
  if (s.sandbox && (s.interrupted || !s.complete)) {
    out("  The sandbox ended with this run: a new run starts over in a new one.");
  } else if (stopped && !s.journal) {
    out("  No journal was kept (standard input without --journal): running again sends every row again.");
  } else if (stopped) {
    out(`  ${o.bold("Resume:")} run the same command again; settled rows are not sent again:`);
    out(`    ${rerun}`);
  }
}

/** The command as typed, quoted for a POSIX shell, so that it can be pasted back. */
export function commandLine(argv: string[]): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return ["leadbridge", ...argv].map(quote).join(" ");
}
