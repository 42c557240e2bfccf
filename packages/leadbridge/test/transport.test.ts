// timedFetch's own decisions, with a caller's fetch function (the option users have) standing in for the network.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { AdaptiveConcurrency } from "../src/concurrency.js";
import { describeValue, PacerFailure, timedFetch, UnreadableAnswer } from "../src/transport.js";

const inFlight = () => new AdaptiveConcurrency();

describe("describeValue", () => {
  test.each([
    [null, "null"],
    [undefined, "undefined"],
    [{}, "an object (Object)"],
    [[], "an object (Array)"],
    ["x", "a string"],
    [1, "a number"],
  ])("%j: %s", (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});

describe("timedFetch", () => {
  test("a fetch that gives no Response: UnreadableAnswer naming what it gave", async () => {
    const send = timedFetch((async () => ({ ok: true })) as unknown as typeof fetch, undefined, 10_000, inFlight());
    const error = await send("http://127.0.0.1/").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableAnswer);
    expect((error as Error).message).toBe("the fetch function returned an object (Object), not a Response");
  });

  test("a pacer that fails: PacerFailure with its error as cause, and nothing sent", async () => {
    let sent = 0;
    const cause = new Error("redis down");
    const send = timedFetch(
      (async () => {
        sent++;
        return new Response("{}");
      }) as typeof fetch,
      { acquire: () => Promise.reject(cause) },
      10_000,
      inFlight(),
    );
    const error = await send("http://127.0.0.1/").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PacerFailure);
    expect((error as Error).cause).toBe(cause);
    expect(sent).toBe(0);
  });

  test("the permit is released once the answer is back, and the answer's body read whole", async () => {
    const events: string[] = [];
    const send = timedFetch(
      (async () => {
        events.push("sent");
        return new Response('{"ok":true}', { status: 200, headers: { "x-a": "1" } });
      }) as typeof fetch,
      {
        acquire: async () => {
          events.push("acquired");
          return { release: () => events.push("released") };
        },
      },
      10_000,
      inFlight(),
    );
    const response = await send("http://127.0.0.1/");
    expect(events).toEqual(["acquired", "sent", "released"]);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-a")).toBe("1");
    expect(await response.json()).toEqual({ ok: true });
  });

  test("a 204 comes back without a body", async () => {
    const send = timedFetch(
      (async () => new Response(null, { status: 204 })) as typeof fetch,
      undefined,
      10_000,
      inFlight(),
    );
    const response = await send("http://127.0.0.1/");
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  test("with Node's fetch, the permit hears when the request's bytes left, once, before its release", async () => {
    // A real server on loopback and Node's own fetch (undici), which publishes the write.
    const events: string[] = [];
    let answer: (() => void) | undefined;
    const server = createServer((request, response) => {
      request.resume();
      answer = () => response.end("{}");
      events.push("arrived");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const pacer = {
      acquire: async () => ({ wrote: () => events.push("wrote"), release: () => events.push("released") }),
    };
    try {
      const send = timedFetch(fetch, pacer, 10_000, inFlight());
      const { port } = server.address() as AddressInfo;
      const response = send(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}" });
      await expect.poll(() => events.includes("arrived")).toBe(true);
      answer!();
      expect((await response).status).toBe(200);
      expect(events).toEqual(["wrote", "arrived", "released"]);
    } finally {
      server.close();
    }
  });

  test("another fetch publishes no write: the permit is measured from itself", async () => {
    const events: string[] = [];
    const send = timedFetch(
      (async () => new Response("{}")) as typeof fetch,
      { acquire: async () => ({ wrote: () => events.push("wrote"), release: () => events.push("released") }) },
      10_000,
      inFlight(),
    );
    await send("http://127.0.0.1/");
    expect(events).toEqual(["released"]);
  });
});
