export type { FaultKind, FaultOptions, FaultRule } from "./faults.js";
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
export {
  AMPLEMARKET_LIST_TYPES,
  AMPLEMARKET_MAX_LEADS_PER_LIST,
  AMPLEMARKET_MAX_LEADS_PER_REQUEST,
  type AmplemarketDestination,
  type AmplemarketLead,
  type AmplemarketListInfo,
  type AmplemarketListType,
  AmplemarketStore,
} from "./vendors/amplemarket.js";
export {
  INSTANTLY_MAX_LEADS_PER_REQUEST,
  type InstantlyDestination,
  type InstantlySeedLead,
  InstantlyStore,
  type InstantlyStoredLead,
} from "./vendors/instantly.js";
export {
  NLPEARL_INPUT_STATUSES,
  NLPEARL_MAX_LEADS_PER_REQUEST,
  type NlpearlDestination,
  type NlpearlSeedLead,
  NlpearlStore,
  type NlpearlStoredLead,
} from "./vendors/nlpearl.js";
