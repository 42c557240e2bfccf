// `bridge.verify`: reads back, from the vendor, the leads an earlier import reported `added` or `unknown`,
// chunk by chunk as they stream in, and says of each whether the vendor holds it.
import { fieldValues } from "../adapters/adapter.js";
import { adapters, type Destination, type VendorName } from "../adapters/index.js";
import type { LeadSource } from "../lead-input.js";
import { amplemarketReader } from "./amplemarket.js";
import { instantlyReader } from "./instantly.js";
import { nlpearlReader } from "./nlpearl.js";
import type { LeadReader, ReaderFactory } from "./reader.js";
import type { VerifyDestination, VerifyInput, VerifyResult } from "./types.js";

/** The vendors whose leads can be read back; a vendor without one gets a ConfigurationError. */
export const readers: Partial<Record<VendorName, ReaderFactory>> = {
  instantly: instantlyReader,
  amplemarket: amplemarketReader,
  nlpearl: nlpearlReader,
};

/** The outcomes `verify` reads back. */
export const CHECKED_OUTCOMES: readonly string[] = ["added", "unknown"];

/**
 * The destination as `addLeads` would check it. An Amplemarket list's type may be left out for a read (it
 * is read from the list): any valid type stands in for the check.
 */
export function checkable(destination: VerifyDestination): Destination {
  const d = destination as { vendor?: unknown; type?: unknown };
  if (d?.vendor !== "amplemarket" || d.type !== undefined) return destination as Destination;
  return { ...destination, type: fieldValues(adapters.amplemarket.descriptor, "type")[0] } as Destination;
}

/** One result per input record, in order; `open` is called once, before the first lead is checked. */
export async function* verifyLeads<R extends VerifyInput>(
  open: () => Promise<LeadReader>,
  results: LeadSource<R>,
): AsyncGenerator<VerifyResult<R>, void, undefined> {
  let reader: LeadReader | undefined;
  let chunk: R[] = [];
  for await (const lead of results) {
    chunk.push(lead);
    reader ??= await open();
    if (chunk.length >= reader.chunkSize) {
      yield* settle(reader, chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) yield* settle(reader ?? (await open()), chunk);
}

function isChecked(lead: VerifyInput): boolean {
  return CHECKED_OUTCOMES.includes(lead.outcome);
}

async function* settle<R extends VerifyInput>(reader: LeadReader, chunk: R[]): AsyncGenerator<VerifyResult<R>> {
  const toCheck = chunk.filter(isChecked);
  const checks = toCheck.length > 0 ? await reader.check(toCheck) : [];
  let next = 0;
  for (const lead of chunk) {
    if (!isChecked(lead)) {
      yield { lead, verified: "not_checked", outcome: lead.outcome, reason: `the import reported it ${lead.outcome}` };
      continue;
    }
    const check = checks[next++]!;
    // An unknown lead the vendor holds was added; one it does not hold stays unknown, marked missing.
    const outcome = lead.outcome === "unknown" && check.verified === "present" ? "added" : lead.outcome;
    yield { lead, ...check, outcome };
  }
}
