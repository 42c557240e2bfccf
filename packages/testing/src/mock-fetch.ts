const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);

/** Whether `error` is fetch failing because the connection dropped under it (no answer was read). */
function connectionDropped(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" && RESET_CODES.has(cause.code);
}

/**
 * `fetch` for a stateless mock server (`prism mock`): a request whose connection is reset is sent once more.
 * On a loaded machine Node's keep-alive race (the server closes an idle socket as the client reuses it)
 * resets a request now and then; that is not an answer, and the mock keeps no state a resend could change.
 */
export async function mockFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const again = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    if (!connectionDropped(error)) throw error;
    return fetch(again);
  }
}
