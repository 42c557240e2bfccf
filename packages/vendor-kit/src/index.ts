import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";

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

/** Sends the bearer token and asks for JSON on every request. */
export function bearerAuth(token: string): Middleware {
  const authorization = `Bearer ${token}`;
  return {
    onRequest({ request }) {
      request.headers.set("Authorization", authorization);
      request.headers.set("Accept", "application/json");
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
