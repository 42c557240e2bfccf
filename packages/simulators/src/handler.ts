// What the simulator does with one request: faults, authentication, rate limits, latency, then the
// vendor's route; and the control API beside it.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultInjector } from "./faults.js";
import { type JsonBody, MALFORMED, MALFORMED_MESSAGE, match, readJson, resetConnection, send } from "./http.js";
import { type LatencyModel, type LatencyOptions, leadsIn } from "./latency.js";
import {
  CONTROL_PREFIX,
  controlError,
  isRecord,
  type Reply,
  type Route,
  type StatsSink,
  type VendorModule,
} from "./plumbing.js";
import type { SlidingWindowLimiter } from "./rate-limit.js";

export interface HandlerParts {
  module: VendorModule;
  stats: StatsSink;
  faults: FaultInjector;
  /** Absent when rate limiting is off. */
  limiter: SlidingWindowLimiter | undefined;
  sendRetryAfter: boolean;
  latency: LatencyModel;
  maxBodyBytes: number;
}

export class RequestHandler {
  /** The vendor request's number since the start or the last reset, for fault rules. */
  ordinal = 0;
  readonly #parts: HandlerParts;
  readonly #controlRoutes: readonly Route[];
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(parts: HandlerParts) {
    this.#parts = parts;
    this.#controlRoutes = [...latencyControlRoutes(parts.latency), ...parts.module.controlRoutes];
  }

  /** Serves a request to the vendor API or, under `/__simulator`, to the control API. */
  serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? "/").split("?", 1)[0]!;
    const isControl = path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
    return isControl ? this.#serveControl(request, response, path) : this.#serveVendor(request, response, path);
  }

  /** Ends every pending delay: the server is closing. */
  clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #serveVendor(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const { stats } = this.#parts;
    const current = stats.current;
    current.requests++;
    current.peakInFlight = Math.max(current.peakInFlight, ++current.inFlight);
    try {
      await this.#serveCounted(request, response, path);
    } finally {
      // The stats may have been reset meanwhile: the request leaves the live counters.
      stats.current.inFlight--;
    }
  }

  async #serveCounted(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const { faults, module, stats, maxBodyBytes } = this.#parts;
    const fault = faults.pick(++this.ordinal);
    if (fault) stats.current.faults[fault.kind]++;
    if (fault?.kind === "reset-before") return resetConnection(request);
    // Read the body now: a delayed request must still be processable after its client hung up.
    const body = readJson(request, maxBodyBytes);
    switch (fault?.kind) {
      case "hang":
        // Keep the socket open; close() or the client ends it.
        return;
      case "429":
        return send(response, this.#count(module.rateLimited(fault.retryAfter)));
      case "500":
      case "502":
      case "503":
        return send(response, this.#count(module.serverError(Number(fault.kind) as 500 | 502 | 503)));
      case "delay":
        // A slow server still does the work, whether or not the client is still waiting.
        await this.sleep(fault.delayMs ?? 1_000);
        break;
    }
    const reply = await this.#handleRequest(request, path, body);
    if (fault?.kind === "reset-after") return resetConnection(request);
    if (request.socket.destroyed) return;
    send(response, this.#count(reply));
  }

  /** Authenticates, rate limits and runs the route. */
  async #handleRequest(request: IncomingMessage, path: string, body: Promise<JsonBody>): Promise<Reply> {
    const { module, limiter, stats, latency, sendRetryAfter } = this.#parts;
    const route = match(module.routes, request.method, path);
    if (route === MALFORMED) return module.badRequest(MALFORMED_MESSAGE);
    if (!route) return module.notFound();
    const authorization = request.headers.authorization;
    if (!module.isAuthorized(authorization)) return module.unauthorized();
    if (limiter) {
      const waitMs = limiter.tryAcquire(authorization ?? "", performance.now());
      if (waitMs > 0) {
        stats.current.rateLimited++;
        return module.rateLimited(sendRetryAfter ? Math.ceil(waitMs / 1000) : undefined);
      }
    }
    const parsed = await body;
    await latency.serve(leadsIn(parsed.value), (ms) => this.sleep(ms));
    if (parsed.error !== undefined) return module.badRequest(parsed.error);
    const query = new URL(request.url ?? "/", "http://simulator").searchParams;
    return route.route.handle({ params: route.params, body: parsed.value, query });
  }

  async #serveControl(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const found = match(this.#controlRoutes, request.method, path.slice(CONTROL_PREFIX.length) || "/");
    if (found === MALFORMED) {
      request.resume();
      return send(response, { status: 400, body: { error: MALFORMED_MESSAGE } });
    }
    if (!found) {
      request.resume();
      return send(response, { status: 404, body: { error: `no control route ${request.method} ${path}` } });
    }
    const body = await readJson(request, this.#parts.maxBodyBytes);
    if (body.error !== undefined) return send(response, { status: 400, body: { error: body.error } });
    send(response, found.route.handle({ params: found.params, body: body.value }));
  }

  #count(reply: Reply): Reply {
    const byStatus = this.#parts.stats.current.responsesByStatus;
    byStatus[reply.status] = (byStatus[reply.status] ?? 0) + 1;
    return reply;
  }

  /** A delay that `clearTimers` cuts short. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }
}

function latencyControlRoutes(latency: LatencyModel): Route[] {
  return [
    { method: "GET", pattern: /^\/latency$/, handle: () => ({ status: 200, body: latency.settings }) },
    {
      method: "PUT",
      pattern: /^\/latency$/,
      handle({ body }) {
        if (!isRecord(body)) return controlError(400, "expected { fixedMs?, perLeadMs?, jitter?, capacity? }");
        try {
          return { status: 200, body: latency.configure(body as LatencyOptions) };
        } catch (error) {
          return controlError(400, (error as Error).message);
        }
      },
    },
  ];
}
