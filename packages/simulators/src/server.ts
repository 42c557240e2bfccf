import { randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FaultInjector, type FaultOptions } from "./faults.js";
import { LatencyModel, type LatencyOptions, leadsIn } from "./latency.js";
import { CONTROL_PREFIX, controlError, isRecord, type Reply, type Route, type StatsSink } from "./plumbing.js";
import { createRandom } from "./random.js";
import { type RateLimitWindow, SlidingWindowLimiter } from "./rate-limit.js";
import { emptyStats } from "./stats.js";
import { type AmplemarketStore, createAmplemarket } from "./vendors/amplemarket.js";
import { createInstantly, type InstantlyStore } from "./vendors/instantly.js";
import { createNlpearl, type NlpearlStore } from "./vendors/nlpearl.js";

export type Vendor = "instantly" | "amplemarket" | "nlpearl";
export const VENDORS: readonly Vendor[] = ["instantly", "amplemarket", "nlpearl"];

export interface SimulatorCredentials {
  instantly: { apiKey: string };
  amplemarket: { apiKey: string };
  /** Sent by clients as `Authorization: Bearer <accountId>:<secretKey>`. */
  nlpearl: { accountId: string; secretKey: string };
}

/** The credentials each simulator accepts unless `credentials` says otherwise. Not secrets. */
export const SIMULATOR_CREDENTIALS: Readonly<{ [V in Vendor]: Readonly<SimulatorCredentials[V]> }> = Object.freeze({
  instantly: Object.freeze({ apiKey: "sim-instantly-api-key" }),
  amplemarket: Object.freeze({ apiKey: "sim-amplemarket-api-key" }),
  nlpearl: Object.freeze({ accountId: "sim-account", secretKey: "sim-secret-key" }),
});

export interface SimulatorStores {
  instantly: InstantlyStore;
  amplemarket: AmplemarketStore;
  nlpearl: NlpearlStore;
}

/** The documented limits each simulator enforces by default. */
export const DEFAULT_RATE_LIMITS: Readonly<{ [V in Vendor]: readonly RateLimitWindow[] }> = Object.freeze({
  // "100 requests per second and 6,000 requests per minute" per workspace.
  instantly: [
    { limit: 100, windowMs: 1_000 },
    { limit: 6_000, windowMs: 60_000 },
  ],
  // "500 requests per minute".
  amplemarket: [{ limit: 500, windowMs: 60_000 }],
  // NLPearl documents none.
  nlpearl: [],
});

export interface RateLimitOptions {
  /** Replaces the vendor's documented windows; every window must have room for a request to pass. */
  windows?: readonly RateLimitWindow[];
  /**
   * Send `Retry-After` (whole seconds until a slot frees) with a rate-limit 429.
   * Default: true for Amplemarket, which documents it; false for Instantly, which does not;
   * true for NLPearl.
   */
  retryAfter?: boolean;
}

export interface SimulatorOptions<V extends Vendor = Vendor> {
  vendor: V;
  /** Default 0: the OS picks a free port. */
  port?: number;
  /** A loopback address only; default `127.0.0.1`. */
  host?: "127.0.0.1" | "::1" | "localhost";
  /** The only credentials the simulator accepts; default `SIMULATOR_CREDENTIALS[vendor]`. */
  credentials?: SimulatorCredentials[V];
  /** `false` turns rate limiting off; default: the vendor's documented limits. */
  rateLimits?: RateLimitOptions | false;
  faults?: FaultOptions;
  /** Seeds generated ids and fault draws. Default: a random seed, readable as `simulator.seed`. */
  seed?: number;
  /** Larger request bodies are answered with the vendor's 400. Default 64 MiB. */
  maxBodyBytes?: number;
  /** How long admitted requests take, and how many the server works on at once. Default: no added latency. */
  latency?: LatencyOptions;
}

