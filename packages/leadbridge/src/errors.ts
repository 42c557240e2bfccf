import type { Report } from "./report.js";

/** Every secret any bridge was configured with; messages are scrubbed of them before they leave the package. */
const knownSecrets = new Set<string>();

/** Remembers `secret` so that `redact` replaces it everywhere. Short strings are ignored (they would redact ordinary words). */
export function registerSecret(secret: string | undefined): void {
  if (typeof secret === "string" && secret.length >= 6) knownSecrets.add(secret);
}

/** `text` with every registered secret, and anything that looks like a bearer token, replaced by `[redacted]`. */
export function redact(text: string): string {
  let out = text.replace(/(bearer\s+)[^\s"',;]+/gi, "$1[redacted]");
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
  return out;
}

export interface LeadBridgeErrorDetails {
  vendor?: string;
  status?: number;
  /** The vendor's request id header, when it sent one. */
  requestId?: string;
  cause?: unknown;
  /** The partial report of the call this error stopped: unsent leads are `failed` with this error's code. */
  report?: Report;
}

/** The base of every error LeadBridge throws. Messages never contain secrets; `toJSON` is safe to log. */
export class LeadBridgeError extends Error {
  override name = "LeadBridgeError";
  /** A stable machine-readable code, also used as the `reason` of leads this error left unsent. */
  readonly code: string = "leadbridge_error";
  readonly vendor?: string;
  readonly status?: number;
  readonly requestId?: string;
  /** Set when the error stopped an `addLeads` call: what happened to every lead up to then. */
  report?: Report;

  constructor(message: string, details: LeadBridgeErrorDetails = {}) {
    super(redact(message), details.cause === undefined ? undefined : { cause: scrubCause(details.cause) });
    this.vendor = details.vendor;
    this.status = details.status;
    this.requestId = details.requestId;
    // Not enumerable: a report can hold a million results, and loggers should not print it by accident.
    Object.defineProperty(this, "report", { value: details.report, writable: true, enumerable: false });
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }

  toJSON() {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      vendor: this.vendor,
      status: this.status,
      requestId: this.requestId,
    };
  }
}

/** Causes are kept for debugging, but only as a redacted message: a raw fetch error can carry request headers. */
function scrubCause(cause: unknown): unknown {
  if (cause instanceof LeadBridgeError) return cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code ?? (cause.cause as { code?: unknown } | undefined)?.code;
    const scrubbed = new Error(redact(cause.message));
    scrubbed.name = cause.name;
    if (typeof code === "string") Object.assign(scrubbed, { code });
    return scrubbed;
  }
  return redact(String(cause));
}

/** The options are wrong: an unknown vendor, a non-https base URL, a batch size over the vendor's maximum. */
export class ConfigurationError extends LeadBridgeError {
  override name = "ConfigurationError";
  override readonly code: string = "configuration_error";
}

/** A vendor is used without credentials in the options or the environment. Names what is missing, never a value. */
export class MissingCredentialsError extends ConfigurationError {
  override name = "MissingCredentialsError";
  override readonly code = "missing_credentials";
  constructor(
    vendor: string,
    readonly missing: readonly string[],
  ) {
    super(`${vendor}: missing credentials: ${missing.join(", ")}.`, { vendor });
  }
}

/** An HTTP answer from a vendor that stops the call or a batch. */
export class ApiError extends LeadBridgeError {
  override name = "ApiError";
  override readonly code: string = "api_error";
}

/** 401: the credentials were refused. */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
  override readonly code = "authentication_failed";
}

/** 402 or 403: the credentials are valid but may not do this (scope, plan, credits). */
export class PermissionError extends ApiError {
  override name = "PermissionError";
  override readonly code = "permission_denied";
}

/** 404 or 410: the campaign, list or pearl does not exist (any more). */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
  override readonly code = "not_found";
}

/** 429 after every attempt. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
  override readonly code = "rate_limited";
}

/** 5xx after every attempt. */
export class ServerError extends ApiError {
  override name = "ServerError";
  override readonly code = "server_error";
}

/** The request never got an HTTP answer. */
export class ConnectionError extends LeadBridgeError {
  override name = "ConnectionError";
  override readonly code: string = "connection_error";
}

/** The request got no answer within the per-request timeout. */
export class TimeoutError extends ConnectionError {
  override name = "TimeoutError";
  override readonly code = "timeout";
}

/**
 * The leads' source threw while being read (a broken file, a failing async iterable). In-flight batches
 * settled first; leads read but not sent are `failed` with this code; `cause` is the source's own error.
 */
export class InputError extends LeadBridgeError {
  override name = "InputError";
  override readonly code = "input_error";
  constructor(cause: unknown, details: Omit<LeadBridgeErrorDetails, "cause"> = {}) {
    super(`the leads' source failed while being read: ${String((cause as Error)?.message ?? cause)}`, details);
    // The source's own error, unscrubbed: it came from the caller's code or file, not from a request.
    Object.defineProperty(this, "cause", { value: cause, writable: true, enumerable: false, configurable: true });
  }
}
