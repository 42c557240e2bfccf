export type { VendorDescriptor } from "@leadbridge/instantly";
export type {
  DedupeKind,
  Envelope,
  InvalidLead,
  OpenAdapter,
  Transport,
  VendorAdapter,
  VendorTransportConfig,
} from "./adapters/adapter.js";
export type { Destination, VendorConfigs, VendorName, Vendors } from "./adapters/index.js";
export { descriptors } from "./adapters/index.js";
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
// Each vendor's public types (InstantlyDestination, NlpearlPassthrough, …), listed by `pnpm generate`.
export * from "./generated/exports.js";
export { type DuplicateKey, duplicateKeys } from "./keys.js";
export {
  type CustomFieldValue,
  LEAD_CODES,
  type LeadCode,
  type LeadFields,
  type LeadResult,
  type LeadWarning,
  type Outcome,
  Reasons,
} from "./lead.js";
export type { Lead, LeadSource } from "./lead-input.js";
export {
  CALM_MARGINS,
  defaultMargin,
  eventLoopDelayMs,
  FLOOR_SAMPLES,
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
