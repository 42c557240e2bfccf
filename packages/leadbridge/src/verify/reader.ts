import type { ReadTransport, ValidateContext } from "../adapters/adapter.js";
import type { VerifyDestination, VerifyInput, VerifyResult } from "./types.js";

/** What a reader found for one lead (the driver adds the lead and the settled outcome). */
export type Check = Omit<VerifyResult, "lead" | "outcome">;

/** Reads leads back from one vendor's destination. */
export interface LeadReader {
  /** How many leads `check` is given at once (a vendor that looks leads up in bulk takes more). */
  readonly chunkSize: number;
  /** One check per lead, in order. Throws a LeadBridgeError when the destination cannot be read at all. */
  check(leads: readonly VerifyInput[]): Promise<Check[]>;
}

/** Makes a vendor's reader for one destination; `transport.fetch` is paced, timed and retried. */
export type ReaderFactory = (
  destination: VerifyDestination,
  transport: ReadTransport,
  context: ValidateContext,
) => LeadReader;

export const cannotCheck = (reason: string): Check => ({ verified: "cannot_check", reason });
