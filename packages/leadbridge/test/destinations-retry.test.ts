// Listing and creating destinations go through the one retry loop (src/reads.ts): a read is retried after
// a lost answer, a create is not (it may have taken effect), and a 503 is retried for both.
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { expect } from "vitest";
import { ConnectionError, createLeadBridge, type DestinationInfo } from "../src/index.js";

const test = withSimulator(startSimulator);
const retry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

async function all(items: AsyncIterable<DestinationInfo>): Promise<DestinationInfo[]> {
  const out: DestinationInfo[] = [];
  for await (const item of items) out.push(item);
  return out;
}

test("a create whose answer was lost is not resent: one list, and an error saying its outcome is unknown", async ({
  simulator,
}) => {
  const sim = await simulator({
    vendor: "instantly",
    rateLimits: false,
    faults: { rules: [{ kind: "reset-after", schedule: [1] }] },
  });
  const bridge = createLeadBridge({ instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url }, retry });
  const created = bridge.createDestination("instantly", { kind: "list", name: "Once" });
  await expect(created).rejects.toThrow(ConnectionError);
  await expect(created).rejects.toThrow(/whether it took effect is unknown; not resent/);
  expect(sim.store.stats().requests).toBe(1);
  expect(sim.store.listIds()).toHaveLength(1); // the simulator made it before the connection was reset
});

test("a create answered 503 is retried and makes one list; a list read whose answer was lost is retried", async ({
  simulator,
}) => {
  const sim = await simulator({
    vendor: "instantly",
    rateLimits: false,
    faults: {
      rules: [
        { kind: "503", schedule: [1] },
        { kind: "reset-after", schedule: [3] },
      ],
    },
  });
  const bridge = createLeadBridge({ instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url }, retry });
  const created = await bridge.createDestination("instantly", { kind: "list", name: "After a 503" });
  expect(sim.store.listIds()).toEqual([created.id]);
  const found = await all(bridge.destinations("instantly"));
  expect(found.map((d) => d.id)).toEqual([created.id]);
  expect(sim.store.stats().faults).toMatchObject({ 503: 1, "reset-after": 1 });
});
