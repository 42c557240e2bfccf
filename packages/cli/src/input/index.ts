import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { type Readable, Readable as ReadableStream } from "node:stream";
import { InputError, UsageError } from "../errors.js";
import { readCsv } from "./csv.js";
import { Utf8Guard } from "./decode.js";
import { readJsonl } from "./jsonl.js";

export type InputFormat = "csv" | "jsonl";

/** One data row. `rowNumber` is the line in the file where the row starts (the header is line 1 of a CSV). */
export interface InputRow {
  rowNumber: number;
  record: Record<string, unknown>;
  /** How far into the input the row ends (characters; bytes for ASCII text): for progress estimates. */
  offset: number;
  /** The row's own text, when it is one JSON object (JSON Lines): reports keep it as written. */
  raw?: string;
  /** Set when the row is unusable (e.g. more values than header columns): it is reported as invalid, never sent. */
  problem?: string;
}

export interface InputOptions {
  /** A path, or `-` for standard input. */
  path: string;
  format?: InputFormat;
  /** CSV field delimiter; default `,` (tab for `.tsv`). */
  delimiter?: string;
  /** The longest row accepted, in characters; longer means the file is not the CSV/JSONL it claims to be. */
  maxRowSize?: number;
  /** For tests: read this instead of process.stdin. */
  stdin?: Readable;
}

export interface OpenedInput {
  /** How messages name the input: the path, or "standard input". */
  name: string;
  format: InputFormat;
  /** File size in bytes; undefined for stdin. */
  size?: number;
  /** The CSV header (cleaned: trimmed, blanks named, duplicates suffixed); undefined for JSON Lines. */
  columns?: string[];
  /** Bytes consumed from the source so far. */
  bytesRead(): number;
  /** Data rows, in order. The first one was already read to prove the input is not empty. */
  rows: AsyncIterable<InputRow>;
  /** Notes worth showing the user (renamed duplicate columns, ...). */
  notices: string[];
  /** Stops reading and releases the file. */
  close(): void;
}

export const DEFAULT_MAX_ROW_SIZE = 1024 * 1024;

/** Opens a CSV or JSON Lines input and reads up to its first data row, so that empty files fail here. */
export async function openInput(options: InputOptions): Promise<OpenedInput> {
  const isStdin = options.path === "-";
  const name = isStdin ? "standard input" : options.path;
  let source: Readable;
  let size: number | undefined;
  if (isStdin) {
    const stdin = options.stdin ?? process.stdin;
    if (!options.stdin && process.stdin.isTTY) {
      throw new UsageError(
        "The input is '-' (standard input), but nothing is piped in.",
        "Example: cat leads.csv | leadbridge import - --to instantly ...",
      );
    }
    source = stdin;
  } else {
    try {
      const info = await stat(options.path);
      if (info.isDirectory()) throw new UsageError(`${options.path} is a directory, not a file.`);
      // A FIFO or a process substitution (<(cat file)) has no size: it is read, not judged empty.
      size = info.isFile() ? info.size : undefined;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") throw new UsageError(`No such file: ${options.path}`);
      throw new UsageError(`Cannot read ${options.path}: ${(error as Error).message}`);
    }
    if (size === 0) throw emptyInput(name);
    source = createReadStream(options.path);
  }

  const guard = new Utf8Guard(name);
  source.on("error", (error) => guard.destroy(new UsageError(`Cannot read ${name}: ${error.message}`)));
  source.pipe(guard);
  const chunks = guard[Symbol.asyncIterator]() as AsyncIterator<string>;
  const close = () => {
    source.unpipe(guard);
    if (!isStdin) source.destroy();
    guard.destroy();
  };

  // The first non-blank text decides the format when neither --format nor the extension does.
  const head: string[] = [];
  let format = options.format ?? formatFromExtension(options.path);
  let sniffed = "";
  while (sniffed.trim() === "") {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    sniffed += next.value;
    if (sniffed.length > 1 << 20) break;
  }
  if (sniffed.trim() === "") {
    close();
    throw emptyInput(name);
  }
  format ??= sniffed.trimStart().startsWith("{") ? "jsonl" : "csv";
  const text = ReadableStream.from(
    (async function* () {
      yield* head;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    })(),
    { objectMode: false },
  );

  const maxRowSize = options.maxRowSize ?? DEFAULT_MAX_ROW_SIZE;
  const delimiter = options.delimiter ?? (extname(options.path).toLowerCase() === ".tsv" ? "\t" : ",");
  const opened =
    format === "csv"
      ? await readCsv(text, { name, delimiter, delimiterGiven: options.delimiter !== undefined, maxRowSize })
      : await readJsonl(text, { name, maxRowSize });
  return {
    name,
    format,
    size,
    bytesRead: () => guard.bytes,
    close,
    ...opened,
  };
}

export function formatFromExtension(path: string): InputFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === ".jsonl" || ext === ".ndjson" || ext === ".jsonlines") return "jsonl";
  if (ext === ".csv" || ext === ".tsv" || ext === ".txt") return "csv";
  return undefined;
}

function emptyInput(name: string): InputError {
  return new InputError(
    `${name} is empty: there are no leads to import.`,
    "Expected a CSV file with a header row, or JSON Lines (one JSON object per line).",
  );
}

/** Pulls the first item out of an async iterator and gives back an iterable that still yields it. */
export async function peek<T>(iterator: AsyncIterator<T>): Promise<{ first: T | undefined; rest: AsyncIterable<T> }> {
  const first = await iterator.next();
  return {
    first: first.done ? undefined : first.value,
    rest: {
      async *[Symbol.asyncIterator]() {
        if (first.done) return;
        yield first.value;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      },
    },
  };
}
