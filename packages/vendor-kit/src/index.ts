import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";

export type { Client } from "openapi-fetch";
export type {
  CredentialDescriptor,
  DestinationField,
  DestinationKind,
  RateLimit,
  VendorDescriptor,
} from "./descriptor.js";

/** Options every vendor factory accepts besides its credentials. */
export interface TransportOptions {
  /** Defaults to the vendor's production server, as its spec declares it. */
  baseUrl?: string;
  /** A fetch to use instead of `globalThis.fetch` (a proxy, a test double, a tracing wrapper). */
  fetch?: ClientOptions["fetch"];
  /** Headers sent with every request. Authorization and Accept are set by the client. */
  headers?: ClientOptions["headers"];
}

/** Thrown when a factory is called without a usable option. Names the option, never its value. */
export class MissingCredentialError extends TypeError {
  override name = "MissingCredentialError";
  constructor(
    readonly factory: string,
    readonly option: string,
    hint: string,
  ) {
    super(`${factory}: option "${option}" is required and must be a non-empty string. ${hint}`);
  }
}

/** Returns `value` if it is a non-empty string, else throws naming `option` (and never echoing `value`). */
export function requireString(factory: string, option: string, value: unknown, hint: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new MissingCredentialError(factory, option, hint);
  return value;
}

/** Sends the bearer token, and asks for JSON unless the call names another media type. */
export function bearerAuth(token: string): Middleware {
  const authorization = `Bearer ${token}`;
  return {
    onRequest({ request }) {
      request.headers.set("Authorization", authorization);
      if (!request.headers.has("Accept")) request.headers.set("Accept", "application/json");
      return request;
    },
  };
}

/** A typed openapi-fetch client for `Paths`, authenticated with a bearer token. */
export function createBearerClient<Paths extends {}>(
  token: string,
  defaultBaseUrl: string,
  { baseUrl, fetch, headers }: TransportOptions,
): Client<Paths, "application/json"> {
  const client = createClient<Paths, "application/json">({ baseUrl: baseUrl ?? defaultBaseUrl, fetch, headers });
  client.use(bearerAuth(token));
  return client;
}

/** What every openapi-fetch call resolves to: `data` on success, else the typed `error` body. */
export interface FetchResult<Data = unknown, Body = unknown> {
  data?: Data;
  error?: Body;
  response: Response;
}

const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "cf-ray"];

/**
 * A vendor's error answer: its status, its typed body and its request id. Carries the method and
 * the URL without its query string, never the request's headers, so it cannot leak the credential.
 */
export class VendorApiError<Body = unknown> extends Error {
  override name = "VendorApiError";
  readonly status: number;
  readonly requestId: string | undefined;
  readonly url: string;
  constructor(
    response: Response,
    readonly body: Body,
  ) {
    const url = response.url.split("?")[0] ?? "";
    const message =
      (body as { message?: unknown; title?: unknown } | undefined)?.message ?? (body as { title?: unknown })?.title;
    super(`HTTP ${response.status} from ${url || "the vendor"}${typeof message === "string" ? `: ${message}` : ""}`);
    this.status = response.status;
    this.url = url;
    this.requestId = REQUEST_ID_HEADERS.map((h) => response.headers.get(h)).find((v) => v) ?? undefined;
  }
}

/** The data of a successful call; anything else throws a {@link VendorApiError} with the typed body. */
export function unwrap<Data, Body>(result: FetchResult<Data, Body>): Data {
  if (result.error !== undefined || !result.response.ok)
    throw new VendorApiError(result.response, result.error as Body);
  return result.data as Data;
}

/** One page as a vendor's list operation returns it: its items and the cursor of the next, if any. */
export interface Page<Item> {
  items: readonly Item[];
  next: string | number | null | undefined;
}

/**
 * Yields every item of every page. `fetchPage(cursor)` asks for the page at `cursor` (undefined:
 * the first); `readPage` finds its items and the next cursor. Stops after a page without a next
 * cursor or without items; throws the call's {@link VendorApiError} on an error, and throws rather
 * than loops when a vendor hands back a cursor it already gave.
 */
export async function* paginate<Item, Data>(
  fetchPage: (cursor: string | number | undefined) => Promise<FetchResult<Data>>,
  readPage: (data: Data, cursor: string | number | undefined) => Page<Item>,
): AsyncGenerator<Item, void, undefined> {
  const seen = new Set<string | number>();
  let cursor: string | number | undefined;
  for (;;) {
    const page = readPage(unwrap(await fetchPage(cursor)), cursor);
    const { items } = page;
    yield* items;
    // Read after the items are out, so a page whose next link cannot be followed still yields them.
    const { next } = page;
    if (next === undefined || next === null || next === "" || items.length === 0) return;
    if (seen.has(next)) throw new Error(`paginate: the next-page cursor ${JSON.stringify(next)} repeated; stopping.`);
    seen.add(next);
    cursor = next;
  }
}

/** The JSON body of the responses of `Operation` whose status is an error (4xx, 5xx, default). */
export type ErrorBodyOf<Operations> = {
  [K in keyof Operations]: Operations[K] extends { responses: infer R }
    ? {
        [S in keyof R]: `${S & (string | number)}` extends `4${string}` | `5${string}` | "default"
          ? R[S] extends { content: { "application/json": infer B } }
            ? B
            : never
          : never;
      }[keyof R]
    : never;
}[keyof Operations];
