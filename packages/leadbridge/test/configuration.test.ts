// Options are checked before anything is created or read: a concurrency over the cap, or a destination
// key that no vendor has (a typo), is a ConfigurationError naming the option.
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect } from "vitest";
import { ConfigurationError, createLeadBridge, MAX_CONCURRENCY } from "../src/index.js";
import { manyLeads } from "./helpers.js";

const test = withSimulator(startSimulator);

/** Input that fails the test if anything reads it. */
function untouchable(): Iterable<never> {
  return {
    [Symbol.iterator]() {
      throw new Error("the input was read before the options were checked");
    },
  };
}

describe("concurrency", () => {
  test("the cap is documented and sane", () => {
    expect(MAX_CONCURRENCY).toBe(256);
  });

  test.for([MAX_CONCURRENCY + 1, 10_000, 200_000_000, Number.POSITIVE_INFINITY])(
    "%d is refused by name, before the input is read or a request sent",
    async (concurrency, { simulator }) => {
      const sim = await simulator({ vendor: "nlpearl", seed: 1 });
      const bridge = createLeadBridge({ nlpearl: { ...sim.credentials, baseUrl: sim.url } });
      const error = await bridge
        .addLeads({ vendor: "nlpearl", pearlId: sim.store.createOutbound() }, untouchable(), { concurrency })
        .catch((e) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.message).toMatch(/^concurrency must be an integer from 1 to 256/);
      expect(sim.store.stats().requests).toBe(0);
    },
  );

  test("the cap itself is accepted", async () => {
    const report = await createLeadBridge({}).addLeads({ vendor: "nlpearl", pearlId: "p" }, manyLeads(3), {
      concurrency: MAX_CONCURRENCY,
      dryRun: true,
    });
    expect(report.counts.skipped).toBe(3);
  });
});

describe("destination keys", () => {
  test.each([
    [
      { vendor: "instantly", campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded", skipIfInWorkSpace: true },
      /unknown instantly destination key "skipIfInWorkSpace"; did you mean "skipIfInWorkspace"\?/,
    ],
    [
      { vendor: "instantly", campaignID: "019e0e3e-b690-71a9-b399-fbf49894dded" },
      /unknown instantly destination key "campaignID"; did you mean "campaignId"\?/,
    ],
    [
      { vendor: "amplemarket", listId: "l", type: "email", listType: "email" },
      /unknown amplemarket destination key "listType"; did you mean "listId"\?/,
    ],
    [
      { vendor: "nlpearl", pearlId: "p", pearl_id: "p" },
      /unknown nlpearl destination key "pearl_id"; did you mean "pearlId"\?/,
    ],
  ])("%j is refused, naming the key and the nearest valid one", async (destination, message) => {
    const error = await createLeadBridge({})
      .addLeads(destination as never, untouchable(), { dryRun: true })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(message);
  });

  test("every documented key is accepted", async () => {
    const report = await createLeadBridge({}).addLeads(
      {
        vendor: "instantly",
        campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded",
        skipIfInWorkspace: true,
        skipIfInCampaign: true,
        skipIfInList: false,
        blocklistId: "019e0e3e-b690-71a9-b399-fbf49894ddee",
        assignedTo: "019e0e3e-b690-71a9-b399-fbf49894ddef",
        verifyLeadsOnImport: false,
      },
      manyLeads(2),
      { dryRun: true },
    );
    expect(report.counts.skipped).toBe(2);
  });
});
