// The HTTP plumbing every simulator shares: route matching, JSON bodies in and out.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Reply, Route } from "./plumbing.js";

/** A path parameter with a malformed percent escape (`%E0%A4%A`): the vendors answer 400, as for a bad body. */
export const MALFORMED = Symbol("malformed path");
export const MALFORMED_MESSAGE = "The request path has a malformed percent-encoded character";

export function match(routes: readonly Route[], method: string | undefined, path: string) {
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

export type JsonBody = { value: unknown; error?: undefined } | { value?: undefined; error: string };

/** Reads and parses a JSON body of at most `maxBytes`; an empty body is `undefined`. */
export function readJson(request: IncomingMessage, maxBytes: number): Promise<JsonBody> {
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

export function send(response: ServerResponse, reply: Reply): void {
  const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
  const headers: Record<string, string | number> = { ...reply.headers, "content-length": Buffer.byteLength(payload) };
  if (payload) headers["content-type"] = "application/json; charset=utf-8";
  if (response.req.complete === false) headers.connection = "close";
  response.writeHead(reply.status, headers);
  response.end(payload);
}

/** Drops the connection with a TCP reset, as a crashing server would. */
export function resetConnection(request: IncomingMessage): void {
  const socket = request.socket;
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket.destroy();
}
