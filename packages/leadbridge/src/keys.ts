import type { DedupeKind } from "./adapters/adapter.js";
import { FieldReader } from "./adapters/fields.js";
import { adapters, type Destination, type VendorName } from "./adapters/index.js";

export interface DuplicateKey {
  kind: DedupeKind;
  value: string;
}

/**
 * The identities under which `addLeads` counts two leads as the same at `destination` (normalised as it
 * normalises them: lower-cased email, E.164 phone, the list's own identity on Amplemarket), so that work
 * spanning several calls, such as a resumed import, can recognise a repeat of a lead an earlier call had.
 * A lead that would be `invalid` has none; pass the call's `strict` and `defaultCountry` to judge it the same.
 */
export function duplicateKeys(
  destination: Destination,
  lead: unknown,
  options: { defaultCountry?: string; strict?: boolean } = {},
): DuplicateKey[] {
  const opened = adapters[destination.vendor as VendorName].open(destination, undefined, options);
  const keys: DuplicateKey[] = [];
  let mapped: unknown;
  try {
    mapped = opened.toVendorLead(lead, new FieldReader(opened.needs, options.strict));
  } catch {
    return keys;
  }
  opened.keys(mapped, (kind, value) => {
    keys.push({ kind, value });
    return true;
  });
  return keys;
}
