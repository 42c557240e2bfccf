// The within-call duplicate check on Amplemarket follows the list's own identity (as the vendor decides
// what is already in a list): the email on email lists, the LinkedIn profile with its country or www
// subdomain stripped on linkedin lists, the title and company on titles_and_company lists. A repeat is
// then `duplicate` and every other lead `added`, instead of a whole batch `unknown`.
import { startSimulator } from "@leadbridge/simulators";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createLeadBridge, type Lead } from "../src/index.js";
import { expectAccounted, manyLeads } from "./helpers.js";

let sim: Awaited<ReturnType<typeof startSimulator<"amplemarket">>>;
beforeAll(async () => {
  sim = await startSimulator({ vendor: "amplemarket", seed: 5, rateLimits: false });
});
afterAll(() => sim.close());

async function add(type: "email" | "linkedin" | "titles_and_company", leads: Lead[]) {
  const listId = sim.store.createList({ type });
  const bridge = createLeadBridge({ amplemarket: { apiKey: sim.credentials.apiKey, baseUrl: sim.url } });
  const report = await bridge.addLeads({ vendor: "amplemarket", listId, type }, leads);
  expectAccounted(report, leads.length);
  return { report, stored: sim.store.leads(listId) };
}

describe("Amplemarket duplicate keys follow the list's identity", () => {
  test("linkedin list: the same profile without www is a duplicate; the other 1,000 are added", async () => {
    const leads = [...manyLeads(1000)];
    leads.push({ ...leads[5], email: "other@example.com", linkedinUrl: "https://linkedin.com/in/lead-5/" });
    const { report, stored } = await add("linkedin", leads);
    expect(report.counts).toMatchObject({ added: 1000, duplicate: 1, unknown: 0 });
    expect(report.results[1000]?.reason).toBe("same LinkedIn URL as lead 5 of this call; not sent");
    expect(stored).toHaveLength(1000);
  });

  test("linkedin list: a country subdomain is the same profile too", async () => {
    const { report } = await add("linkedin", [
      { linkedinUrl: "https://uk.linkedin.com/in/Ada-Lovelace" },
      { linkedinUrl: "www.linkedin.com/in/ada-lovelace?trk=x" },
    ]);
    expect(report.results.map((r) => r.outcome)).toEqual(["added", "duplicate"]);
  });

  test("titles_and_company list: the same title and company with another email is a duplicate", async () => {
    const leads = [...manyLeads(1000)];
    leads.push({ ...leads[7], email: "someone-else@example.com", linkedinUrl: undefined });
    const { report, stored } = await add("titles_and_company", leads);
    expect(report.counts).toMatchObject({ added: 1000, duplicate: 1, unknown: 0 });
    expect(report.results[1000]?.reason).toBe("same title and company as lead 7 of this call; not sent");
    expect(stored).toHaveLength(1000);
  });

  test("titles_and_company list: the company domain, when given, is the company", async () => {
    const { report } = await add("titles_and_company", [
      { jobTitle: "CTO", companyName: "Acme", companyDomain: "acme.com" },
      { jobTitle: "cto", companyName: "Acme Inc.", companyDomain: "ACME.com" },
      { jobTitle: "CTO", companyName: "Acme" },
    ]);
    expect(report.results.map((r) => r.outcome)).toEqual(["added", "duplicate", "added"]);
  });

  test("email list: two emails sharing a LinkedIn URL are two leads, both added", async () => {
    const { report, stored } = await add("email", [
      { email: "ada@example.com", linkedinUrl: "https://www.linkedin.com/in/ada" },
      { email: "ada.lovelace@example.com", linkedinUrl: "https://www.linkedin.com/in/ada" },
      { email: "ADA@example.com" },
    ]);
    expect(report.results.map((r) => r.outcome)).toEqual(["added", "added", "duplicate"]);
    expect(stored).toHaveLength(2);
  });
});