export interface Simulator<V extends Vendor = Vendor> {
  vendor: V;
  /** `http://127.0.0.1:<port>`, no trailing slash: the base URL for the vendor client. */
  url: string;
  port: number;
  /** The seed in use, to reproduce a run. */
  seed: number;
  credentials: SimulatorCredentials[V];
  store: SimulatorStores[V];
  /** Stops listening and drops every open connection (hung ones included). */
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Starts a stateful, in-memory simulator of one vendor's lead endpoints on loopback. */
export async function startSimulator<V extends Vendor>(options: SimulatorOptions<V>): Promise<Simulator<V>> {
  const vendor = options?.vendor;
  if (!VENDORS.includes(vendor))
    throw new TypeError(`startSimulator: unknown vendor "${vendor}"; use one of ${VENDORS.join(", ")}`);
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK_HOSTS.has(host)) throw new TypeError(`startSimulator: host must be a loopback address, got "${host}"`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(`startSimulator: invalid port ${port}`);
  const seed = options.seed ?? randomInt(2 ** 31);
  if (!Number.isInteger(seed)) throw new TypeError(`startSimulator: seed must be an integer, got ${seed}`);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const credentials = { ...SIMULATOR_CREDENTIALS[vendor], ...options.credentials } as SimulatorCredentials[V];
  const stats: StatsSink = { current: emptyStats() };
  const faults = new FaultInjector(options.faults, seed);
  const rateLimits = options.rateLimits === false ? undefined : options.rateLimits;
  const windows = options.rateLimits === false ? [] : (rateLimits?.windows ?? DEFAULT_RATE_LIMITS[vendor]);
  const limiter = windows.length > 0 ? new SlidingWindowLimiter(windows) : undefined;
  const sendRetryAfter = rateLimits?.retryAfter ?? vendor !== "instantly";
  // Its own stream, so that adding latency never changes fault draws or ids.
  const latency = new LatencyModel(options.latency, seed ^ 0x2545f491);
  let ordinal = 0;
  const runtime = {
    stats,
    resetServer() {
      // Requests still being served stay counted.
      const inFlight = stats.current.inFlight;
      stats.current = emptyStats();
      stats.current.inFlight = stats.current.peakInFlight = inFlight;
      ordinal = 0;
      limiter?.reset();
      faults.reset();
      latency.reset();
    },
  };
  // Ids come from their own stream so that adding fault rules never changes them.
  const ids = createRandom(seed ^ 0x5bd1e995);
  const { module, store } = createVendor(vendor, credentials, runtime, ids);

  const sockets = new Set<Socket>();
  const pendingTimers = new Set<NodeJS.Timeout>();

  function send(response: ServerResponse, reply: Reply): void {
    const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
    const headers: Record<string, string | number> = { ...reply.headers, "content-length": Buffer.byteLength(payload) };
    if (payload) headers["content-type"] = "application/json; charset=utf-8";
    if (response.req.complete === false) headers.connection = "close";
    response.writeHead(reply.status, headers);
    response.end(payload);
  }

  function count(reply: Reply): Reply {
    const byStatus = stats.current.responsesByStatus;
    byStatus[reply.status] = (byStatus[reply.status] ?? 0) + 1;
    return reply;
  }

  function reset(request: IncomingMessage): void {
    const socket = request.socket;
    if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
    else socket.destroy();
  }

  async function serveVendor(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const current = stats.current;
    current.requests++;
    current.peakInFlight = Math.max(current.peakInFlight, ++current.inFlight);
    try {
      await serveCounted(request, response, path);
    } finally {
      // The stats may have been reset meanwhile: the request leaves the live counters.
      stats.current.inFlight--;
    }
  }

  async function serveCounted(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const fault = faults.pick(++ordinal);
    if (fault) stats.current.faults[fault.kind]++;
    if (fault?.kind === "reset-before") return reset(request);
    // Read the body now: a delayed request must still be processable after its client hung up.
    const body = readJson(request, maxBodyBytes);
    switch (fault?.kind) {
      case "hang":
        // Keep the socket open; close() or the client ends it.
        return;
      case "429":
        return send(response, count(module.rateLimited(fault.retryAfter)));
      case "500":
      case "502":
      case "503":
        return send(response, count(module.serverError(Number(fault.kind) as 500 | 502 | 503)));
      case "delay":
        // A slow server still does the work, whether or not the client is still waiting.
        await sleep(fault.delayMs ?? 1_000);
        break;
    }
    const reply = await handleRequest(request, path, body);
    if (fault?.kind === "reset-after") return reset(request);
    if (request.socket.destroyed) return;
    send(response, count(reply));
  }

  /** Authenticates, rate limits and runs the route. */
  async function handleRequest(request: IncomingMessage, path: string, body: Promise<JsonBody>): Promise<Reply> {
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
    await latency.serve(leadsIn(parsed.value), sleep);
    if (parsed.error !== undefined) return module.badRequest(parsed.error);
    const query = new URL(request.url ?? "/", "http://simulator").searchParams;
    return route.route.handle({ params: route.params, body: parsed.value, query });
  }

  async function serveControl(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const found = match(controlRoutes, request.method, path.slice(CONTROL_PREFIX.length) || "/");
    if (found === MALFORMED) {
      request.resume();
      return send(response, { status: 400, body: { error: MALFORMED_MESSAGE } });
    }
    if (!found) {
      request.resume();
      return send(response, { status: 404, body: { error: `no control route ${request.method} ${path}` } });
    }
    const body = await readJson(request, maxBodyBytes);
    if (body.error !== undefined) return send(response, { status: 400, body: { error: body.error } });
    send(response, found.route.handle({ params: found.params, body: body.value }));
  }

  const controlRoutes: readonly Route[] = [
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
    ...module.controlRoutes,
  ];

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });
  }

  const server = createServer({ keepAlive: true }, (request, response) => {
    const path = (request.url ?? "/").split("?", 1)[0]!;
    const isControl = path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
    (isControl ? serveControl(request, response, path) : serveVendor(request, response, path)).catch((error) => {
      // A bug in the simulator, not a simulated fault: say so loudly, in plain text.
      if (!response.headersSent) {
        response.writeHead(599, { "content-type": "text/plain; charset=utf-8" });
        response.end(`simulator bug: ${error instanceof Error ? error.stack : String(error)}`);
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  // Clients that send bodies faster than we read them must not crash the process.
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    vendor,
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    seed,
    credentials,
    store: store as SimulatorStores[V],
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const timer of pendingTimers) clearTimeout(timer);
        pendingTimers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}

function createVendor(
  vendor: Vendor,
  credentials: unknown,
  runtime: Parameters<typeof createInstantly>[1],
  ids: ReturnType<typeof createRandom>,
) {
  switch (vendor) {
    case "instantly":
      return createInstantly(credentials as SimulatorCredentials["instantly"], runtime, ids);
    case "amplemarket":
      return createAmplemarket(credentials as SimulatorCredentials["amplemarket"], runtime, ids);
    case "nlpearl":
      return createNlpearl(credentials as SimulatorCredentials["nlpearl"], runtime, ids);
  }
}

/** A path parameter with a malformed percent escape (`%E0%A4%A`): the vendors answer 400, as for a bad body. */
const MALFORMED = Symbol("malformed path");
const MALFORMED_MESSAGE = "The request path has a malformed percent-encoded character";

function match(routes: readonly Route[], method: string | undefined, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(found.groups ?? {})) {
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        return MALFORMED;
      }
    }
    return { route, params };
  }
  return undefined;
}

type JsonBody = { value: unknown; error?: undefined } | { value?: undefined; error: string };

/** Reads and parses a JSON body of at most `maxBytes`; an empty body is `undefined`. */
function readJson(request: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  return new Promise((resolve) => {
    const declared = Number(request.headers["content-length"] ?? 0);
    if (declared > maxBytes) {
      request.resume();
      return resolve({ error: `Request body is larger than ${maxBytes} bytes` });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    if (request.complete) return resolve({ value: undefined });
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on("error", () => resolve({ error: "Request body could not be read" }));
    // A client that hangs up mid-body never sends "end".
    request.on("close", () => {
      if (!request.complete) resolve({ error: "The client closed the connection" });
    });
    request.on("end", () => {
      if (tooLarge) return resolve({ error: `Request body is larger than ${maxBytes} bytes` });
      if (size === 0) return resolve({ value: undefined });
      try {
        resolve({ value: JSON.parse(Buffer.concat(chunks, size).toString("utf8")) });
      } catch {
        resolve({ error: "Request body is not valid JSON" });
      }
    });
  });
}
