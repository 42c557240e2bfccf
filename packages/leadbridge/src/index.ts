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
export type { Destination, VendorConfigs, VendorName, Vendors } from "./adapters/index.js";
export { descriptors } from "./adapters/index.js";
export { createLeadBridge, type LeadBridge } from "./bridge.js";
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
  type Outcome,
  Reasons,
} from "./lead.js";
export type { Lead, LeadSource } from "./lead-input.js";
export { type RateWindow, SlidingWindowLimiter } from "./limiter.js";
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
export { WaiterQueue } from "./waiters.js";
