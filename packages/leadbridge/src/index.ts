export type { VendorDescriptor } from "@leadbridge/instantly";
export type {
  DedupeKind,
  Envelope,
  InvalidLead,
  OpenAdapter,
  PreparedLead,
  Transport,
  VendorAdapter,
  VendorTransportConfig,
} from "./adapters/adapter.js";
export type { AmplemarketConfig, AmplemarketDestination } from "./adapters/amplemarket.js";
export type { Destination, VendorConfigs, VendorName, Vendors } from "./adapters/index.js";
export { descriptors } from "./adapters/index.js";
export type { InstantlyConfig, InstantlyDestination, InstantlyImportOptions } from "./adapters/instantly.js";
export type { NlpearlConfig, NlpearlDestination } from "./adapters/nlpearl.js";
export { createLeadBridge, type LeadBridge } from "./bridge.js";
export {
  type ConcurrencySample,
  type ConcurrencyState,
  type ConcurrencyTuning,
  DEFAULT_TUNING,
  type InFlightLimit,
  type InFlightPermit,
  initialState,
  nextState,
} from "./concurrency.js";
export {
  type AmplemarketNewList,
  type DestinationInfo,
  type DestinationsOptions,
  type InstantlyNewList,
  type NewDestination,
  type NewDestinations,
  UnsupportedOperationError,
} from "./destinations/index.js";
export {
  ApiError,
  AuthenticationError,
  ConfigurationError,
  ConnectionError,
  InputError,
  LeadBridgeError,
  MissingCredentialError,
  MissingCredentialsError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnparseableAnswerError,
} from "./errors.js";
export { type DuplicateKey, duplicateKeys } from "./keys.js";
export {
  type CustomFieldValue,
  type InstantlyPassthrough,
  LEAD_CODES,
  type Lead,
  type LeadCode,
  type LeadResult,
  type LeadSource,
  type LeadWarning,
  type NlpearlPassthrough,
  type Outcome,
  Reasons,
} from "./lead.js";
export {
  defaultMargin,
  eventLoopDelayMs,
  type LimiterOptions,
  type RateWindow,
  SlidingWindowLimiter,
} from "./limiter.js";
export {
  type AddLeadsOptions,
  type BatchSettled,
  type BatchStarting,
  DEFAULT_MAX_DUPLICATE_KEYS,
  type LeadBridgeOptions,
  MAX_CONCURRENCY,
  type Progress,
} from "./options.js";
export { clearPacing, type Pacer, type PacerKey, type SharedPacing } from "./pacing.js";
export type { OutcomeCounts, Report } from "./report.js";
export { DEFAULT_RETRY, type RetryOptions } from "./retry.js";
export {
  type NlpearlLeadState,
  VERIFIED,
  type Verified,
  type VerifyDestination,
  type VerifyInput,
  type VerifyOptions,
  type VerifyResult,
} from "./verify/types.js";
export { WaiterQueue } from "./waiters.js";
