// The fetch every vendor client sends with: paced, timed out by our own clock, and measured for the
// credential's adaptive in-flight limit.
import type { InFlightLimit } from "./concurrency.js";
import type { Pacer } from "./pacing.js";
import { isRetryableStatus } from "./retry.js";

/** A pacer's `acquire` failed: the request was never sent, and the call stops with the pacer's error. */
export class PacerFailure extends Error {}

/** Thrown for an attempt whose answer could not be read: a custom fetch gave no `Response`. */
export class UnreadableAnswer extends Error {
  override name = "UnreadableAnswer";
}

/**
 * When undici writes a request's headers, the `wrote` of the permit that request was sent under: found
 * through the async context the fetch was called in. Node's own fetch (undici) publishes the write on a
 * diagnostics channel; another fetch never does, and its requests are measured from their permit. Set up
 * on the first paced request (null where the runtime has neither module).
 */
let wroteContext: import("node:async_hooks").AsyncLocalStorage<() => void> | null | undefined;

function wroteUnder() {
  if (wroteContext !== undefined) return wroteContext;
  type Builtins = { getBuiltinModule?: (id: string) => unknown };
  const load = (globalThis as { process?: Builtins }).process?.getBuiltinModule;
  const hooks = load?.("node:async_hooks") as typeof import("node:async_hooks") | undefined;
  const channels = load?.("node:diagnostics_channel") as typeof import("node:diagnostics_channel") | undefined;
  wroteContext = null;
  if (!hooks?.AsyncLocalStorage || !channels?.subscribe) return wroteContext;
  const context = new hooks.AsyncLocalStorage<() => void>();
  channels.subscribe("undici:client:sendHeaders", () => context.getStore()?.());
  wroteContext = context;
  return context;
}

/** Statuses whose Response must have no body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Takes a pacing permit right before the request leaves, then gives the request `timeoutMs` to answer,
 * body included. The deadline is our own timer racing the fetch and the body, not only an abort signal:
 * undici holds the signal of a wrapping Request weakly (after a garbage collection the abort never
 * arrives), and a custom fetch may ignore the signal or a body may never end. Each attempt's round trip
 * and outcome feed the credential's adaptive in-flight limit.
 */
export function timedFetch(
  baseFetch: typeof fetch,
  pacer: Pacer | undefined,
  timeoutMs: number,
  inFlight: InFlightLimit,
): typeof fetch {
  return async (input, init) => {
    const pacingFrom = inFlight.now();
    const permit = pacer ? await pacer.acquire().catch(pacerFailed) : undefined;
    const sentAt = inFlight.now();
    let overload = true;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const reason = new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError");
        controller.abort(reason);
        reject(reason);
      }, timeoutMs);
    });
    let response: unknown;
    try {
      // One Request, not two: each wrapping of a streamed body adds a proxy stream that copies every chunk.
      // The signal goes in `init`, where fetch follows it directly (a wrapping Request's signal can be collected).
      const request = init === undefined ? input : new Request(input, init);
      const send = () => baseFetch(request, { signal: controller.signal });
      const wrote = permit?.wrote?.bind(permit);
      const context = wrote && wroteUnder();
      response = await Promise.race([context ? context.run(wrote, send) : send(), deadline]);
      if (!isResponseLike(response)) {
        throw new UnreadableAnswer(`the fetch function returned ${describeValue(response)}, not a Response`);
      }
      // The whole body under the same deadline, so a body that never ends still ends the attempt.
      const body = await Promise.race([response.arrayBuffer(), deadline]);
      overload = isRetryableStatus(response.status);
      return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: new Headers(response.headers),
      });
    } catch (error) {
      // Frees the connection of a body we will not read.
      if (response instanceof Response && !response.bodyUsed) response.body?.cancel().catch(() => {});
      throw error;
    } finally {
      clearTimeout(timer);
      // The answer (or the failure) is back: the server has certainly counted this request by now.
      permit?.release();
      const rttMs = inFlight.now() - sentAt;
      inFlight.observe({ sentAt, rttMs, pacedMs: sentAt - pacingFrom, outcome: overload ? "overload" : "ok" });
    }
  };
}

/**
 * A Response by its shape, not its class: fetch libraries (node-fetch, a bundled undici) return their
 * own Response classes, which openapi-fetch reads just as well.
 */
function isResponseLike(value: unknown): value is Response {
  const r = value as Partial<Response> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.status === "number" &&
    typeof r.arrayBuffer === "function" &&
    typeof r.headers?.get === "function"
  );
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `a ${typeof value}`;
}

function pacerFailed(error: unknown): never {
  throw new PacerFailure("pacer failed", { cause: error });
}
