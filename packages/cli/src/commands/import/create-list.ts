// `--create-list <name>` and `--overflow new-list`: the lists an import creates, kept beside its journal so
// that running the same command again resumes into them instead of creating more.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import {
  AuthenticationError,
  type createLeadBridge,
  type Destination,
  type DestinationInfo,
  MissingCredentialsError,
  UnsupportedOperationError,
} from "leadbridge";
import { UsageError } from "../../errors.js";
import { credentialEnv, descriptorOf, destinationKind, missingCredentials, type VendorName } from "../../vendors.js";
import { camelCase, parseDestination } from "./destination.js";

/**
 * The destination of `--create-list <name>` before it exists: the vendor's list kind, its id a UUID made
 * from the name, so that the journal's path and fingerprint (and a dry run) are the same on every run.
 */
export function placeholderDestination(vendor: VendorName, name: string, flags: Record<string, unknown>): Destination {
  const { displayName, destinations } = descriptorOf(vendor);
  const list = destinations.find((kind) => kind.kind === "list");
  if (!list) throw new UsageError(`--create-list: ${displayName} has no lead lists to create.`);
  if (name.trim() === "") throw new UsageError("--create-list needs a name.");
  for (const kind of destinations) {
    const flag = kind.fields[0]!.flag;
    if (flags[camelCase(flag)] !== undefined)
      throw new UsageError(`--create-list creates the list to import into: drop --${flag}.`);
  }
  const hex = createHash("sha256").update(`${vendor}\0${name}`).digest("hex");
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return parseDestination(vendor, { ...flags, [camelCase(list.fields[0]!.flag)]: id });
}

/** --overflow and --list-owner, checked against the vendor and --create-list. */
export function checkListFlags(vendor: VendorName, flags: Record<string, unknown>): void {
  const { displayName, maxLeadsPerDestination } = descriptorOf(vendor);
  if (flags.overflow === "new-list" && maxLeadsPerDestination === undefined)
    throw new UsageError(`--overflow new-list: ${displayName} destinations have no lead cap to overflow.`);
  if (flags.listOwner !== undefined && vendor !== "amplemarket")
    throw new UsageError(`--list-owner applies to Amplemarket lists, not ${displayName}.`);
  if (vendor === "amplemarket" && flags.createList !== undefined && !flags.listOwner && !flags.dryRun)
    throw new UsageError(
      "--create-list for Amplemarket needs --list-owner <email>: Amplemarket requires a list's owner.",
    );
}

/** Where this run's leads go, and how to record lists created on the way. */
export interface ListTarget {
  destination: Destination;
  /** Leads in the destination when the import starts, when known (a list just created: 0). */
  heldAtStart?: number;
  /** Every list this import created, in order (the first one too, on a resumed run). */
  lists: DestinationInfo[];
  record(list: DestinationInfo): void;
}

interface Options {
  bridge: ReturnType<typeof createLeadBridge>;
  vendor: VendorName;
  destination: Destination;
  /** --create-list's name, if given. */
  createName?: string;
  owner?: string;
  /** The journal's path: the lists are kept at `<journal>.lists.json`. */
  journalPath?: string;
  resumed: boolean;
  info: (line: string) => void;
}

/**
 * Resumed, the lists an earlier run recorded are reused and the import continues into the last one: a list
 * name is not unique (Instantly allows two of one name, Amplemarket cannot even list them), so the id the
 * run recorded is trusted, never a lookup by name. Otherwise `--create-list` creates the list now.
 */
export async function listTarget(o: Options): Promise<ListTarget> {
  const path = o.journalPath && `${o.journalPath}.lists.json`;
  const lists: DestinationInfo[] = o.resumed && path && existsSync(path) ? readLists(path) : [];
  const record = (list: DestinationInfo) => {
    lists.push(list);
    if (path) writeFileSync(path, `${JSON.stringify({ lists }, null, 2)}\n`);
    o.info(`Created ${descriptorOf(o.vendor).displayName} list "${list.name}" (${list.id}).`);
  };
  const last = lists.at(-1);
  if (last) {
    o.info(`Resuming into list "${last.name}" (${last.id}), created by an earlier run of this command.`);
    return { destination: withListId(o.destination, last.id), lists, record };
  }
  if (o.createName === undefined) return { destination: o.destination, lists, record };
  const type = (o.destination as { type?: string }).type;
  const spec = { kind: "list", name: o.createName, ...(type ? { type, owner: o.owner ?? "" } : {}) };
  let created: DestinationInfo;
  try {
    created = await o.bridge.createDestination(o.vendor, spec as never);
  } catch (error) {
    throw explainDestinationsFailure(error, o.vendor) ?? error;
  }
  record(created);
  return { destination: withListId(o.destination, created.id), heldAtStart: 0, lists, record };
}

function readLists(path: string): DestinationInfo[] {
  try {
    const { lists } = JSON.parse(readFileSync(path, "utf8")) as { lists: DestinationInfo[] };
    return Array.isArray(lists) ? lists : [];
  } catch (error) {
    throw new UsageError(`Cannot read ${path}: ${(error as Error).message}`, "Pass --no-resume to start over.");
  }
}

/** `destination` naming list `id` instead. */
export function withListId(destination: Destination, id: string): Destination {
  const { vendor } = destination;
  const list = descriptorOf(vendor).destinations.find((kind) => kind.kind === "list")!;
  return { ...destination, [list.fields[0]!.option]: id } as Destination;
}

/** The id a destination names (its kind's first field). */
export function destinationIdOf(destination: Destination): string {
  return String((destination as unknown as Record<string, unknown>)[destinationKind(destination).fields[0]!.option]);
}

/** A failed destinations read or create, as the user can act on it; undefined for anything else. */
export function explainDestinationsFailure(error: unknown, vendor: VendorName): UsageError | undefined {
  const name = descriptorOf(vendor).displayName;
  if (error instanceof MissingCredentialsError) return missingCredentials(vendor);
  if (error instanceof AuthenticationError)
    return new UsageError(`${name} refused the credentials (401). Check ${credentialEnv(vendor).join(" and ")}.`);
  if (error instanceof UnsupportedOperationError) return new UsageError(`${error.message}.`);
  if (error instanceof Error && error.name === "ConfigurationError") return new UsageError(error.message);
  if (error instanceof Error && error.name === "ApiError") return new UsageError(error.message);
  return undefined;
}
