import { createHash } from "node:crypto";
import { closeSync, createReadStream, ftruncateSync, readFileSync, writeSync } from "node:fs";
import type { Outcome } from "leadbridge";
import { UsageError } from "./errors.js";
import { checkOutput, openOutput } from "./files.js";
import { JournalLock } from "./lock.js";

/**
 * The resume journal: append-only JSON Lines, written with synchronous writes (a killed process leaves
 * every line written so far on disk). The first line names what it belongs to (a fingerprint of the
 * input's content, the destination and the options that change what is sent). Then, in order:
 *
 * - `{"sending": ranges}`: a batch's rows, written before its first request leaves. Until a later line
 *   settles them they are *in doubt*: the vendor may or may not have them.
 * - `{"rows": ranges, "not"?: [[row, outcome, reason?]], "free"?: ranges}`: settled rows. `rows` are
 *   final (added, or not added for a reason in `not`); `free` rows were never stored (`failed`), so a
 *   resumed run sends them again.
 *
 * A torn last line (a kill mid-write) is cut off before the journal is appended to, so only the rows of
 * that one line can be in doubt.
 */
export interface JournalHeader {
  kind: "leadbridge-import-journal";
  version: 2;
  fingerprint: string;
  input: string;
  destination: string;
  startedAt: string;
}

const KIND = "leadbridge-import-journal";

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

export type OpenResult = { state: "new" } | { state: "resumed"; resume: ResumeState };

type Ranges = Array<[number, number]>;

export class Journal {
  private pending: JournalEntry[] = [];
  entries = 0;
  private failure?: Error;

  private constructor(
    readonly path: string,
    private fd: number | undefined,
    private readonly lock: JournalLock,
  ) {}

  /**
   * Opens `path` under a lock: resumes it when its fingerprint matches; refuses (exit 2) when it belongs
   * to another input, destination or options, unless `fresh` (then, and for a new path, it starts anew).
   */
  static open(
    path: string,
    header: Omit<JournalHeader, "kind" | "version" | "startedAt">,
    options: { fresh?: boolean; force?: boolean; refuseResume?: Error } = {},
  ): { journal: Journal; result: OpenResult } {
    const file = { flag: "--journal", path, isOurs: (text: string) => text.startsWith(`{"kind":"${KIND}"`) };
    checkOutput(file, true); // a link or a directory is refused before anything is read or locked
    const lock = JournalLock.acquire(path);
    try {
      const existing = options.fresh ? undefined : readExisting(path);
      if (existing) {
        const loaded = load(existing.text, path);
        if (loaded.header.fingerprint !== header.fingerprint) {
          throw new UsageError(
            `The journal ${path} belongs to another import (${loaded.header.input} → ${loaded.header.destination}, started ${loaded.header.startedAt}, or other options): it is left as it is.`,
            "Run that import's own command to resume it; or pass --journal <another path>; or --no-resume to replace it and start over.",
          );
        }
        if (options.refuseResume) throw options.refuseResume;
        const fd = openOutput(file, { append: true, force: options.force });
        // Cut a torn last line off, so that what this run appends starts on a line of its own.
        if (loaded.validBytes < existing.bytes) ftruncateSync(fd, loaded.validBytes);
        return { journal: new Journal(path, fd, lock), result: { state: "resumed", resume: loaded.resume } };
      }
      const fd = openOutput(file, { force: options.force });
      const full: JournalHeader = { kind: KIND, version: 2, ...header, startedAt: new Date().toISOString() };
      const journal = new Journal(path, fd, lock);
      journal.write(full);
      return { journal, result: { state: "new" } };
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Records a batch's rows as being sent: called before its first request leaves. */
  sending(rowNumbers: number[]): void {
    this.flush();
    this.write({ sending: toRanges(rowNumbers) });
  }

  /** Queues one settled lead; `flush` writes the queue as one line. */
  add(entry: JournalEntry): void {
    this.pending.push(entry);
  }

  /** Writes queued outcomes as one line. */
  flush(): void {
    if (this.pending.length === 0 || this.fd === undefined) return;
    const entries = this.pending;
    this.pending = [];
    this.write(encodeBatch(entries));
    this.entries += entries.length;
  }

  /** The first write error, if any: the journal stops growing there (what was written stays valid). */
  get error(): Error | undefined {
    return this.failure;
  }

  private write(line: object): void {
    if (this.fd === undefined || this.failure) return;
    try {
      writeSync(this.fd, `${JSON.stringify(line)}\n`);
    } catch (error) {
      this.failure = new UsageError(
        `Cannot write the journal ${this.path}: ${(error as Error).message}. The import stopped; the journal is intact up to here.`,
        "Free some space or fix the path, then run the same command again to resume.",
      );
      throw this.failure;
    }
  }

  close(): void {
    try {
      this.flush();
    } catch {}
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.lock.release();
  }
}

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

function readExisting(path: string): { text: string; bytes: number } | undefined {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "EISDIR") throw new UsageError(`--journal ${path} is a directory: name a file.`);
    throw new UsageError(`Cannot read the journal ${path}: ${(error as Error).message}`);
  }
  return buffer.length === 0 ? undefined : { text: buffer.toString("utf8"), bytes: buffer.length };
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

/** SHA-256 of a file's content, streamed: the input part of the fingerprint. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function fingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}
