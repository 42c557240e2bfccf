/** Exit codes, as documented in the README. */
export const ExitCode = {
  ok: 0,
  /** Some leads were not added: failed, rejected, invalid or unknown. */
  someNotAdded: 1,
  /** Wrong flags, a bad input file, missing credentials: nothing (more) was sent. */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT), after writing the journal and the report. */
  interrupted: 130,
} as const;

/**
 * An error the user can fix: printed as its message alone (no stack), with an optional hint line,
 * and exit code 2.
 */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The input file cannot be read as CSV or JSON Lines. Same exit code as a usage error. */
export class InputError extends UsageError {
  override name = "InputError";
}
