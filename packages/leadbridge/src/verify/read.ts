// The reads of `verify`: every request paced and timed by the bridge's transport and retried by the one
// retry loop (`withRetries`), as an import's batches are. Reads are always safe to resend.
import { type RetryingSender, withRetries } from "../call/send-batch.js";
import { errorFor, type LeadBridgeError } from "../errors.js";
import type { Pacer } from "../pacing.js";
import type { Redactor } from "../redact.js";
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
  redactor: Redactor,
): typeof globalThis.fetch {
  const sender: RetryingSender = {
    vendor,
    redactor,
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
