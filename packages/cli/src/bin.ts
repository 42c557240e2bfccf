import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { version } from "../package.json";
import type { Io } from "./commands/context.js";
import { destinationsCommand } from "./commands/destinations.js";
import { importCommand } from "./commands/import/command.js";
import { type MockFlags, runMock } from "./commands/mock.js";
import { verifyCommand } from "./commands/verify/command.js";
import { ExitCode, UsageError } from "./errors.js";
import { EXAMPLES, environmentHelp } from "./help.js";
import { colorEnabled, style } from "./term.js";
import { descriptorOf, VENDORS } from "./vendors.js";

const io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, argv: process.argv.slice(2) };
const e = style(colorEnabled(process.stderr));

function positiveInt(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a whole number ≥ 1.`);
    return n;
  };
}

/** "Instantly, Amplemarket or NLPearl". */
const vendorNames = (() => {
  const names = VENDORS.map((vendor) => descriptorOf(vendor).displayName);
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : names.join("");
})();

function program(): Command {
  const cli = new Command("leadbridge")
    .description(`Import leads from a CSV or JSON Lines file into ${vendorNames}.`)
    .version(version, "-V, --version", "print the version")
    // -v printed the version before -V did; kept, unlisted, so that scripts using it still work.
    .addOption(new Option("-v").hideHelp())
    .on("option:v", () => {
      process.stdout.write(`${version}\n`);
      process.exit(0);
    })
    .helpOption("-h, --help", "show help")
    .showHelpAfterError(e.dim("(run with --help for usage)"))
    .configureOutput({ outputError: (text, write) => write(e.red(text)) })
    .addHelpText(
      "after",
      `\n${EXAMPLES}\n\n${environmentHelp()}\n\nRun leadbridge <command> --help for every flag of a command.`,
    )
    .exitOverride();

  importCommand(cli, io, positiveInt);
  destinationsCommand(cli, io);
  verifyCommand(cli, io, positiveInt);

  cli
    .command("mock")
    .summary("start Prism mock servers of the vendors' OpenAPI specs")
    .description(
      "Start a Prism mock server for each vendor's OpenAPI spec (all of them by default) on loopback, print their URLs, and run until Ctrl-C. For your own contract tests.",
    )
    .argument("[vendor...]", VENDORS.join(", "))
    .option("--port <port>", "first port (then +1, +2); default: free ports", positiveInt("--port"))
    .option("--host <host>", "loopback address to listen on", "127.0.0.1")
    .option("--dynamic", "generate random example responses instead of the documented examples")
    .option("--json", 'print {"vendor": "url"} as JSON')
    .action(async (vendors: string[], flags: MockFlags) => {
      process.exitCode = await runMock(vendors, flags, io);
    });

  return cli;
}

async function main(): Promise<void> {
  try {
    await program().parseAsync(process.argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are not errors; Commander has printed everything else already.
    if (error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version")
      return 0;
    jsonError({ code: error.code, message: error.message.replace(/^error: /, "") });
    return ExitCode.usage;
  }
  if (error instanceof UsageError) {
    jsonError({ code: "usage", message: error.message, ...(error.hint ? { hint: error.hint } : {}) });
    process.stderr.write(`${e.red(`Error: ${error.message}`)}\n`);
    if (error.hint) process.stderr.write(`${error.hint}\n`);
    return ExitCode.usage;
  }
  // Anything else is a bug or an environment failure: say so plainly, with the stack for a bug report.
  const err = error as Error;
  process.stderr.write(`${e.red(`Unexpected error: ${err?.message ?? String(error)}`)}\n`);
  if (process.env.LEADBRIDGE_DEBUG) process.stderr.write(`${err?.stack ?? ""}\n`);
  else process.stderr.write(e.dim("Set LEADBRIDGE_DEBUG=1 for details.\n"));
  return 1;
}

/** With --json (or --json-rows), stdout stays JSON on an error too: `{"error": {...}}` (the message also goes to stderr). */
function jsonError(error: { code: string; message: string; hint?: string }): void {
  const args = process.argv.slice(2);
  if (args.includes("--json") || args.includes("--json-rows"))
    process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
}

await main();
