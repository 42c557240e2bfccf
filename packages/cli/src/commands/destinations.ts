// `leadbridge destinations --to <vendor>`: the places leads can go, from the vendor's own list endpoints.
import type { Command } from "commander";
import { Option } from "commander";
import type { DestinationInfo } from "leadbridge";
import { environmentHelp } from "../help.js";
import { colorEnabled, count, style } from "../term.js";
import { baseUrlEnv, parseVendor, requireCredentials, VENDORS } from "../vendors.js";
import type { Io } from "./context.js";
import { explainDestinationsFailure } from "./import/create-list.js";
import { makeBridge } from "./import/failure.js";

export interface DestinationsFlags {
  to?: string;
  search?: string;
  json?: boolean;
  jsonl?: boolean;
  baseUrl?: string;
}

export function destinationsCommand(cli: Command, io: Io): void {
  cli
    .command("destinations")
    .summary("list the campaigns, lists or pearls leads can go to")
    .description(
      "List the destinations of a vendor (Instantly campaigns and lead lists, NLPearl outbound pearls) from its own list endpoints, with the ids that import's --campaign, --list and --pearl take.",
    )
    .addOption(new Option("--to <vendor>", "whose destinations").choices(VENDORS))
    .option("--search <text>", "only those whose name contains text (case-insensitive)")
    .option("--json", "print a JSON array")
    .option("--jsonl", "print one JSON object a line, as they arrive")
    .option("--base-url <url>", `the vendor's API base URL (https, or http on loopback); env ${baseUrlEnv("<vendor>")}`)
    .addHelpText(
      "after",
      `\n${environmentHelp()}\n\nExamples:\n  leadbridge destinations --to instantly --search webinar\n  leadbridge destinations --to nlpearl --json`,
    )
    .action(async (flags: DestinationsFlags) => {
      process.exitCode = await runDestinations(flags, io);
    });
}

export async function runDestinations(flags: DestinationsFlags, io: Io): Promise<number> {
  const vendor = parseVendor(flags.to, (to) => `--to ${to}: unknown vendor.`);
  requireCredentials(vendor, io.env);
  const baseUrl = flags.baseUrl ?? io.env[baseUrlEnv(vendor)];
  const bridge = makeBridge({ [vendor]: baseUrl ? { baseUrl } : {} });
  const found: DestinationInfo[] = [];
  try {
    for await (const destination of bridge.destinations(vendor, { search: flags.search })) {
      if (flags.jsonl) io.stdout.write(`${JSON.stringify(destination)}\n`);
      else found.push(destination);
    }
  } catch (error) {
    throw explainDestinationsFailure(error, vendor) ?? error;
  }
  if (flags.json) io.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
  else if (!flags.jsonl) printTable(found, io, flags.search);
  return 0;
}

const COLUMNS: Array<[string, (d: DestinationInfo) => string | undefined]> = [
  ["KIND", (d) => d.kind],
  ["ID", (d) => d.id],
  ["NAME", (d) => d.name],
  ["STATUS", (d) => d.status],
  ["TYPE", (d) => d.type],
  ["LEADS", (d) => (d.leadCount === undefined ? undefined : count(d.leadCount))],
];

/** Aligned columns, only those any row has; the count on stderr. */
function printTable(found: DestinationInfo[], io: Io, search: string | undefined): void {
  const e = style(colorEnabled(io.stderr, io.env));
  const columns = COLUMNS.filter(([, cell]) => found.some((d) => cell(d) !== undefined));
  const rows = [columns.map(([title]) => title), ...found.map((d) => columns.map(([, cell]) => cell(d) ?? ""))];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  if (found.length)
    for (const row of rows)
      io.stdout.write(
        `${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join("  ")
          .trimEnd()}\n`,
      );
  const what = search === undefined ? "" : ` named like ${JSON.stringify(search)}`;
  io.stderr.write(`${e.dim(`${count(found.length)} destination${found.length === 1 ? "" : "s"}${what}.`)}\n`);
}
