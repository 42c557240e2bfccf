import { type Redactor, redactBearer } from "./redact.js";
import type { Report } from "./report.js";

export interface LeadBridgeErrorDetails {
  vendor?: string;
  status?: number;
  /** The vendor's request id header, when it sent one. */
  requestId?: string;
  cause?: unknown;
  /** The partial report of the call this error stopped: unsent leads are `failed` with this error's code. */
  report?: Report;
  /** Scrubs the message, request id and cause: the bridge's `Redactor.redact`; bearer tokens only by default. */
  redact?: (text: string) => string;
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
    const redact = details.redact ?? redactBearer;
    super(redact(message), details.cause === undefined ? undefined : { cause: scrubCause(details.cause, redact) });
    this.vendor = details.vendor;
    this.status = details.status;
    // A request id is the vendor's text: a hostile or broken server can echo a credential in it.
    this.requestId = details.requestId === undefined ? undefined : redact(details.requestId);
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
function scrubCause(cause: unknown, redact: (text: string) => string): unknown {
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

/**
 * A vendor is used without credentials in the options or the environment. Names what is missing, never a
 * value. The same name as the vendor clients' `MissingCredentialError`: one idea, one name.
 */
export class MissingCredentialError extends ConfigurationError {
  override name = "MissingCredentialError";
  override readonly code = "missing_credentials";
  constructor(
    vendor: string,
    readonly missing: readonly string[],
  ) {
    super(`${vendor}: missing credentials: ${missing.join(", ")}.`, { vendor });
  }
}

/** @deprecated Renamed `MissingCredentialError` (the vendor clients' name for it); this alias goes in the next major. */
export const MissingCredentialsError = MissingCredentialError;
/** @deprecated Renamed `MissingCredentialError`. */
export type MissingCredentialsError = MissingCredentialError;

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

/**
 * An answer LeadBridge could not read on every attempt: a 200 that is HTML or not JSON, a custom fetch that
 * returned no Response or threw something that is not an Error. The vendor may have processed the request.
 */
export class UnparseableAnswerError extends ApiError {
  override name = "UnparseableAnswerError";
  override readonly code = "unparseable_answer";
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

/** What ended a batch's attempt without a usable answer, as `errorFor` maps it to an error. */
export type AttemptFailure =
  | { kind: "answer"; status: number; body: unknown; headers: Headers }
  /** Proved never sent (connection refused, no such host). */
  | { kind: "not_sent"; cause: unknown }
  | { kind: "timeout" }
  /** An answer that could not be read (`detail` says how). */
  | { kind: "unparseable"; detail: string }
  /** Sent, then the connection was lost before an answer. */
  | { kind: "lost"; cause: unknown };

/** Statuses that stop the whole call: the credentials or the destination are wrong, so no later batch can succeed. */
export function stopsCall(status: number): boolean {
  return status === 401 || status === 402 || status === 403 || status === 404 || status === 410;
}

/**
 * The one place an attempt's failure becomes an error (as Stainless's `APIError.generate`): by status for an
 * answer (401 authentication, 402/403 permission, 404/410 not found, 429 rate limit, 5xx server), by kind
 * otherwise, scrubbed by the bridge's `redactor`. `message` defaults to what the vendor said.
 */
export function errorFor(
  redactor: Redactor,
  vendor: string,
  failure: AttemptFailure,
  message?: string,
): LeadBridgeError {
  const { redact } = redactor;
  switch (failure.kind) {
    case "not_sent":
    case "lost":
      return new ConnectionError(message ?? `${vendor}: the connection failed`, {
        vendor,
        redact,
        cause: failure.cause,
      });
    case "timeout":
      return new TimeoutError(message ?? `${vendor}: no answer in time`, { vendor, redact });
    case "unparseable":
      return new UnparseableAnswerError(message ?? `${vendor}: ${failure.detail}`, { vendor, redact });
  }
  const { status } = failure;
  const details = { vendor, status, redact, requestId: failure.headers.get("x-request-id") ?? undefined };
  const said = vendorMessage(failure.body);
  if (status === 401)
    return new AuthenticationError(message ?? `${vendor} refused the credentials (401): ${said}`, details);
  if (status === 402 || status === 403)
    return new PermissionError(message ?? `${vendor} refused the request (${status}): ${said}`, details);
  if (status === 404 || status === 410)
    return new NotFoundError(message ?? `${vendor}: the destination was not found (${status}): ${said}`, details);
  const text = message ?? `${vendor} answered ${status}: ${said}`;
  if (status === 429) return new RateLimitError(text, details);
  if (status >= 500 || status === 408) return new ServerError(text, details);
  return new ApiError(text, details);
}

/** A short human text for a vendor error body, whatever its shape. */
export function vendorMessage(body: unknown): string {
  if (body == null) return "no details";
  if (typeof body === "string") return body.slice(0, 300);
  if (typeof body === "object") {
    const b = body as Record<string, unknown>;
    if (typeof b.message === "string") return b.message;
    if (Array.isArray(b._errors)) {
      return b._errors
        .map((e) => (e && typeof e === "object" ? String((e as { detail?: unknown }).detail ?? "") : ""))
        .filter(Boolean)
        .join("; ");
    }
    if (typeof b.title === "string") return b.title;
  }
  return JSON.stringify(body).slice(0, 300);
}
