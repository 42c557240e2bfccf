import { randomInt } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FaultInjector, type FaultOptions } from "./faults.js";
import { RequestHandler } from "./handler.js";
import { LatencyModel, type LatencyOptions } from "./latency.js";
import type { StatsSink, StoreRuntime } from "./plumbing.js";
import { createRandom } from "./random.js";
import { type RateLimitWindow, SlidingWindowLimiter } from "./rate-limit.js";
import {
  createVendor,
  DEFAULT_RATE_LIMITS,
  SIMULATOR_CREDENTIALS,
  type SimulatorCredentials,
  type SimulatorDestinations,
  type SimulatorStores,
  sendsRetryAfter,
  VENDORS,
  type Vendor,
} from "./registry.js";
import { emptyStats } from "./stats.js";

export {
  DEFAULT_RATE_LIMITS,
  SIMULATOR_CREDENTIALS,
  type SimulatorCredentials,
  type SimulatorDestinations,
  type SimulatorStores,
  VENDORS,
  type Vendor,
} from "./registry.js";

/** A destination of one of `V`'s kinds, as the facade names it; `vendor` may be left out. */
export type SimulatorDestination<V extends Vendor = Vendor> = { [K in V]: SimulatorDestinations[K] }[V];

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
  /**
   * Creates, in the store, the campaign, list or pearl a facade destination names (`{ vendor: "instantly",
   * campaignId }`); one already there is left as it is.
   */
  prepareDestination(destination: SimulatorDestination<V>): void;
  /** How many leads the destination holds now. */
  storedCount(destination: SimulatorDestination<V>): number;
  /** Stops listening and drops every open connection (hung ones included). */
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Starts a stateful, in-memory simulator of one vendor's lead endpoints on loopback. */
export async function startSimulator<V extends Vendor>(options: SimulatorOptions<V>): Promise<Simulator<V>> {
  const { vendor, host, port, seed } = checkOptions(options);
  const credentials = { ...SIMULATOR_CREDENTIALS[vendor], ...options.credentials } as SimulatorCredentials[V];
  const stats: StatsSink = { current: emptyStats() };
  const faults = new FaultInjector(options.faults, seed);
  const rateLimits = options.rateLimits === false ? undefined : options.rateLimits;
  const windows = options.rateLimits === false ? [] : (rateLimits?.windows ?? DEFAULT_RATE_LIMITS[vendor]);
  const limiter = windows.length > 0 ? new SlidingWindowLimiter(windows) : undefined;
  // Its own stream, so that adding latency never changes fault draws or ids.
  const latency = new LatencyModel(options.latency, seed ^ 0x2545f491);
  let handler: RequestHandler | undefined;
  const runtime: StoreRuntime = {
    stats,
    resetServer() {
      // Requests still being served stay counted.
      const inFlight = stats.current.inFlight;
      stats.current = emptyStats();
      stats.current.inFlight = stats.current.peakInFlight = inFlight;
      if (handler) handler.ordinal = 0;
      limiter?.reset();
      faults.reset();
      latency.reset();
    },
  };
  // Ids come from their own stream so that adding fault rules never changes them.
  const { module, store } = createVendor(vendor, credentials, runtime, createRandom(seed ^ 0x5bd1e995));
  handler = new RequestHandler({
    module,
    stats,
    faults,
    limiter,
    sendRetryAfter: rateLimits?.retryAfter ?? sendsRetryAfter(vendor),
    latency,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  });
  const listening = await listen(handler, host, port);
  const vendorStore = store as SimulatorStores[V] & {
    prepareDestination(destination: SimulatorDestination<V>): void;
    storedCount(destination: SimulatorDestination<V>): number;
  };
  return {
    vendor,
    url: listening.url,
    port: listening.port,
    seed,
    credentials,
    store: vendorStore,
    prepareDestination: (destination) => vendorStore.prepareDestination(destination),
    storedCount: (destination) => vendorStore.storedCount(destination),
    close: listening.close,
  };
}

function checkOptions<V extends Vendor>(options: SimulatorOptions<V>) {
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
  return { vendor, host, port, seed };
}

/** Listens on `host:port` until `close()`, which drops every open connection (hung ones included). */
async function listen(handler: RequestHandler, host: string, port: number) {
  const sockets = new Set<Socket>();
  const server = createServer({ keepAlive: true }, (request, response) => {
    handler.serve(request, response).catch((error) => {
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
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        handler.clearTimers();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
