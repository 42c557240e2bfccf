// What LeadBridge sends must be what each vendor's spec describes: every request goes to `prism mock`
// (started from the spec the vendor package ships), which reports any contract violation in a header.
// The fetch below only observes real responses; it changes nothing.

import { createRequire } from "node:module";
import { startSimulator } from "@leadbridge/simulators";
import { startPrism, violationsOf, withSimulator } from "@leadbridge/testing";
import { describe, expect, inject, onTestFinished } from "vitest";
import { createLeadBridge, type Destination, type Lead } from "../src/index.js";
import { CANARY, expectNoCanary } from "./helpers.js";

const test = withSimulator(startSimulator);

const mocks = inject("prismMocks");
const richLead: Lead = {
  email: "ada@example.com",
  phone: "+1 415 555 0132",
  firstName: "Ada",
  lastName: "Lovelace",
  companyName: "Analytical Engines",
  companyDomain: "engines.example",
  jobTitle: "Head of Growth",
  linkedinUrl: "https://www.linkedin.com/in/ada",
  website: "https://engines.example",
  timeZone: "Europe/London",
  externalId: "crm-1",
  customFields: { plan: "pro", seats: 3, trial: false, note: null },
  instantly: { lt_interest_status: 1, personalization: "Loved your talk" },
  nlpearl: { callData: { source: "webinar" } },
};

function observed() {
  const seen: Response[] = [];
  const fetchAndKeep: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    seen.push(response.clone());
    return response;
  };
  return { seen, fetch: fetchAndKeep };
}

describe("requests match each vendor's spec (prism mock)", () => {
  test.each<[string, Destination]>([
    [
      "instantly campaign",
      {
        vendor: "instantly",
        campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded",
        skipIfInWorkspace: true,
        verifyLeadsOnImport: false,
      },
    ],
    [
      "instantly list",
      {
        vendor: "instantly",
        listId: "019e0e3e-b690-71a9-b399-fbf55d2134c0",
        blocklistId: "019e0e3e-b690-71a9-b399-fbf6624eaaad",
      },
    ],
    ["amplemarket email list", { vendor: "amplemarket", listId: "list-1", type: "email" }],
    ["amplemarket linkedin list", { vendor: "amplemarket", listId: "list-1", type: "linkedin" }],
    ["amplemarket titles list", { vendor: "amplemarket", listId: "list-1", type: "titles_and_company" }],
    ["nlpearl pearl", { vendor: "nlpearl", pearlId: "pearl-1" }],
  ])("%s", async (_, destination) => {
    const { seen, fetch } = observed();
    const bridge = createLeadBridge({
      fetch,
      instantly: { apiKey: CANARY.instantlyKey, baseUrl: mocks.instantly },
      amplemarket: { apiKey: CANARY.amplemarketKey, baseUrl: mocks.amplemarket },
      nlpearl: { accountId: CANARY.nlpearlAccount, secretKey: CANARY.nlpearlSecret, baseUrl: mocks.nlpearl },
    });
    const leads = [
      richLead,
      { ...richLead, email: "grace@example.com", phone: "+14155550133", linkedinUrl: "linkedin.com/in/grace" },
    ];
    const report = await bridge.addLeads(destination, leads);
    expect(seen.length).toBeGreaterThan(0);
    for (const response of seen) {
      expect(violationsOf(response)).toEqual([]);
      expect(response.status).toBeLessThan(300);
    }
    expect(report.counts.invalid).toBe(0);
    expect(report.total).toBe(2);
    expectNoCanary(report);
  });
});

test("through a validating Prism proxy in front of the simulator: no violations either way", async ({ simulator }) => {
  const sim = await simulator({ vendor: "instantly", seed: 9 });
  const require = createRequire(import.meta.url);
  const proxy = await startPrism({
    mode: "proxy",
    spec: require.resolve("@leadbridge/instantly/openapi.yaml"),
    upstream: sim.url,
    errors: true,
  });
  onTestFinished(() => proxy.close());
  const campaignId = sim.store.createCampaign();
  sim.store.block("blocked@example.com");
  const { seen, fetch } = observed();
  const bridge = createLeadBridge({ fetch, instantly: { apiKey: sim.credentials.apiKey, baseUrl: proxy.url } });
  const leads: Lead[] = [
    richLead,
    { email: "blocked@example.com" },
    ...Array.from({ length: 300 }, (_, i) => ({ email: `p${i}@example.com`, firstName: `P${i}` })),
  ];
  const report = await bridge.addLeads({ vendor: "instantly", campaignId }, leads, { batchSize: 100 });
  for (const response of seen) expect(violationsOf(response)).toEqual([]);
  expect(report.counts).toMatchObject({ added: 301, rejected: 1 });
  expect(report.results[1]).toMatchObject({ outcome: "rejected", reason: "on the blocklist" });
});
