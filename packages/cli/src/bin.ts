import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DEFAULT_MAX_DUPLICATE_KEYS, MAX_CONCURRENCY } from "leadbridge";
import { version } from "../package.json";
import { type ImportFlags, type Io, runImport } from "./commands/import.js";
import { type MockFlags, runMock } from "./commands/mock.js";
import { DEFAULT_COUNTRY_ENV } from "./country.js";
import { ExitCode, UsageError } from "./errors.js";
import { tuneHeapForStreaming } from "./heap.js";
import { EXAMPLES, environmentHelp } from "./help.js";
import { DEFAULT_MAX_ROW_SIZE } from "./input/index.js";
import { FIELDS } from "./mapping.js";
import { colorEnabled, style } from "./term.js";
import { baseUrlEnv } from "./vendors.js";

const io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, argv: process.argv.slice(2) };
const e = style(colorEnabled(process.stderr));

function positiveInt(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a whole number ≥ 1.`);
    return n;
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function program(): Command {
  const cli = new Command("leadbridge")
    .description("Import leads from a CSV or JSON Lines file into Instantly, Amplemarket or NLPearl.")
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

  cli
    .command("import")
    .summary("import a CSV or JSON Lines file of leads")
    .description(
      "Import leads from <file> (CSV with a header row, or JSON Lines; '-' reads standard input) into a vendor's campaign, list or pearl.",
    )
    .argument("<file>", "CSV or JSON Lines file, or - for standard input")
    .addOption(new Option("--to <vendor>", "where to import").choices(["instantly", "amplemarket", "nlpearl"]))
    .optionsGroup("Destination:")
    .option("--campaign <id>", "Instantly campaign id")
    .option("--list <id>", "Instantly or Amplemarket lead list id")
    .addOption(
      new Option("--type <type>", "Amplemarket list type").choices(["email", "linkedin", "titles_and_company"]),
    )
    .option("--pearl <id>", "NLPearl pearl (outbound campaign) id")
    .option("--skip-if-in-workspace", "Instantly: skip leads already anywhere in the workspace")
    .option("--skip-if-in-campaign", "Instantly: skip leads already in any campaign")
    .option("--skip-if-in-list", "Instantly: skip leads already in any list")
    .option("--verify-leads", "Instantly: verify the imported emails in the background")
    .optionsGroup("Input and mapping:")
    .option(
      "--map <field=Column>",
      `use Column for field (repeatable; 'field=' turns a field off). Fields: ${FIELDS.join(", ")}`,
      collect,
    )
    .option("--no-custom-fields", "drop columns that are not mapped to a field (default: send them as custom fields)")
    .option(
      "--default-country <CC>",
      `country for phone numbers without a country code, e.g. US, GB, DE; env ${DEFAULT_COUNTRY_ENV}`,
    )
    .addOption(
      new Option("--format <format>", "input format (default: by extension, else sniffed)").choices(["csv", "jsonl"]),
    )
    .option("--delimiter <char>", `CSV delimiter, e.g. ";" or '\\t' (default "," and tab for .tsv)`)
    .option(
      "--max-row-size <bytes>",
      `reject rows longer than this (default ${DEFAULT_MAX_ROW_SIZE})`,
      positiveInt("--max-row-size"),
    )
    .optionsGroup("Run:")
    .option("--dry-run", "validate and map every row, send nothing, and summarise")
    .option("--report <path>", "write every lead not added (row, outcome, reason, and the row) to .csv or .jsonl")
    .option("--journal <path>", "resume journal (default: beside --report, else .leadbridge/)")
    .option("--no-resume", "ignore an existing journal and start over")
    .option("--resume-stdin", "resume a journal of standard input: you vouch that the same data is piped again")
    .option("--force", "overwrite a --report or --journal file that LeadBridge did not write")
    .option(
      "--sandbox",
      "import into a local simulator started in-process: no credentials, nothing leaves this machine",
    )
    .option(
      "--base-url <url>",
      `the vendor's API base URL (https, or http on loopback); env ${baseUrlEnv("instantly").replace("INSTANTLY", "<VENDOR>")}`,
    )
    .option("--batch-size <n>", "leads per request (default: the vendor's maximum)", positiveInt("--batch-size"))
    .option(
      "--concurrency <n>",
      `most requests in flight at once (default and maximum ${MAX_CONCURRENCY}; the number in flight adapts to the vendor)`,
      positiveInt("--concurrency"),
    )
    .option(
      "--max-attempts <n>",
      "attempts per batch through 429s, 5xx and lost connections (default 5, at most 100)",
      positiveInt("--max-attempts"),
    )
    .option(
      "--resend-unknown",
      "send again rows whose outcome is unknown (sent, but the answer was lost or the run was killed); NLPearl may then call a lead twice",
    )
    .option(
      "--no-check-duplicates",
      "send rows whose email, phone or LinkedIn URL an earlier row had, and let the vendor decide (default: report them as duplicate, unsent)",
    )
    .option(
      "--duplicate-keys <n>",
      `remember at most n keys for the duplicate check, about 40 bytes each (default ${DEFAULT_MAX_DUPLICATE_KEYS.toLocaleString("en-US")})`,
      positiveInt("--duplicate-keys"),
    )
    .optionsGroup("Output:")
    .option("-q, --quiet", "print only the result line")
    .option("--json", "print the final report as JSON on stdout")
    .addOption(
      new Option("--progress <mode>", "progress display (auto: a bar on a terminal, plain lines otherwise)")
        .choices(["auto", "bar", "lines", "none"])
        .default("auto"),
    )
    .addHelpText(
      "after",
      `
${environmentHelp()}

Exit codes: 0 every lead added (or a duplicate / skipped as asked), 1 some were not,
2 usage, input or credential error, 130 interrupted (run the same command again to resume).

Examples:
  leadbridge import examples/leads.csv --to instantly --campaign <uuid> --sandbox --report failures.csv
  leadbridge import leads.csv --to amplemarket --list <id> --type email --map email="Work Email"
  cat leads.jsonl | leadbridge import - --to nlpearl --pearl <id> --default-country US --quiet`,
    )
    .action(async (file: string, flags: ImportFlags) => {
      tuneHeapForStreaming();
      process.exitCode = await runImport(file, flags, io);
    });

  cli
    .command("mock")
    .summary("start Prism mock servers of the vendors' OpenAPI specs")
    .description(
      "Start a Prism mock server for each vendor's OpenAPI spec (all three by default) on loopback, print their URLs, and run until Ctrl-C. For your own contract tests.",
    )
    .argument("[vendor...]", "instantly, amplemarket, nlpearl")
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
    return error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version"
      ? 0
      : ExitCode.usage;
  }
  if (error instanceof UsageError) {
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

await main();
