import { type Destination, descriptors, type VendorDescriptor, type VendorName } from "leadbridge";
import { UsageError } from "./errors.js";

export type { VendorName };
export type DestinationKind = VendorDescriptor["destinations"][number];
export type DestinationField = DestinationKind["fields"][number];

/** Every vendor the facade knows, in its order: `--to`'s choices. */
export const VENDORS = Object.keys(descriptors) as VendorName[];

export function descriptorOf(vendor: VendorName): VendorDescriptor {
  return descriptors[vendor];
}

/** `--to <vendor>` (or a `mock` argument), case-insensitive; `what` words the error. */
export function parseVendor(name: string | undefined, unknown: (name: string) => string): VendorName {
  const hint = `Vendors: ${VENDORS.join(", ")}.`;
  if (!name) throw new UsageError("Missing --to <vendor>.", hint);
  const vendor = name.toLowerCase();
  if (!(VENDORS as string[]).includes(vendor)) throw new UsageError(unknown(name), hint);
  return vendor as VendorName;
}

/** The environment variables the facade reads for a vendor's credentials (never printed, only named). */
export function credentialEnv(vendor: VendorName): string[] {
  return descriptorOf(vendor).credentials.map((credential) => credential.env);
}

/** Overrides the vendor's API base URL (https, or http on loopback), like `--base-url`. */
export function baseUrlEnv(vendor: VendorName | "<vendor>"): string {
  return `LEADBRIDGE_${vendor.toUpperCase()}_BASE_URL`;
}

/** The kind of place a destination names: the one whose id field it sets. */
export function destinationKind(destination: Destination): DestinationKind {
  const { destinations } = descriptorOf(destination.vendor);
  const values = destination as unknown as Record<string, unknown>;
  return destinations.find((kind) => values[kind.fields[0]!.option] !== undefined) ?? destinations[0]!;
}

/** "Instantly campaign 019e…", "Amplemarket email list l1", "NLPearl pearl 64b…". */
export function describeDestination(destination: Destination): string {
  const vendor = descriptorOf(destination.vendor);
  const values = destination as unknown as Record<string, unknown>;
  const kind = destinationKind(destination);
  const [id, ...qualifiers] = kind.fields;
  const words = [vendor.displayName, ...qualifiers.map((field) => String(values[field.option])), kind.kind];
  return `${words.join(" ")} ${String(values[id!.option])}`;
}

/** A notice when the mapping has custom fields the vendor will not receive, else nothing. */
export function customFieldsNotice(vendor: VendorName, names: string[]): string | undefined {
  const { customFields, displayName } = descriptorOf(vendor);
  if (customFields !== undefined || names.length === 0) return undefined;
  const kinds = descriptorOf(vendor).destinations.map((kind) => `lead ${kind.kind}s`);
  return `${displayName} ${kinds.join(" and ")} take no custom fields: ${names.join(", ")} ${names.length === 1 ? "is" : "are"} not sent.`;
}

/** Missing or refused credentials: which variables to set, never their values. */
export function missingCredentials(vendor: VendorName, missing: readonly string[] = credentialEnv(vendor)): UsageError {
  const names = missing.join(" and ");
  return new UsageError(
    `Missing ${names}. Set ${missing.length > 1 ? "them" : "it"}, or try --sandbox to import into a local simulator.`,
    `${descriptorOf(vendor).displayName} credentials come from the environment only, e.g. export ${missing[0]}=...; use --dry-run to check a file without them.`,
  );
}

export function requireCredentials(vendor: VendorName, env: NodeJS.ProcessEnv): void {
  const missing = credentialEnv(vendor).filter((name) => !env[name]?.trim());
  if (missing.length) throw missingCredentials(vendor, missing);
}
