import { createHash } from "node:crypto";
import { closeSync, createReadStream, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import type { Outcome } from "leadbridge";

/**
 * The resume journal: append-only JSON Lines. The first line names what it belongs to (a fingerprint
 * of the input's content, the destination and the options that change what is sent); every further
 * line is one acknowledged batch: the rows it settled, as ranges, and the outcome of each row that was
 * not added. Lines are written with a synchronous write as the vendor answers, so even a killed
 * process leaves every acknowledged batch on disk (the kernel has it).
 *
 * `failed` rows (never sent, or sending stopped) are not journaled: a resumed run sends them again.
 */
export interface JournalHeader {
  kind: "leadbridge-import-journal";
  version: 1;
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
}

/** What an earlier run settled: rows to skip, and the outcome of those not added (for the report). */
export interface ResumeState {
  rows: RowSet;
  notAdded: Map<number, { outcome: Outcome; reason?: string }>;
  batches: number;
}

export type OpenResult =
  | { state: "new" }
  | { state: "resumed"; resume: ResumeState }
  /** A journal for a different input, destination or options: it is replaced. */
  | { state: "replaced" };

export class Journal {
  private fd?: number;
  private pending: JournalEntry[] = [];
  entries = 0;

  private constructor(readonly path: string) {}

  /** Opens `path`: resumes it when its fingerprint matches, otherwise starts it anew (or with `fresh`). */
  static open(path: string, header: Omit<JournalHeader, "kind" | "version" | "startedAt">, fresh = false) {
    const journal = new Journal(path);
    let result: OpenResult = { state: "new" };
    if (existsSync(path) && !fresh) {
      const loaded = load(path);
      if (loaded?.header.fingerprint === header.fingerprint) result = { state: "resumed", resume: loaded.resume };
      else result = { state: "replaced" };
    }
    if (result.state === "resumed") {
      journal.fd = openSync(path, "a");
    } else {
      journal.fd = openSync(path, "w");
      const full: JournalHeader = {
        kind: "leadbridge-import-journal",
        version: 1,
        ...header,
        startedAt: new Date().toISOString(),
      };
      writeSync(journal.fd, `${JSON.stringify(full)}\n`);
    }
    return { journal, result };
  }

  /** Queues one settled lead; `flush` writes the queue as one batch line. */
  add(entry: JournalEntry): void {
    if (isFinal(entry.outcome)) this.pending.push(entry);
  }

  /** Writes queued outcomes as one line (one acknowledged batch). */
  flush(): void {
    if (this.pending.length === 0 || this.fd === undefined) return;
    const entries = this.pending;
    this.pending = [];
    writeSync(this.fd, `${JSON.stringify(encodeBatch(entries))}\n`);
    this.entries += entries.length;
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

interface BatchLine {
  /** Settled rows as [first, last] ranges. */
  rows: Array<[number, number]>;
  /** Rows not added: [row, outcome, reason?]. */
  not?: Array<[number, Outcome] | [number, Outcome, string]>;
}

export function encodeBatch(entries: JournalEntry[]): BatchLine {
  const sorted = entries.map((e) => e.rowNumber).sort((a, b) => a - b);
  const rows: Array<[number, number]> = [];
  for (const row of sorted) {
    const last = rows.at(-1);
    if (last && row === last[1] + 1) last[1] = row;
    else rows.push([row, row]);
  }
  const not = entries
    .filter((e) => e.outcome !== "added")
    .map((e): [number, Outcome] | [number, Outcome, string] =>
      e.reason === undefined ? [e.rowNumber, e.outcome] : [e.rowNumber, e.outcome, e.reason],
    );
  return not.length ? { rows, not } : { rows };
}

/** Reads a journal; a torn last line (the process died mid-write) is ignored, as is anything unreadable after it. */
export function load(path: string): { header: JournalHeader; resume: ResumeState } | undefined {
  const lines = readFileSync(path, "utf8").split("\n");
  let header: JournalHeader;
  try {
    header = JSON.parse(lines[0] ?? "");
  } catch {
    return undefined;
  }
  if (header?.kind !== "leadbridge-import-journal") return undefined;
  const resume: ResumeState = { rows: new RowSet(), notAdded: new Map(), batches: 0 };
  for (const line of lines.slice(1)) {
    if (line.trim() === "") continue;
    let batch: BatchLine;
    try {
      batch = JSON.parse(line);
    } catch {
      break;
    }
    resume.batches++;
    for (const [first, last] of batch.rows) for (let row = first; row <= last; row++) resume.rows.add(row);
    for (const [row, outcome, reason] of batch.not ?? []) {
      resume.notAdded.set(row, reason === undefined ? { outcome } : { outcome, reason });
    }
  }
  return { header, resume };
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
