// One batch's attempts: send, read what happened, retry what may be retried. Returns what happened; the
// caller settles the leads. Never throws.
import type { Interpretation, OpenAdapter, VendorAnswer } from "../adapters/adapter.js";
import { type AttemptFailure, errorFor, type LeadBridgeError, stopsCall } from "../errors.js";
import { sleep } from "../limiter.js";
import type { Pacer } from "../pacing.js";
import type { Redactor } from "../redact.js";
import { isRetryableStatus, parseRetryAfter, provedNotSent, type ResolvedRetry, retryDelay } from "../retry.js";
import { describeValue, PacerFailure, UnreadableAnswer } from "../transport.js";

/** What became of a batch. `afterUnknownOutcome`: an earlier attempt's answer was lost, so it may have been added. */
export type BatchResult = { attempts: number; afterUnknownOutcome: boolean } & (
  | { kind: "answered"; interpretation: Interpretation }
  /** An answer that stops the call (401, 402/403, 404/410). */
  | { kind: "fatal"; error: LeadBridgeError }
  /** A retryable failure on every attempt; `reason` says which. */
  | { kind: "exhausted"; error: LeadBridgeError; reason: string }
  /** Stopped between attempts (abort, another batch's error) or by a pacer's failure (`cause`), unsent. */
  | { kind: "stopped"; cause?: unknown }
  /** Sent, its answer lost, and not resent because a resend could add the leads twice. */
  | { kind: "unknown"; reason: string }
);

/** What the retry loop needs: the vendor's name, the policy, the pacer, and whether a resend is harmless. */
export interface RetryingSender {
  vendor: string;
  /** The bridge's secrets, scrubbed from every error this batch ends with. */
  redactor: Redactor;
  retry: ResolvedRetry;
  pacer: Pacer | undefined;
  /** Resending after a lost answer is harmless: the vendor deduplicates, the request only reads, or `retry.retryUnknownOutcome`. */
  resendable: boolean;
  signal: AbortSignal | undefined;
  /** Whether the call has stopped (checked between attempts). */
  stopped(): boolean;
}

export interface BatchSender extends RetryingSender {
  opened: OpenAdapter<unknown>;
}

/** An answer as the retry loop reads it: its status and headers, and its error body for the error it may become. */
export type RetryableAnswer = Pick<VendorAnswer, "status" | "headers" | "error">;

/** What became of one request's attempts. `answered`: a status that is neither retryable nor call-stopping. */
export type Attempts<A> = { attempts: number; afterUnknownOutcome: boolean } & (
  | { kind: "answered"; answer: A }
  | { kind: "fatal"; error: LeadBridgeError; answer: A }
  | { kind: "exhausted"; error: LeadBridgeError; reason: string; answer?: A }
  | { kind: "stopped"; cause?: unknown }
  | { kind: "unknown"; reason: string }
);

export async function sendBatch(s: BatchSender, body: Uint8Array, size: number, label: string): Promise<BatchResult> {
  const result = await withRetries(s, () => s.opened.send(body), label);
  if (result.kind !== "answered") return result;
  const { answer, attempts, afterUnknownOutcome } = result;
  const interpretation = s.opened.interpret(answer, size, { afterUnknownOutcome, label });
  return { kind: "answered", attempts, afterUnknownOutcome, interpretation };
}

/**
 * The one retry loop of LeadBridge: sends `attempt` until it gets an answer that is neither retryable nor
 * call-stopping, backing off (or honouring Retry-After) between attempts, up to `retry.maxAttempts`. A
 * request whose answer was lost is resent only when `resendable`. Never throws.
 */
