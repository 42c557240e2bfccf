import type { Readable } from "node:stream";
import { InputError } from "../errors.js";
import { formatSize } from "./csv.js";
import type { InputRow } from "./index.js";

interface JsonlOptions {
  name: string;
  maxRowSize: number;
}

/** JSON Lines: one object per line; blank lines are skipped; a bad line is one invalid row, not a stopped import. */
export async function readJsonl(text: Readable, options: JsonlOptions) {
  const lines = splitLines(text, options)[Symbol.asyncIterator]();
  let offset = 0;
  const toRow = (line: string, lineNumber: number): InputRow | undefined => {
    offset += line.length + 1;
    if (line.trim() === "") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      return { rowNumber: lineNumber, record: {}, offset, problem: `not valid JSON: ${(error as Error).message}` };
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return { rowNumber: lineNumber, record: {}, offset, problem: "not a JSON object" };
    }
    // No prototype: a "__proto__" key stays data, and a missing "constructor" reads as missing.
    Object.setPrototypeOf(value, null);
    return { rowNumber: lineNumber, record: value as Record<string, unknown>, offset, raw: line.trim() };
  };

  let first: InputRow | undefined;
  let lineNumber = 0;
  while (!first) {
    const next = await lines.next();
    if (next.done) throw new InputError(`${options.name} is empty: there are no leads to import.`);
    first = toRow(next.value, ++lineNumber);
  }
  if (first.problem && lineNumber === 1) {
    throw new InputError(
      `${options.name}: line 1 is ${first.problem}, so this is not JSON Lines (one JSON object per line).`,
      "For CSV input, use a .csv file name or --format csv.",
    );
  }
  const firstRow = first;
  return {
    columns: undefined,
    notices: [] as string[],
    rows: {
      async *[Symbol.asyncIterator](): AsyncGenerator<InputRow> {
        yield firstRow;
        for (let next = await lines.next(); !next.done; next = await lines.next()) {
          const row = toRow(next.value, ++lineNumber);
          if (row) yield row;
        }
      },
    },
  };
}

async function* splitLines(text: Readable, options: JsonlOptions): AsyncGenerator<string> {
  let pending = "";
  let lineNumber = 1;
  for await (const chunk of text as AsyncIterable<string>) {
    pending += chunk;
    let start = 0;
    for (let end = pending.indexOf("\n"); end !== -1; end = pending.indexOf("\n", start)) {
      yield pending.slice(start, end).replace(/\r$/, "");
      lineNumber++;
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > options.maxRowSize) {
      throw new InputError(
        `${options.name}: line ${lineNumber} is longer than ${formatSize(options.maxRowSize)}. This does not look like JSON Lines of leads.`,
        "If the lines really are that long, raise the limit with --max-row-size <bytes>.",
      );
    }
  }
  if (pending !== "") yield pending.replace(/\r$/, "");
}
