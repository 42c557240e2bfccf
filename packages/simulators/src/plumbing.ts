// What every vendor module gives the shared HTTP server, and the typing that ties each
// handler's answers to the vendor's generated contract.
import type { SimulatorStats } from "./stats.js";

/** One answer: a status, a JSON body (none when undefined) and extra headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type JsonOf<R> = R extends { content: { "application/json": infer Body } } ? Body : undefined;

/**
 * Every answer an operation documents, as a `Reply`: a handler typed with it cannot return a
 * status or body the vendor's spec (after our overlay) does not list.
 */
export type ReplyOf<Operation extends { responses: object }> = {
  [Status in keyof Operation["responses"]]: {
    status: Status;
    body: JsonOf<Operation["responses"][Status]>;
    headers?: Record<string, string>;
  };
}[keyof Operation["responses"]];

export interface RouteRequest {
  params: Record<string, string>;
  /** The parsed JSON body; undefined when there was none. */
  body: unknown;
  /** The query string (vendor routes only). */
  query?: URLSearchParams;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Matched against the path without query; named groups become `params`. */
  pattern: RegExp;
  handle(request: RouteRequest): Reply;
}

/** Counters the server updates and the store exposes. */
export interface StatsSink {
  current: SimulatorStats;
}

/** What a store needs from the server it lives in. */
export interface StoreRuntime {
  stats: StatsSink;
  /** Resets what the server holds besides the store: stats, request ordinals, limiter, fault draws. */
  resetServer(): void;
}

export interface VendorModule {
  routes: readonly Route[];
  /** Routes under `/__simulator`; never authenticated, rate limited nor faulted. */
  controlRoutes: readonly Route[];
  isAuthorized(authorization: string | undefined): boolean;
  unauthorized(): Reply;
  rateLimited(retryAfterSeconds: number | undefined): Reply;
  serverError(status: 500 | 502 | 503): Reply;
  /** For bodies that are not JSON or are too large. */
  badRequest(message: string): Reply;
  /** For a path or method the vendor does not serve. */
  notFound(): Reply;
}

export const CONTROL_PREFIX = "/__simulator";

/** Control API answers. */
export function controlError(status: number, message: string): Reply {
  return { status, body: { error: message } };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `Bearer <token>` → token, compared exactly. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer (.+)$/.exec(authorization ?? "");
  return match?.[1];
}

/** `GET /stats` and `POST /reset`, the same for every vendor. */
export function commonControlRoutes(store: { stats(): SimulatorStats; reset(): void }): Route[] {
  return [
    { method: "GET", pattern: /^\/stats$/, handle: () => ({ status: 200, body: store.stats() }) },
    {
      method: "POST",
      pattern: /^\/reset$/,
      handle() {
        store.reset();
        return { status: 204 };
      },
    },
  ];
}
