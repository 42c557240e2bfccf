import { type Command, Option } from "commander";
import { DEFAULT_MAX_DUPLICATE_KEYS, MAX_CONCURRENCY } from "leadbridge";
import { DEFAULT_COUNTRY_ENV } from "../../country.js";
import { tuneHeapForStreaming } from "../../heap.js";
import { environmentHelp } from "../../help.js";
import { DEFAULT_MAX_ROW_SIZE } from "../../input/index.js";
import { FIELDS } from "../../mapping.js";
import { DEFAULT_REDIS_TTL_HOURS, REDIS_PACKAGES, REDIS_URL_ENV } from "../../redis.js";
import { baseUrlEnv, descriptorOf, VENDORS } from "../../vendors.js";
import type { Io } from "../context.js";
import { destinationFlags, type FlagSpec } from "./destination.js";
import { type ImportFlags, runImport } from "./index.js";

export type NumberParser = (flag: string) => (value: string) => number;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `leadbridge import <file>` and its flags; the destination flags come from the vendors' descriptors. */
export function importCommand(cli: Command, io: Io, positiveInt: NumberParser): void {
  const command = cli
    .command("import")
    .summary("import a CSV or JSON Lines file of leads")
    .description(
      `Import leads from <file> (CSV with a header row, or JSON Lines; '-' reads standard input) into a vendor's ${destinationKinds()}.`,
    )
    .argument("<file>", "CSV or JSON Lines file, or - for standard input")
    .addOption(new Option("--to <vendor>", "where to import").choices(VENDORS))
    .optionsGroup("Destination:");
  for (const option of destinationOptions()) command.addOption(option);
  command
    .option(
      "--create-list <name>",
      "create a lead list of this name and import into it (running again resumes into it)",
    )
    .option("--list-owner <email>", "Amplemarket: the owner of the list --create-list makes (required there)")
    .addOption(
      new Option("--overflow <mode>", "when a list is full (Amplemarket: 60,000 leads): rejected, or new-list")
        .choices(["rejected", "new-list"])
        .default("rejected"),
    );
  inputOptions(command, positiveInt);
  runOptions(command, positiveInt);
  command
    .optionsGroup("Output:")
    .option("-q, --quiet", "print only the result line")
    .option("--json", "print the final report as JSON on stdout")
    .option("--json-rows", '--json with a "rows" array: every row\'s outcome, as --results writes it')
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
}

/**
 * One option per destination flag of any vendor. A flag two vendors share (`--list`) is one option:
 * "Instantly or Amplemarket lead list id". Import options are described with their vendor's name.
 */
export function destinationOptions(): Option[] {
  const byFlag = new Map<string, FlagSpec[]>();
  for (const spec of destinationFlags()) byFlag.set(spec.flag, [...(byFlag.get(spec.flag) ?? []), spec]);
  return [...byFlag.values()].map((specs) => {
    const { flag, field, isId, isOption } = specs[0]!;
    const names = specs.map((spec) => descriptorOf(spec.vendor).displayName);
    const what = field.description.replace(`${names[0]} `, "").replace(/ \(.*\)$/, "");
    const description = isOption
      ? `${names.join(", ")}: ${field.description}`
      : specs.length > 1
        ? `${names.join(" or ")} ${what}`
        : field.description;
    const option = new Option(
      field.type === "boolean" ? `--${flag}` : `--${flag} <${isId ? "id" : flag}>`,
      description,
    );
    return field.values ? option.choices(field.values) : option;
  });
}

function inputOptions(command: Command, positiveInt: NumberParser): void {
  command
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
    .option(
      "--strict",
      "any unusable field makes the row invalid (default: a field the destination does not need, e.g. a bad phone for an email campaign, is dropped and the row sent without it)",
    )
    .option("--delimiter <char>", `CSV delimiter, e.g. ";" or '\\t' (default "," and tab for .tsv)`)
    .option(
      "--max-row-size <bytes>",
      `reject rows longer than this (default ${DEFAULT_MAX_ROW_SIZE})`,
      positiveInt("--max-row-size"),
    );
}

function runOptions(command: Command, positiveInt: NumberParser): void {
  command
    .optionsGroup("Run:")
    .option("--dry-run", "validate and map every row, send nothing, and summarise")
    .option("--report <path>", "write every lead not added (row, outcome, reason, and the row) to .csv or .jsonl")
    .option(
      "--results <path>",
      "write every row's outcome, in row order (row, outcome, code, reason, vendor, destination, vendorLeadId, email, phone, linkedinUrl, warnings), to .csv or .jsonl",
    )
    .option("--journal <path>", "resume journal (default: beside --report, else .leadbridge/)")
    .option("--no-resume", "ignore an existing journal and start over")
    .option("--resume-stdin", "resume a journal of standard input: you vouch that the same data is piped again")
    .option("--force", "overwrite a --report or --journal file that LeadBridge did not write")
    .option(
      "--sandbox",
      "import into a local simulator started in-process: no credentials, nothing leaves this machine",
    )
    .option(
      "--redis <url>",
      `share pacing and the resume journal with other imports through Redis (needs ${REDIS_PACKAGES.join(" and ")}); env ${REDIS_URL_ENV}`,
    )
    .option(
      "--redis-ttl <hours>",
      `forget the Redis journal this long after its last write (default ${DEFAULT_REDIS_TTL_HOURS})`,
      positiveInt("--redis-ttl"),
    )
    .option("--base-url <url>", `the vendor's API base URL (https, or http on loopback); env ${baseUrlEnv("<vendor>")}`)
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
    .option("--resend-unknown", resendUnknownHelp())
    .option(
      "--no-check-duplicates",
      "send rows whose email, phone or LinkedIn URL an earlier row had, and let the vendor decide (default: report them as duplicate, unsent)",
    )
    .option(
      "--duplicate-keys <n>",
      `remember at most n keys for the duplicate check, about 40 bytes each (default ${DEFAULT_MAX_DUPLICATE_KEYS.toLocaleString("en-US")})`,
      positiveInt("--duplicate-keys"),
    );
}

/** "campaign, list or pearl": every vendor's kinds of destination. */
function destinationKinds(): string {
  const kinds = [...new Set(VENDORS.flatMap((vendor) => descriptorOf(vendor).destinations.map((k) => k.kind)))];
  return kinds.length > 1 ? `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}` : kinds.join("");
}

/** The vendors that do not deduplicate are named: resending a lead there may call or mail it twice. */
function resendUnknownHelp(): string {
  const unsafe = VENDORS.filter((vendor) => !descriptorOf(vendor).resendSafe).map((v) => descriptorOf(v).displayName);
  const warning = unsafe.length ? `; ${unsafe.join(" or ")} may then add a lead twice` : "";
  return `send again rows whose outcome is unknown (sent, but the answer was lost or the run was killed)${warning}`;
}
