import { UsageError } from "./errors.js";
import { checkOutput, type OutputFile, sameFile } from "./files.js";

/** Attempts per batch at most: enough for a storm of hours at the longest backoff. */
export const MAX_ATTEMPTS = 100;

/** A whole number from 1 to `max`, or a usage error naming the flag. */
export function checkCount(flag: string, value: number | undefined, max: number): void {
  if (value === undefined) return;
  if (!(Number.isInteger(value) && value >= 1 && value <= max)) {
    throw new UsageError(`${flag} ${value}: use a whole number from 1 to ${max.toLocaleString("en-US")}.`);
  }
}

/** The CSV or JSONL report LeadBridge writes: its first line names its own columns. */
export const isReport = (head: string) => head.startsWith("row,outcome,reason") || head.startsWith('{"row":');

/**
 * Checks the files an import will write, before the input is opened or anything is written: neither may
 * be the input itself (it would be truncated while read), nor each other, nor a link, a directory, or a
 * file LeadBridge did not write (unless `force`).
 */
export function checkOutputs(input: string, outputs: OutputFile[], force: boolean): void {
  for (const [i, out] of outputs.entries()) {
    if (input !== "-" && sameFile(out.path, input)) {
      throw new UsageError(
        `${out.flag} ${out.path} is the input file: writing it would destroy the leads being imported.`,
        `Name another path for ${out.flag}.`,
      );
    }
    for (const other of outputs.slice(i + 1)) {
      if (sameFile(out.path, other.path)) {
        throw new UsageError(`${out.flag} and ${other.flag} name the same file (${out.path}): use two paths.`);
      }
    }
    checkOutput(out, force);
  }
}
