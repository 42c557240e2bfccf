// The reads of `verify`: every request paced and timed by the bridge's transport and retried by the one
// retry loop (`withRetries`), as an import's batches are. Reads are always safe to resend.
import { VendorApiError } from "@leadbridge/instantly";
import { type RetryingSender, withRetries } from "../call/send-batch.js";
import { errorFor, type LeadBridgeError } from "../errors.js";
import type { Pacer } from "../pacing.js";
import type { ResolvedRetry } from "../retry.js";

/**
 * A fetch that sends each request through `withRetries`: retryable statuses and lost connections are
 * retried under the policy; the last answer (or a 4xx) is returned for the client to read; a failure on
 * every attempt with no answer throws the loop's error.
 */
export function retryingFetch(
  fetch: typeof globalThis.fetch,
  vendor: string,
  retry: ResolvedRetry,
  pacer: Pacer | undefined,
  signal: AbortSignal | undefined,
): typeof globalThis.fetch {
  const sender: RetryingSender = {
    vendor,
    retry,
    pacer,
    resendable: true,
    signal,
    stopped: () => signal?.aborted === true,
  };
  return async (input, init) => {
    const request = new Request(input, init);
    const label = `reading ${new URL(request.url).pathname}`;
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
        throw result.cause ?? signal?.reason ?? new DOMException("the read was aborted", "AbortError");
      case "unknown":
        // Unreachable: a read is always resendable.
        throw new Error(result.reason);
    }
  };
}

/** An error answer of a read as LeadBridge's error for it (401 authentication, 404 not found, …). */
export function readError(vendor: string, status: number, body: unknown, headers = new Headers()): LeadBridgeError {
  return errorFor(vendor, { kind: "answer", status, body, headers });
}

/** The data of a read's answer, or its error as LeadBridge's (the vendor packages' `VendorApiError` included). */
export async function dataOf<Data>(
  vendor: string,
  request: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> {
  const { data, error, response } = await request;
  if (error !== undefined || !response.ok) throw readError(vendor, response.status, error, response.headers);
  return data as Data;
}

/** Every item `pages` yields; a vendor package's `VendorApiError` becomes LeadBridge's error for it. */
export async function* pagesOf<Item>(vendor: string, pages: AsyncIterable<Item>): AsyncGenerator<Item> {
  try {
    yield* pages;
  } catch (error) {
    if (error instanceof VendorApiError) throw readError(vendor, error.status, error.body);
    throw error;
  }
}

/** The text of an identifier, or undefined when absent or blank. */
export function given(value: string | null | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