export async function withRetries<A extends RetryableAnswer>(
  s: RetryingSender,
  attempt: () => Promise<A>,
  label: string,
): Promise<Attempts<A>> {
  let afterUnknownOutcome = false;
  let lastAnswer: A | undefined;
  for (let attempts = 1; ; attempts++) {
    const tried = await attemptOnce(attempt);
    if ("pacerError" in tried) return { kind: "stopped", attempts, afterUnknownOutcome, cause: tried.pacerError };
    let failure: AttemptFailure;
    let lastFailure: string;
    let retryAfterMs: number | undefined;
    if ("answer" in tried) {
      const { answer } = tried;
      if (!isRetryableStatus(answer.status) && !stopsCall(answer.status))
        return { kind: "answered", attempts, afterUnknownOutcome, answer };
      failure = { kind: "answer", status: answer.status, body: answer.error, headers: answer.headers };
      if (stopsCall(answer.status))
        return { kind: "fatal", attempts, afterUnknownOutcome, error: errorFor(s.redactor, s.vendor, failure), answer };
      lastAnswer = answer;
      retryAfterMs = paceAfter(s, answer);
      lastFailure = `${answer.status === 429 ? "rate limited" : `HTTP ${answer.status}`} on every attempt (${attempts})`;
    } else if (tried.failure.kind === "not_sent") {
      failure = tried.failure;
      lastAnswer = undefined;
      lastFailure = `could not connect on every attempt (${attempts})`;
    } else {
      // Sent, but no answer we can read: the vendor may or may not have processed it.
      failure = tried.failure;
      lastAnswer = undefined;
      afterUnknownOutcome = true;
      const what = lostAnswer(failure, s.retry.timeoutMs);
      if (!s.resendable) {
        const reason = `${what}, so whether ${s.vendor} added the lead is unknown; ${s.vendor} does not deduplicate, so LeadBridge did not resend it (set retry.retryUnknownOutcome to resend)`;
        return { kind: "unknown", attempts, afterUnknownOutcome, reason };
      }
      lastFailure = `${what} (attempt ${attempts})`;
    }
    if (attempts >= s.retry.maxAttempts) {
      const error = errorFor(s.redactor, s.vendor, failure, `${s.vendor}: ${label} failed: ${lastFailure}`);
      return { kind: "exhausted", attempts, afterUnknownOutcome, error, reason: lastFailure, answer: lastAnswer };
    }
    if (!(await backoff(s, attempts, retryAfterMs))) return { kind: "stopped", attempts, afterUnknownOutcome };
  }
}

type Attempt<A> = { answer: A } | { failure: AttemptFailure } | { pacerError: unknown };

async function attemptOnce<A>(attempt: () => Promise<A>): Promise<Attempt<A>> {
  try {
    return { answer: await attempt() };
  } catch (thrown) {
    // Found in the cause chain: openapi-fetch may wrap what fetch threw. Not sent: pacing could not be had
    // (a shared pacer's store is down), and later batches would fare no better.
    const pacer = causeOf(thrown, PacerFailure);
    if (pacer) return { pacerError: pacer.cause };
    return { failure: failureOf(thrown) };
  }
}

/** What a thrown attempt means. A SyntaxError can only come from parsing a 2xx body. */
function failureOf(thrown: unknown): AttemptFailure {
  if (provedNotSent(thrown)) return { kind: "not_sent", cause: thrown };
  if (thrown instanceof UnreadableAnswer) return { kind: "unparseable", detail: thrown.message };
  if (thrown instanceof SyntaxError) return { kind: "unparseable", detail: "a success status whose body is not JSON" };
  if (!(thrown instanceof Error))
    return { kind: "unparseable", detail: `the fetch function threw ${describeValue(thrown)}, not an Error` };
  if (thrown.name === "TimeoutError") return { kind: "timeout" };
  return { kind: "lost", cause: thrown };
}

function lostAnswer(failure: AttemptFailure, timeoutMs: number): string {
  if (failure.kind === "unparseable") return `an unparseable answer (${failure.detail})`;
  if (failure.kind === "timeout") return `no answer within ${timeoutMs} ms`;
  return "the connection was lost before an answer";
}

/** Tells the pacer about a 429; the vendor's Retry-After, if any. */
function paceAfter(s: RetryingSender, answer: RetryableAnswer): number | undefined {
  const retryAfterMs = parseRetryAfter(answer.headers.get("retry-after"));
  if (answer.status === 429) {
    s.pacer?.assumeSlowTransit?.();
    if (retryAfterMs !== undefined) s.pacer?.pauseUntil?.(Date.now() + Math.min(retryAfterMs, s.retry.retryAfterCapMs));
  }
  return retryAfterMs;
}

/** Waits before the next attempt; false when the call stopped meanwhile. */
async function backoff(s: RetryingSender, attempts: number, retryAfterMs: number | undefined): Promise<boolean> {
  try {
    if (s.stopped()) return false;
    await sleep(retryDelay(attempts, retryAfterMs, s.retry), s.signal);
    return !s.stopped();
  } catch {
    return false;
  }
}

function causeOf<T>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof type) return e;
  return undefined;
}
