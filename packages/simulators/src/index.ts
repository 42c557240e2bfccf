export type { FaultKind, FaultOptions, FaultRule } from "./faults.js";
// Each vendor's public names (InstantlyStore, AMPLEMARKET_LIST_TYPES, …), listed by `pnpm generate`.
export * from "./generated/exports.js";
export type { LatencyOptions, LatencySettings } from "./latency.js";
export type { RateLimitWindow } from "./rate-limit.js";
export {
  DEFAULT_RATE_LIMITS,
  type RateLimitOptions,
  SIMULATOR_CREDENTIALS,
  type Simulator,
  type SimulatorCredentials,
  type SimulatorDestination,
  type SimulatorDestinations,
  type SimulatorOptions,
  type SimulatorStores,
  startSimulator,
  VENDORS,
  type Vendor,
} from "./server.js";
export type { SimulatorStats } from "./stats.js";
