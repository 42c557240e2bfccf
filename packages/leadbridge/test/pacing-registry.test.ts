// The per-credential registry of pacers in src/pacing.ts, without a network.
import { waitUntil } from "@leadbridge/testing";
import { afterEach, describe, expect, test } from "vitest";
import { eventLoopDelayMs, type RateWindow } from "../src/limiter.js";
import { clearPacing, type Pacer, type PacerKey, pacingFor } from "../src/pacing.js";

const windows: RateWindow[] = [{ limit: 100, windowMs: 1000 }];

afterEach(() => clearPacing());

describe("pacingFor", () => {
  test("one credential: the same pacer and in-flight limit for every call", async () => {
    const a = await pacingFor("instantly", windows, undefined, "key-1");
    const b = await pacingFor("instantly", windows, undefined, "key-1");
    expect(a.pacer).toBeDefined();
    expect(b.pacer).toBe(a.pacer);
    expect(b.inFlight).toBe(a.inFlight);
  });

  test("another credential, vendor or base URL: another pacer", async () => {
    const a = await pacingFor("instantly", windows, undefined, "key-1");
    const others = [
      await pacingFor("instantly", windows, undefined, "key-2"),
      await pacingFor("amplemarket", windows, undefined, "key-1"),
      await pacingFor("instantly", windows, { baseUrl: "http://127.0.0.1:1" }, "key-1"),
    ];
    for (const other of others) {
      expect(other.pacer).not.toBe(a.pacer);
      expect(other.inFlight).not.toBe(a.inFlight);
    }
  });

  test("clearPacing empties the registry: a call after it gets a fresh pacer and in-flight limit", async () => {
    const before = await pacingFor("instantly", windows, undefined, "key-1");
    clearPacing();
    const after = await pacingFor("instantly", windows, undefined, "key-1");
    expect(after.pacer).toBeDefined();
    expect(after.pacer).not.toBe(before.pacer);
    expect(after.inFlight).not.toBe(before.inFlight);
    // …and the fresh one is shared again.
    expect((await pacingFor("instantly", windows, undefined, "key-1")).pacer).toBe(after.pacer);
  });

  test("rateLimit false, or a vendor with no documented limits: no pacer", async () => {
    expect((await pacingFor("instantly", windows, { rateLimit: false }, "key-1")).pacer).toBeUndefined();
    expect((await pacingFor("nlpearl", [], undefined, "key-1")).pacer).toBeUndefined();
  });

  test("a Pacer of the caller's: used as is", async () => {
    const mine: Pacer = { acquire: async () => undefined };
    expect((await pacingFor("instantly", windows, { rateLimit: mine }, "key-1")).pacer).toBe(mine);
  });

  test("a SharedPacing: asked with the vendor, base URL, limits and a hash of the credential, never the credential", async () => {
    const keys: PacerKey[] = [];
    const made: Pacer = { acquire: async () => undefined };
    const shared = {
      pacerFor: (key: PacerKey) => {
        keys.push(key);
        return made;
      },
    };
    const config = { baseUrl: "http://127.0.0.1:1", rateLimit: shared };
    expect((await pacingFor("instantly", windows, config, "secret-token")).pacer).toBe(made);
    const { createHash } = await import("node:crypto");
    const hash = createHash("sha256").update("leadbridge-credential\0secret-token").digest("hex");
    expect(keys).toEqual([{ vendor: "instantly", baseUrl: "http://127.0.0.1:1", credentialHash: hash, windows }]);
    expect(JSON.stringify(keys)).not.toContain("secret-token");
  });
});

describe("clearPacing and the event-loop-delay monitor", () => {
  test("the monitor sees a blocked loop; clearPacing stops it and forgets what it saw", async () => {
    eventLoopDelayMs(); // starts the monitor
    const until = Date.now() + 60;
    while (Date.now() < until); // block the loop: the monitor's next tick fires late
    await new Promise((resolve) => setImmediate(resolve));
    await waitUntil("the monitor saw the blocked loop", () => eventLoopDelayMs() > 0, 10_000);
    expect(eventLoopDelayMs()).toBeGreaterThan(0);
    clearPacing();
    expect(eventLoopDelayMs()).toBe(0); // a fresh monitor, nothing seen yet
  });
});
