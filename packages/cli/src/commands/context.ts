/** What a command reads and writes beyond its flags: shared by every command, so each can be run in a test. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** The command line as typed, for "re-run the same command" hints. */
  argv: string[];
}
