// timedFetch's own decisions, with a caller's fetch function (the option users have) standing in for the network.
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
});
