import { DEFAULT_COUNTRY_ENV } from "./country.js";
import { REDIS_URL_ENV } from "./redis.js";
import { baseUrlEnv, credentialEnv, VENDORS } from "./vendors.js";

/** The environment variables LeadBridge reads, for `--help`. */
export function environmentHelp(): string {
  const credentials = VENDORS.map((vendor) => credentialEnv(vendor).join(" + ")).join(", ");
  const rows: Array<[string, string]> = [
    [credentials, "the vendors' credentials (never printed)"],
    [baseUrlEnv("<vendor>"), "a vendor's API base URL, like --base-url"],
    [REDIS_URL_ENV, "share pacing and the resume journal through this Redis, like --redis (never printed whole)"],
    [DEFAULT_COUNTRY_ENV, "country for phone numbers without a country code, like --default-country"],
    ["NO_COLOR / FORCE_COLOR", "turn colours off / on"],
    ["LEADBRIDGE_DEBUG=1", "print the stack of an unexpected error"],
  ];
  return ["Environment:", ...rows.map(([name, what]) => `  ${name}\n      ${what}`)].join("\n");
}

export const EXAMPLES = `Examples:
  # try it with no account: a local simulator, nothing leaves this machine
  leadbridge import leads.csv --to instantly --campaign 019e0e3e-b690-71a9-b399-fbf49894dded --sandbox
  # check a file without sending anything (no credentials needed)
  leadbridge import leads.csv --to nlpearl --pearl <id> --default-country US --dry-run
  # import, with a report of every row not added; run it again to resume
  leadbridge import leads.csv --to amplemarket --list <id> --type email --report failures.csv
  # find a campaign's id; or create a list and import into it
  leadbridge destinations --to instantly --search webinar
  leadbridge import leads.csv --to instantly --create-list "Webinar signups"
  # choose columns: first non-empty of two phone columns, and a named custom field
  leadbridge import apollo.csv --to nlpearl --pearl <id> --map phone="Mobile Phone,Corporate Phone" --map custom.stage="Lifecycle Stage"
  # read back what the vendor holds of an import's added and unknown rows
  leadbridge verify results.csv --out verified.csv
  # Prism mock servers of the vendors' specs, for your own tests (needs @stoplight/prism-cli)
  leadbridge mock`;
