// Where each vendor's simulator is registered: its credentials, its store and destination types, and the
// factory of its module. A vendor's facts (limits, destination kinds) come from its descriptor.
import { DESCRIPTORS, type Vendor } from "./descriptors.js";
import type { StoreRuntime } from "./plumbing.js";
import type { Random } from "./random.js";
import type { RateLimitWindow } from "./rate-limit.js";
import { type AmplemarketDestination, type AmplemarketStore, createAmplemarket } from "./vendors/amplemarket.js";
import { createInstantly, type InstantlyDestination, type InstantlyStore } from "./vendors/instantly.js";
import { createNlpearl, type NlpearlDestination, type NlpearlStore } from "./vendors/nlpearl.js";

export { VENDORS, type Vendor } from "./descriptors.js";

export interface SimulatorCredentials {
  instantly: { apiKey: string };
  amplemarket: { apiKey: string };
  /** Sent by clients as `Authorization: Bearer <accountId>:<secretKey>`. */
  nlpearl: { accountId: string; secretKey: string };
}

/** The credentials each simulator accepts unless `credentials` says otherwise. Not secrets. */
export const SIMULATOR_CREDENTIALS: Readonly<{ [V in Vendor]: Readonly<SimulatorCredentials[V]> }> = Object.freeze({
  instantly: Object.freeze({ apiKey: "sim-instantly-api-key" }),
  amplemarket: Object.freeze({ apiKey: "sim-amplemarket-api-key" }),
  nlpearl: Object.freeze({ accountId: "sim-account", secretKey: "sim-secret-key" }),
});

export interface SimulatorStores {
  instantly: InstantlyStore;
  amplemarket: AmplemarketStore;
  nlpearl: NlpearlStore;
}

/** A destination as the facade names it (`{ vendor: "instantly", campaignId }`), per vendor. */
export interface SimulatorDestinations {
  instantly: InstantlyDestination;
  amplemarket: AmplemarketDestination;
  nlpearl: NlpearlDestination;
}

/** The documented limits each simulator enforces by default: the descriptors' rate limits. */
export const DEFAULT_RATE_LIMITS: Readonly<{ [V in Vendor]: readonly RateLimitWindow[] }> = Object.freeze({
  instantly: DESCRIPTORS.instantly.rateLimits,
  amplemarket: DESCRIPTORS.amplemarket.rateLimits,
  nlpearl: DESCRIPTORS.nlpearl.rateLimits,
});

export function createVendor(vendor: Vendor, credentials: unknown, runtime: StoreRuntime, ids: Random) {
  switch (vendor) {
    case "instantly":
      return createInstantly(credentials as SimulatorCredentials["instantly"], runtime, ids);
    case "amplemarket":
      return createAmplemarket(credentials as SimulatorCredentials["amplemarket"], runtime, ids);
    case "nlpearl":
      return createNlpearl(credentials as SimulatorCredentials["nlpearl"], runtime, ids);
  }
}
