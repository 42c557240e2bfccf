import { type createLeadBridge, type Destination, MAX_CONCURRENCY } from "leadbridge";
import { resolveDefaultCountry } from "../../country.js";
import { UsageError } from "../../errors.js";
import type { InputFormat } from "../../input/index.js";
import { journalPathFor } from "../../journal.js";
import { checkCount, checkOutputs, isReport, MAX_ATTEMPTS } from "../../preflight.js";
import type { ProgressMode } from "../../progress.js";
import { redisUrlFor } from "../../redis.js";
import { reportFormat } from "../../report.js";
import { isResultsFile, resultsFormat } from "../../results-file.js";
import { baseUrlEnv, parseVendor, requireCredentials, type VendorName } from "../../vendors.js";
import type { Io } from "../context.js";
import { checkListFlags, placeholderDestination } from "./create-list.js";
import { parseDestination } from "./destination.js";
import { makeBridge } from "./failure.js";

/**
 * `leadbridge import`'s flags as Commander gives them. The destination flags (`--campaign`, `--type`,
 * `--skip-if-in-list`...) come from the vendors' descriptors: they are read by key, camel-cased.
 */
export interface ImportFlags {
  to?: string;
  map?: string[];
  customFields?: boolean;
  defaultCountry?: string;
  /** Any unusable field makes the row invalid, rather than dropped with a warning. */
  strict?: boolean;
  format?: string;
  delimiter?: string;
  maxRowSize?: number;
  dryRun?: boolean;
  quiet?: boolean;
  json?: boolean;
  /** --json with a `rows` array: every row as the results file has it. */
  jsonRows?: boolean;
  /** Every row's outcome, in row order, to this .csv or .jsonl file. */
  results?: string;
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
  /** Share pacing and the journal through this Redis (redis.ts). */
  redis?: string;
  redisTtl?: number;
  /** Create a lead list of this name and import into it (resumed runs reuse it). */
  createList?: string;
  /** Amplemarket: the owner's email of the list --create-list makes. */
  listOwner?: string;
  /** `new-list`: a full list rolls over to `<name> (2)`, … (Amplemarket). */
  overflow?: string;
  /** The destination flags of every vendor, by camel-cased flag. */
  [destinationFlag: string]: unknown;
}

/** Everything the flags decide, checked before any file is touched. */
export interface ImportPlan {
  file: string;
  flags: ImportFlags;
  vendor: VendorName;
  destination: Destination;
  format?: InputFormat;
  delimiter?: string;
  dryRun: boolean;
  sandboxed: boolean;
  baseUrl?: string;
  defaultCountry?: string;
  /** Made now (unless sandboxed), so that a bad --base-url is refused before any file is touched. */
  bridge?: ReturnType<typeof createLeadBridge>;
  /** No journal for a dry run or a sandbox run (never resumed, so it can never replace a real import's). */
  journalPath?: string;
  /** --redis or its environment variable, for a real import (not a dry run nor a sandbox). */
  redisUrl?: string;
  progress: ProgressMode;
}

/** Reads and checks the flags into a plan; a bad one is a UsageError (exit 2), and nothing is opened yet. */
export function readPlan(file: string, given: ImportFlags, io: Io): ImportPlan {
  const flags: ImportFlags = {
    ...given,
    defaultCountry: resolveDefaultCountry(given.defaultCountry, io.env),
    ...(given.jsonRows ? { json: true } : {}), // --json-rows is --json, with rows
  };
  const vendor = parseVendor(flags.to, (to) => `--to ${to}: unknown vendor.`);
  const destination =
    flags.createList !== undefined
      ? placeholderDestination(vendor, flags.createList, flags)
      : parseDestination(vendor, flags);
  checkListFlags(vendor, flags);
  if (flags.report) reportFormat(flags.report);
  if (flags.results) resultsFormat(flags.results);
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
  const bridge = sandboxed ? undefined : makeBridge({ ...(baseUrl ? { [vendor]: { baseUrl } } : {}), defaultCountry });
  const redisUrl = redisUrlFor(file, flags, io.env, dryRun || sandboxed);
  if (redisUrl && (flags.createList !== undefined || flags.overflow === "new-list"))
    throw new UsageError(
      `${flags.createList !== undefined ? "--create-list" : "--overflow new-list"} keeps the lists it creates beside a file journal, which --redis replaces: use one or the other.`,
    );
  const journalPath =
    dryRun || sandboxed || (redisUrl && file !== "-") ? undefined : journalPathFor(file, flags, destination);
  checkOutputs(
    file,
    [
      ...(flags.report ? [{ flag: "--report", path: flags.report, isOurs: isReport }] : []),
      ...(flags.results ? [{ flag: "--results", path: flags.results, isOurs: isResultsFile }] : []),
      ...(journalPath ? [{ flag: "--journal", path: journalPath, isOurs: () => true }] : []),
    ],
    flags.force === true,
  );
  const progress = pickProgressMode(flags, io);
  return {
    file,
    flags,
    vendor,
    destination,
    format,
    delimiter,
    dryRun,
    sandboxed,
    baseUrl,
    defaultCountry,
    bridge,
    journalPath,
    redisUrl,
    progress,
  };
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

function pickProgressMode(flags: ImportFlags, io: Io): ProgressMode {
  if (flags.quiet) return "none";
  const chosen = flags.progress ?? "auto";
  if (chosen === "auto") return io.stderr.isTTY && io.env.TERM !== "dumb" ? "bar" : "lines";
  if (chosen === "bar" || chosen === "lines" || chosen === "none") return chosen;
  throw new UsageError(`--progress ${chosen}: use auto, bar, lines or none.`);
}
