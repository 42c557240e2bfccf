import type { Outcome } from "leadbridge";
import { UsageError } from "./errors.js";

/** The journal's lines: what `Journal` writes and `load` reads back (the format is described in journal.ts). */
export const KIND = "leadbridge-import-journal";

export interface JournalHeader {
  kind: "leadbridge-import-journal";
  version: 2;
  fingerprint: string;
  input: string;
  destination: string;
  startedAt: string;
}

export interface JournalEntry {
  rowNumber: number;
  outcome: Outcome;
  reason?: string;
}

/** Outcomes a resumed run must not send again. */
export function isFinal(outcome: Outcome): boolean {
  return outcome !== "failed";
}

/** A set of row numbers as a growable bitmap: a million rows cost 125 KB. */
export class RowSet {
  private bits = new Uint8Array(1024);
  size = 0;
  has(row: number): boolean {
    return row >> 3 < this.bits.length && (this.bits[row >> 3]! & (1 << (row & 7))) !== 0;
  }
  add(row: number): boolean {
    if (row >> 3 >= this.bits.length) {
      let length = this.bits.length * 2;
      while (row >> 3 >= length) length *= 2;
      const grown = new Uint8Array(length);
      grown.set(this.bits);
      this.bits = grown;
    }
    if (this.has(row)) return false;
    this.bits[row >> 3]! |= 1 << (row & 7);
    this.size++;
    return true;
  }
  delete(row: number): boolean {
    if (!this.has(row)) return false;
    this.bits[row >> 3]! &= ~(1 << (row & 7));
    this.size--;
    return true;
  }
}

/** What earlier runs left: rows settled (not to send again), their outcomes when not added, rows in doubt. */
export interface ResumeState {
  rows: RowSet;
  notAdded: Map<number, { outcome: Outcome; reason?: string }>;
  /** Rows of batches that were being sent when a run died: the vendor may have stored them. */
  inDoubt: RowSet;
  batches: number;
  /** Whether the last line was torn (cut off). */
  torn: boolean;
}

type Ranges = Array<[number, number]>;

interface SettledLine {
  rows: Ranges;
  not?: Array<[number, Outcome] | [number, Outcome, string]>;
  free?: Ranges;
}

export function toRanges(rowNumbers: Iterable<number>): Ranges {
  const sorted = [...rowNumbers].sort((a, b) => a - b);
  const ranges: Ranges = [];
  for (const row of sorted) {
    const last = ranges.at(-1);
    if (last && row === last[1] + 1) last[1] = row;
    else if (!(last && row === last[1])) ranges.push([row, row]);
  }
  return ranges;
}

export function encodeBatch(entries: JournalEntry[]): SettledLine {
  const final = entries.filter((e) => isFinal(e.outcome));
  const line: SettledLine = { rows: toRanges(final.map((e) => e.rowNumber)) };
  const not = final
    .filter((e) => e.outcome !== "added")
    .map((e): [number, Outcome] | [number, Outcome, string] =>
      e.reason === undefined ? [e.rowNumber, e.outcome] : [e.rowNumber, e.outcome, e.reason],
    );
  if (not.length) line.not = not;
  const free = entries.filter((e) => !isFinal(e.outcome)).map((e) => e.rowNumber);
  if (free.length) line.free = toRanges(free);
  return line;
}

/**
 * Reads a journal's text. Only the last line may be unreadable (torn by a kill mid-write): it is
 * ignored, and `validBytes` says where the intact lines end. A bad line before the last is corruption.
 */
export function load(
  text: string,
  path = "the journal",
): { header: JournalHeader; resume: ResumeState; validBytes: number } {
  // A line is written whole, newline last: text after the last newline is a torn write, never trusted.
  const body = text.slice(0, text.lastIndexOf("\n") + 1);
  const lines = body.split("\n").slice(0, -1);
  let header: JournalHeader | undefined;
  try {
    header = JSON.parse(lines[0] ?? "");
  } catch {}
  if (header?.kind !== KIND) {
    throw new UsageError(
      `${path} is not a LeadBridge journal (or its first line is torn): it is left as it is.`,
      "Pass --journal <another path>, or --no-resume to replace it.",
    );
  }
  const resume: ResumeState = {
    rows: new RowSet(),
    notAdded: new Map(),
    inDoubt: new RowSet(),
    batches: 0,
    torn: body.length < text.length,
  };
  for (let i = 1; i < lines.length; i++) {
    let record: SettledLine & { sending?: Ranges };
    try {
      record = JSON.parse(lines[i]!);
    } catch {
      throw new UsageError(
        `${path} is damaged at line ${i + 1}: it cannot be resumed safely.`,
        "Pass --no-resume to start over (rows already sent would be sent again), or --journal <another path>.",
      );
    }
    if (record.sending) {
      for (const [first, end] of record.sending) for (let row = first; row <= end; row++) resume.inDoubt.add(row);
      continue;
    }
    resume.batches++;
    for (const [first, end] of record.rows ?? []) {
      for (let row = first; row <= end; row++) {
        resume.rows.add(row);
        resume.inDoubt.delete(row);
      }
    }
    for (const [first, end] of record.free ?? []) for (let row = first; row <= end; row++) resume.inDoubt.delete(row);
    for (const [row, outcome, reason] of record.not ?? []) {
      resume.notAdded.set(row, reason === undefined ? { outcome } : { outcome, reason });
    }
  }
  return { header, resume, validBytes: Buffer.byteLength(body) };
}
