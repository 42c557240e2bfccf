// The destinations' requests: paced and timed by the bridge's transport, retried by the one retry policy,
// and their failures turned into LeadBridge errors by `errorFor`.
import type { Transport } from "../adapters/adapter.js";
import { type AttemptFailure, errorFor, LeadBridgeError } from "../errors.js";
import { sleep } from "../limiter.js";
import type { Redactor } from "../redact.js";
import { isRetryableStatus, parseRetryAfter, provedNotSent, type ResolvedRetry, retryDelay } from "../retry.js";

/**
 * `transport` whose fetch retries what is safe to retry: a GET through 429, 5xx and lost connections; a
 * write only through 429 and connections proved never made (a 5xx or a lost answer may have created it).
 */
export function retrying(transport: Transport, retry: ResolvedRetry): Transport {
  const once = transport.fetch;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const read = request.method === "GET";
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await once(request.clone());
      } catch (error) {
        if (attempt >= retry.maxAttempts || !(read || provedNotSent(error))) throw error;
        await sleep(retryDelay(attempt, undefined, retry));
        continue;
      }
      const again = isRetryableStatus(response.status) && (read || response.status === 429);
      if (!again || attempt >= retry.maxAttempts) return response;
      await sleep(retryDelay(attempt, parseRetryAfter(response.headers.get("retry-after")), retry));
    }
  };
  return { ...transport, fetch };
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
