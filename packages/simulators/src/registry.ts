// Where each vendor's simulator is registered: its credentials, its store and destination types, and the
// factory of its module. A vendor's facts (limits, destination kinds) come from its descriptor.
import { DESCRIPTORS, VENDORS, type Vendor } from "./descriptors.js";
import { SIMULATORS, type SimulatorDestinations, type SimulatorStores } from "./generated/vendors.js";
import type { StoreRuntime } from "./plumbing.js";
import type { Random } from "./random.js";
import type { RateLimitWindow } from "./rate-limit.js";

export { VENDORS, type Vendor } from "./descriptors.js";
export type { SimulatorDestinations, SimulatorStores };

/** The credentials each vendor's simulator takes (its `create`'s first parameter). */
export type SimulatorCredentials = { [V in Vendor]: Parameters<(typeof SIMULATORS)[V]["create"]>[0] };

/** `{ vendor: value(vendor) }` for every vendor, frozen. */
function byVendor<T>(value: (vendor: Vendor) => T): Readonly<Record<Vendor, T>> {
  return Object.freeze(Object.fromEntries(VENDORS.map((vendor) => [vendor, value(vendor)])) as Record<Vendor, T>);
}

/** The credentials each simulator accepts unless `credentials` says otherwise. Not secrets. */
export const SIMULATOR_CREDENTIALS = byVendor((vendor) =>
  Object.freeze({ ...SIMULATORS[vendor].credentials }),
) as Readonly<{ [V in Vendor]: Readonly<SimulatorCredentials[V]> }>;

/** The documented limits each simulator enforces by default: the descriptors' rate limits. */
export const DEFAULT_RATE_LIMITS: Readonly<{ [V in Vendor]: readonly RateLimitWindow[] }> = byVendor(
  (vendor) => DESCRIPTORS[vendor].rateLimits,
);

/** Whether the vendor's 429 carries Retry-After (as its documentation says). */
export const sendsRetryAfter = (vendor: Vendor): boolean => SIMULATORS[vendor].sendsRetryAfter;

export function createVendor(vendor: Vendor, credentials: unknown, runtime: StoreRuntime, ids: Random) {
  const create = SIMULATORS[vendor].create as (
    credentials: unknown,
    runtime: StoreRuntime,
    ids: Random,
  ) => ReturnType<(typeof SIMULATORS)[Vendor]["create"]>;
  return create(credentials, runtime, ids);
}
