import type { Command } from "commander";
import { DEFAULT_COUNTRY_ENV } from "../../country.js";
import { baseUrlEnv } from "../../vendors.js";
import type { Io } from "../context.js";
import type { NumberParser } from "../import/command.js";
import { runVerify, type VerifyFlags } from "./index.js";

/** `leadbridge verify <results-file>`. */
export function verifyCommand(cli: Command, io: Io, positiveInt: NumberParser): void {
  cli
    .command("verify")
    .summary("read back from the vendor the leads an import reported added or unknown")
    .description(
      "Read back from the vendor the rows of <results-file> (written by import --results) whose outcome is added or unknown, and report each as present, missing, or cannot check. An unknown row found present becomes added. Read-only: nothing is sent but reads, paced and retried as imports are.",
    )
    .argument("<results-file>", "the results file of an import (.csv, .jsonl or .ndjson)")
    .option("--out <path>", "write every row with what was found (verified, verifyReason, …) to .csv or .jsonl")
    .option("--force", "overwrite an --out file that LeadBridge did not write")
    .option("--json", 'print each row as a JSON line on stdout, then a {"summary": …} line')
    .option("--base-url <url>", `the vendor's API base URL (https, or http on loopback); env ${baseUrlEnv("<vendor>")}`)
    .option(
      "--default-country <CC>",
      `country for phone numbers without a country code, as the import had it; env ${DEFAULT_COUNTRY_ENV}`,
    )
    .option(
      "--max-attempts <n>",
      "attempts per read through 429s, 5xx and lost connections (default 5)",
      positiveInt("--max-attempts"),
    )
    .addHelpText(
      "after",
      `
Credentials come from the environment, as for import.

Exit codes: 0 every row checked is present, 1 some are missing or could not be checked,
2 usage, results file, credential or vendor error.

Examples:
  leadbridge verify results.csv
  leadbridge verify results.jsonl --out verified.jsonl --json`,
    )
    .action(async (file: string, flags: VerifyFlags) => {
      process.exitCode = await runVerify(file, flags, io);
    });
}
