import type { Destination } from "leadbridge";
import { UsageError } from "../../errors.js";
import { type DestinationField, descriptorOf, VENDORS, type VendorName } from "../../vendors.js";

/**
 * The destination flags (`--campaign`, `--type`, `--skip-if-in-list`...) come from the vendors'
 * descriptors: each destination kind's fields and each vendor's import options, one flag each.
 */
export interface FlagSpec {
  flag: string;
  /** The key Commander stores the flag's value under: `skip-if-in-list` → `skipIfInList`. */
  key: string;
  field: DestinationField;
  vendor: VendorName;
  /** The first field of its kind names the destination: its value is an id. */
  isId: boolean;
  /** An option of every kind (importOptions), not a field of one kind. */
  isOption: boolean;
}

export const camelCase = (flag: string) => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** Every vendor's destination flags, in descriptor order. */
export function destinationFlags(): FlagSpec[] {
  const specs: FlagSpec[] = [];
  for (const vendor of VENDORS) {
    const descriptor = descriptorOf(vendor);
    for (const kind of descriptor.destinations) {
      kind.fields.forEach((field, i) => {
        specs.push({ flag: field.flag, key: camelCase(field.flag), field, vendor, isId: i === 0, isOption: false });
      });
    }
    for (const field of descriptor.importOptions ?? []) {
      specs.push({ flag: field.flag, key: camelCase(field.flag), field, vendor, isId: false, isOption: true });
    }
  }
  return specs;
}

/** "Instantly: --campaign <id> or --list <id>." */
export function destinationUsage(vendor: VendorName): string {
  const { displayName, destinations } = descriptorOf(vendor);
  const kinds = destinations.map((kind) =>
    kind.fields.map((field, i) => `--${field.flag} ${valuesOf(field)?.join("|") ?? placeholder(field, i)}`).join(" "),
  );
  return `${displayName}: ${kinds.join(" or ")}.`;
}

/** For a destination the vendor did not find: the flags that name it. */
export function destinationHint(vendor: VendorName): string {
  const kinds = descriptorOf(vendor).destinations.map((kind) => kind.fields.map((f) => `--${f.flag}`).join(" and "));
  return `Check ${kinds.join(" or ")}.`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_EXAMPLE = "019e0e3e-b690-71a9-b399-fbf49894dded";

/**
 * The destination the flags name, checked against the vendor's descriptor: exactly one destination
 * kind, every field of it, values the spec allows, and no flag that belongs only to other vendors.
 */
export function parseDestination(vendor: VendorName, flags: Record<string, unknown>): Destination {
  const descriptor = descriptorOf(vendor);
  const own = new Set([
    ...descriptor.destinations.flatMap((kind) => kind.fields.map((f) => f.flag)),
    ...(descriptor.importOptions ?? []).map((f) => f.flag),
  ]);
  for (const spec of destinationFlags()) {
    if (!own.has(spec.flag) && flags[spec.key] !== undefined) {
      throw new UsageError(`--${spec.flag} does not apply to ${descriptor.displayName}.`, destinationUsage(vendor));
    }
  }
  const given = descriptor.destinations.filter((kind) => flags[camelCase(kind.fields[0]!.flag)] !== undefined);
  if (given.length !== 1) {
    const ids = descriptor.destinations.map((kind) => kind.fields[0]!.flag);
    throw new UsageError(
      given.length === 0
        ? `Missing ${ids.map((flag) => `--${flag} <id>`).join(" or ")}.`
        : `Use ${given.map((kind) => `--${kind.fields[0]!.flag}`).join(" or ")}, not both.`,
      destinationUsage(vendor),
    );
  }
  const destination: Record<string, unknown> = { vendor };
  for (const field of given[0]!.fields)
    destination[field.option] = fieldValue(vendor, field, flags[camelCase(field.flag)]);
  for (const field of descriptor.importOptions ?? []) {
    const value = flags[camelCase(field.flag)];
    if (value !== undefined) destination[field.option] = value;
  }
  return destination as unknown as Destination;
}

function fieldValue(vendor: VendorName, field: DestinationField, value: unknown): unknown {
  const { displayName } = descriptorOf(vendor);
  const what = field.description.replace(`${displayName} `, "");
  const values = valuesOf(field);
  const hint = values && `${capitalised(field.flag)}s: ${values.join(", ")}.`;
  if (value === undefined) throw new UsageError(`Missing --${field.flag}: the ${field.description}.`, hint);
  if (values && !values.includes(String(value))) {
    throw new UsageError(`--${field.flag} ${String(value)}: unknown ${what}.`, hint);
  }
  if (field.format === "uuid" && !UUID.test(String(value))) {
    throw new UsageError(`--${field.flag} ${String(value)}: ${displayName} ids are UUIDs, like ${UUID_EXAMPLE}.`);
  }
  return value;
}

function valuesOf(field: DestinationField): readonly string[] | undefined {
  return (field as { values?: readonly string[] }).values;
}

const placeholder = (field: DestinationField, i: number) => (i === 0 ? "<id>" : `<${field.flag}>`);
const capitalised = (word: string) => word[0]!.toUpperCase() + word.slice(1);
