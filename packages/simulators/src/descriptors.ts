// The vendor facts the simulators enforce (per-request maximum, list cap, list types, rate limits, how a
// destination is named) come from each vendor package's descriptor, never retyped here. tsup inlines the
// three descriptors at build time (the vendor packages are devDependencies), so installing the simulators
// pulls no vendor client.
// pulls no vendor client. The list of vendors is generated (src/generated/descriptors.ts).
import { DESCRIPTORS } from "./generated/descriptors.js";

export { DESCRIPTORS };
export type Vendor = keyof typeof DESCRIPTORS;
export const VENDORS: readonly Vendor[] = Object.freeze(Object.keys(DESCRIPTORS) as Vendor[]);

type Descriptor = (typeof DESCRIPTORS)[Vendor];

/** The values a destination field takes (Amplemarket's list `type`), as the descriptor lists them. */
export function fieldValues(descriptor: Descriptor, option: string): readonly string[] {
  for (const kind of descriptor.destinations) {
    for (const field of kind.fields as readonly { option: string; values?: readonly string[] }[]) {
      if (field.option === option && field.values) return field.values;
    }
  }
  throw new Error(`${descriptor.displayName}'s descriptor lists no values for ${option}`);
}

/** A number as the vendors write it in their messages: 10,000. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/**
 * Which of the vendor's destination kinds `destination` names (the kind whose id field, its first, it
 * carries), and that id. A destination of another vendor, or naming no kind or two, is a TypeError.
 */
export function destinationKind(vendor: Vendor, destination: object): { kind: string; id: string } {
  const descriptor = DESCRIPTORS[vendor];
  const named = destination as Record<string, unknown>;
  if (named.vendor !== undefined && named.vendor !== vendor) {
    throw new TypeError(`a ${String(named.vendor)} destination given to the ${descriptor.displayName} simulator`);
  }
  const kinds = descriptor.destinations.filter((kind) => named[kind.fields[0].option] !== undefined);
  const expected = descriptor.destinations.map((kind) => kind.fields.map((f) => f.option).join(" + ")).join(" or ");
  if (kinds.length !== 1)
    throw new TypeError(`a ${descriptor.displayName} destination names exactly one of: ${expected}`);
  const kind = kinds[0]!;
  const id = named[kind.fields[0].option];
  if (typeof id !== "string" || id === "") throw new TypeError(`${kind.fields[0].option} must be a non-empty string`);
  return { kind: kind.kind, id };
}
