// `leadbridge verify <results-file>`: reads back from the vendor the rows an import reported added or
// unknown, and says of each whether the vendor holds it.
import { existsSync } from "node:fs";
import { type createLeadBridge, LeadBridgeError, NotFoundError, type VerifyDestination } from "leadbridge";
import { resolveDefaultCountry } from "../../country.js";
import { InputError, UsageError } from "../../errors.js";
import { sameFile } from "../../files.js";
import { type ResultRow, readResultsFile, resultsFormat } from "../../results-file.js";
import { baseUrlEnv, descriptorOf, requireCredentials, VENDORS, type VendorName } from "../../vendors.js";
import type { Io } from "../context.js";
import { explainFailure, makeBridge } from "../import/failure.js";
import { count, emptyTally, summaryText, type VerifiedRow, VerifiedWriter, verifiedRow } from "./output.js";
import { runsOf } from "./runs.js";

export interface VerifyFlags {
  json?: boolean;
  out?: string;
  force?: boolean;
  baseUrl?: string;
  defaultCountry?: string;
  maxAttempts?: number;
}

/** Exit codes of `verify`. */
export const VerifyExit = { allPresent: 0, notAllPresent: 1 } as const;

export async function runVerify(file: string, flags: VerifyFlags, io: Io): Promise<number> {
  resultsFormat(file);
  if (flags.out && existsSync(file) && sameFile(file, flags.out))
    throw new UsageError(`--out ${flags.out} is the results file itself: name another file.`);
  const defaultCountry = resolveDefaultCountry(flags.defaultCountry, io.env)?.toUpperCase();
  const out = flags.out ? new VerifiedWriter(flags.out, flags.force === true) : undefined;
  const tally = emptyTally();
  const where: string[] = [];
  const bridges = new Map<VendorName, ReturnType<typeof createLeadBridge>>();
  const bridgeOf = (vendor: VendorName) => {
    let bridge = bridges.get(vendor);
    if (!bridge) {
      requireCredentials(vendor, io.env);
      const baseUrl = flags.baseUrl ?? io.env[baseUrlEnv(vendor)];
      bridge = makeBridge({
        [vendor]: baseUrl ? { baseUrl } : {},
        defaultCountry,
        ...(flags.maxAttempts ? { retry: { maxAttempts: flags.maxAttempts } } : {}),
      });
      bridges.set(vendor, bridge);
    }
    return bridge;
  };
  const emit = async (row: VerifiedRow, wasUnknown: boolean) => {
    count(tally, row, wasUnknown);
    await out?.write(row);
    if (flags.json) io.stdout.write(`${JSON.stringify(row)}\n`);
  };
  try {
    for await (const run of runsOf(readResultsFile(file))) {
      const inputs = inputsOf(run.records);
      if (run.destination === "") {
        // Rows never sent anywhere (the file's first rows were invalid): nothing to read.
        for await (const { record } of inputs) await emit(notChecked(record), false);
        continue;
      }
      const vendor = vendorOf(run.vendor);
      const destination = destinationOf(vendor, run.destination);
      where.push(`${descriptorOf(vendor).displayName} ${run.destination}`);
      try {
        for await (const result of bridgeOf(vendor).verify(destination, inputs, { defaultCountry }))
          await emit(verifiedRow(result), result.lead.outcome === "unknown");
      } catch (error) {
        if (error instanceof NotFoundError)
          throw new UsageError(
            `${descriptorOf(vendor).displayName} ${run.destination}, the destination of row ${run.firstRow}, was not found: ${error.message}`,
          );
        throw explainFailure(error, destination as never) ?? readFailure(error);
      }
    }
  } finally {
    await out?.close();
  }
  if (flags.json) io.stdout.write(`${JSON.stringify({ summary: tally })}\n`);
  else io.stdout.write(summaryText(tally, file, [...new Set(where)]));
  return tally.missing === 0 && tally.cannotCheck === 0 ? VerifyExit.allPresent : VerifyExit.notAllPresent;
}

/** The facade's input for each record, the record kept beside it for the output. */
async function* inputsOf(records: AsyncIterable<ResultRow>) {
  for await (const record of records) {
    const { outcome, vendorLeadId, email, phone, linkedinUrl } = record;
    yield { outcome, vendorLeadId, email, phone, linkedinUrl, record };
  }
}

function notChecked(record: ResultRow): VerifiedRow {
  const reason = `the import reported it ${record.outcome}`;
  return { ...record, verified: "not_checked", verifyReason: reason, leadStatus: "", lastCallStatus: "" };
}

function vendorOf(name: string): VendorName {
  const vendor = name.toLowerCase();
  if (!(VENDORS as string[]).includes(vendor))
    throw new InputError(
      `The results file names the vendor ${JSON.stringify(name)}; LeadBridge knows ${VENDORS.join(", ")}.`,
    );
  return vendor as VendorName;
}

/**
 * The destination a results file's id names, by the vendor's first kind of destination. An Instantly id
 * may be a campaign's or a list's: the read matches a lead's campaign and its list against it alike.
 */
function destinationOf(vendor: VendorName, id: string): VerifyDestination {
  const field = descriptorOf(vendor).destinations[0]!.fields[0]!.option;
  return { vendor, [field]: id } as unknown as VerifyDestination;
}

/** A read that failed on every attempt, or an answer verify cannot use: exit 2 with the vendor's words. */
function readFailure(error: unknown): unknown {
  return error instanceof LeadBridgeError ? new UsageError(`Verify stopped: ${error.message}`) : error;
}
