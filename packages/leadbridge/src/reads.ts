// Requests outside an import (listing and creating destinations, reading leads back): each goes through the
// bridge's paced, timed transport and the one retry loop (`withRetries`), and its failures become
// LeadBridge errors through `errorFor` and the bridge's redactor.
import type { ReadTransport, Transport } from "./adapters/adapter.js";
import { type RetryingSender, withRetries } from "./call/send-batch.js";
import { type AttemptFailure, ConnectionError, errorFor, LeadBridgeError } from "./errors.js";
import type { Pacer } from "./pacing.js";
import type { Redactor } from "./redact.js";
import { provedNotSent, type ResolvedRetry } from "./retry.js";

/**
 * A fetch that sends each request through `withRetries`: retryable statuses and lost connections are
 * retried under the bridge's policy; the last answer (or a 4xx) is returned for the client to read; a
 * failure on every attempt with no answer throws the loop's error. A request whose answer was lost is
 * resent only when `resendable(request)` (reads are; a create is not, since it may have taken effect).
 */
export function retryingFetch(
  fetch: typeof globalThis.fetch,
  vendor: string,
  retry: ResolvedRetry,
  pacer: Pacer | undefined,
  signal: AbortSignal | undefined,
  redactor: Redactor,
  resendable: (request: Request) => boolean = () => true,
): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const label = `${request.method} ${new URL(request.url).pathname}`;
    const sender: RetryingSender = {
      vendor,
      redactor,
      retry,
      pacer,
      resendable: resendable(request),
      signal,
      stopped: () => signal?.aborted === true,
    };
    const result = await withRetries(
      sender,
      async () => {
        const response = await fetch(request.clone());
        return { status: response.status, headers: response.headers, response };
      },
      label,
    );
    switch (result.kind) {
      case "answered":
      case "fatal":
        return result.answer.response;
      case "exhausted":
        if (result.answer) return result.answer.response;
        throw result.error;
      case "stopped":
        throw result.cause ?? signal?.reason ?? new DOMException("the request was aborted", "AbortError");
      case "unknown":
        throw new ConnectionError(
          `${vendor}: ${label}: the answer was lost, so whether it took effect is unknown; not resent (a second request could do it twice)`,
          { vendor, redact: (text) => redactor.redact(text) },
        );
    }
  };
}

/** Only reads (GET) are resent after a lost answer. */
export const isRead = (request: Request): boolean => request.method === "GET";

/** The bridge's paced, timed `transport` with its fetch through the one retry loop, and the redactor for its errors. */
export function readTransport(
  { transport, pacer }: { transport: Transport; pacer: Pacer | undefined },
  vendor: string,
  retry: ResolvedRetry,
  redactor: Redactor,
  options: { signal?: AbortSignal; resendable?: (request: Request) => boolean } = {},
): ReadTransport {
  const fetch = retryingFetch(transport.fetch, vendor, retry, pacer, options.signal, redactor, options.resendable);
  return { ...transport, fetch, redactor };
}

/** An error answer of a read as LeadBridge's error for it (401 authentication, 404 not found, …). */
export function readError(
  redactor: Redactor,
  vendor: string,
  status: number,
  body: unknown,
  headers = new Headers(),
): LeadBridgeError {
  return errorFor(redactor, vendor, { kind: "answer", status, body, headers });
}

/** The text of an identifier, or undefined when absent or blank. */
export function given(value: string | null | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** The data of an openapi-fetch call, or the LeadBridge error its answer or failure means. */
export async function dataOf<Data>(
  redactor: Redactor,
  vendor: string,
  request: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> {
  let result: { data?: Data; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (error) {
    throw asLeadBridgeError(redactor, vendor, error);
  }
  const { data, error, response } = result;
  if (!response.ok)
    throw errorFor(redactor, vendor, {
      kind: "answer",
      status: response.status,
      body: error,
      headers: response.headers,
    });
  return data as Data;
}

/** A thrown failure (a vendor package's `VendorApiError`, a fetch error) as a LeadBridge error. */
export function asLeadBridgeError(redactor: Redactor, vendor: string, error: unknown): LeadBridgeError {
  if (error instanceof LeadBridgeError) return error;
  const e = error as { name?: string; status?: unknown; body?: unknown };
  let failure: AttemptFailure;
  if (e?.name === "VendorApiError" && typeof e.status === "number")
    failure = { kind: "answer", status: e.status, body: e.body, headers: new Headers() };
  else if (provedNotSent(error)) failure = { kind: "not_sent", cause: error };
  else if (e?.name === "TimeoutError") failure = { kind: "timeout" };
  else failure = { kind: "lost", cause: error };
  return errorFor(redactor, vendor, failure);
}

/** Every item of `items`, its failures as LeadBridge errors. */
export async function* translated<T>(redactor: Redactor, vendor: string, items: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (error) {
    throw asLeadBridgeError(redactor, vendor, error);
  }
}

/** Whether `name` contains `search`, ignoring case; true without a search. */
export function matches(name: string, search: string | undefined): boolean {
  return !search || name.toLowerCase().includes(search.toLowerCase());
}
