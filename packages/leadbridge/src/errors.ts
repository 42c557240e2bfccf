import type { Report } from "./report.js";

/** Every secret any bridge was configured with, in every encoding below; messages are scrubbed of them. */
const knownSecrets = new Set<string>();

/**
 * Remembers `secret` so that `redact` replaces it everywhere, in every encoding it is likely to travel in:
 * as is, percent-encoded, and base64 (standard and URL-safe) at each of the three byte alignments it can
 * have inside a longer base64 text (`Basic base64(user:key)`, a base64 dump of a header). Short strings
 * are ignored (they would redact ordinary words).
 */
export function registerSecret(secret: string | undefined): void {
  if (typeof secret !== "string" || secret.length < MIN_SECRET || knownSecrets.has(secret)) return;
  knownSecrets.add(secret);
  knownSecrets.add(encodeURIComponent(secret));
  for (const form of base64Cores(secret)) if (form.length >= MIN_SECRET) knownSecrets.add(form);
}

const MIN_SECRET = 6;

/**
 * The base64 characters that depend only on `secret`'s bytes, for each offset (0, 1, 2 bytes) the secret
 * can start at within the encoded text: whatever surrounds it, those characters appear verbatim.
 */
function base64Cores(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    let binary = "\0".repeat(shift);
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const encoded = btoa(binary);
    // Character k covers bits [6k, 6k + 6): keep those wholly inside the secret's bits.
    const core = encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
    cores.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return cores;
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
