import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

// One poller for every package's tests (an observable state, never a fixed wait).
export { waitUntil } from "@leadbridge/testing";

/** The built CLI (LEADBRIDGE_CLI_BIN points the tests at another build, e.g. an older one).*/
export const BIN = process.env.LEADBRIDGE_CLI_BIN ?? fileURLToPath(new URL("../dist/bin.js", import.meta.url));
export const SAMPLE = fileURLToPath(new URL("../../../examples/leads.csv", import.meta.url));
export const CAMPAIGN = "019e0e3e-b690-71a9-b399-fbf49894dded";

/** `leadbridge import <file>` into the test Instantly campaign, US numbers, plus `more` flags. */
export const importArgs = (file: string, ...more: string[]) => [
  "import",
  file,
  "--to",
  "instantly",
  "--campaign",
  CAMPAIGN,
  "--default-country",
  "US",
  ...more,
];

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm --filter @leadbridge/cli build\` first`);

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of the child: no vendor credentials or overrides leak in from the machine running the tests. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(INSTANTLY|AMPLEMARKET|NLPEARL|LEADBRIDGE)_/.test(key) || key === "FORCE_COLOR") continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

/** Runs the built CLI as a child process, as a user would. */
export function run(
  args: string[],
  options: { env?: Record<string, string>; input?: string | Buffer; cwd?: string } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      // Imports without --report keep their journal under ./.leadbridge: not in the source tree.
      cwd: options.cwd ?? tmpdir(),
      env: cleanEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.on("error", () => {}); // the CLI may exit before reading all of it
    child.stdin.end(options.input);
  });
}

export function tempDir(): { dir: string; path: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "leadbridge-cli-"));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A CSV report as records keyed by its header. */
export function readCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true }) as Record<string, string>[];
}

/** The complete lines of a resume journal after its header, parsed (a torn last line is left out). */
export function journalRecords(
  path: string,
): Array<{ sending?: [number, number][]; rows?: [number, number][]; not?: unknown[] }> {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  return text
    .slice(0, text.lastIndexOf("\n") + 1)
    .split("\n")
    .slice(1, -1)
    .map((line) => JSON.parse(line));
}
