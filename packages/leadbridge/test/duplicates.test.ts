// The within-call duplicate check: exact (checked against a plain Map), bounded by maxKeys, and
// switchable off so that duplicates are left to the vendor.
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import fc from "fast-check";
import { describe, expect } from "vitest";
import { SeenKeys } from "../src/dedupe.js";
import { ConfigurationError, createLeadBridge } from "../src/index.js";
import { expectAccounted } from "./helpers.js";

const test = withSimulator(startSimulator);

const identity = (kind: string, key: string) => `${kind}\u0000${key}`;

/** What SeenKeys must answer: a Map of the first `maxKeys` distinct keys and their first owners. */
function model(maxKeys: number) {
  const owners = new Map<string, number>();
  return (kind: string, key: string, index: number) => {
    const joined = identity(kind, key);
    const first = owners.get(joined);
    if (first !== undefined) return first;
    if (owners.size < maxKeys) owners.set(joined, index);
    return -1;
  };
}

describe("SeenKeys", () => {
  // Short keys repeat; longer ones are mostly distinct, fill the table past several growths and share
  // probe chains with keys of the same length. Graphemes take the non-ASCII path.
  const unit = fc.constantFrom("a", "b", "@", ".");
  const key = fc.oneof(
    fc.string({ unit, maxLength: 3 }),
    fc.string({ unit, minLength: 6, maxLength: 10, size: "max" }),
    fc.string({ unit: "grapheme", maxLength: 4 }),
  );
  const claims = fc.array(fc.tuple(fc.constantFrom("email", "phone", "LinkedIn URL"), key), {
    minLength: 600,
    maxLength: 3000,
  });

  test("answers exactly as a Map would, through many table growths or sized for the input at the start", () => {
    fc.assert(
      fc.property(claims, fc.boolean(), (list, sized) => {
        const seen = new SeenKeys(Number.POSITIVE_INFINITY, sized ? list.length : 0);
        const expected = model(Number.POSITIVE_INFINITY);
        list.forEach(([kind, k], i) => {
          expect(seen.claim(kind, k, i)).toBe(expected(kind, k, i));
        });
        expect(seen.full).toBe(false);
      }),
    );
  });

  test("stays exact past many growths: 200,000 keys, each claimed twice", () => {
    const seen = new SeenKeys();
    const n = 200_000;
    for (let i = 0; i < n; i++) expect(seen.claim("email", `lead${i}@example.com`, i)).toBe(-1);
    for (let i = 0; i < n; i++) {
      if (seen.claim("email", `lead${i}@example.com`, n + i) !== i) throw new Error(`lead${i} lost its owner`);
    }
    // The same text under another kind is another key.
    for (let i = 0; i < n; i++) {
      if (seen.claim("phone", `lead${i}@example.com`, 2 * n + i) !== -1) throw new Error(`phone lead${i} matched`);
    }
  });

  test("remembers only the first maxKeys keys, and says when it stopped remembering", () => {
    fc.assert(
      fc.property(claims, fc.nat(50), (list, maxKeys) => {
        const seen = new SeenKeys(maxKeys);
        const expected = model(maxKeys);
        list.forEach(([kind, k], i) => {
          expect(seen.claim(kind, k, i)).toBe(expected(kind, k, i));
        });
        const distinct = new Set(list.map(([kind, k]) => identity(kind, k))).size;
        expect(seen.full).toBe(distinct > maxKeys);
      }),
    );
  });
});

describe("checkDuplicates", () => {
  const nlpearl = { vendor: "nlpearl" as const, pearlId: "p" };
  const phones = ["+14155550100", "+14155550101", "+14155550100", "+14155550102", "+14155550101"];
  const dry = (checkDuplicates: unknown) =>
    createLeadBridge({}).addLeads(
      nlpearl,
      phones.map((phone) => ({ phone })),
      { dryRun: true, checkDuplicates: checkDuplicates as boolean },
    );

  test("by default, a repeat is reported against the first lead with that key", async () => {
    const report = await dry(undefined);
    expectAccounted(report, 5);
    expect(report.results.map((r) => r.reason)).toEqual([
      "dry_run",
      "dry_run",
      "same phone as lead 0 of this call; not sent",
      "dry_run",
      "same phone as lead 1 of this call; not sent",
    ]);
    expect(report.warnings).toEqual([]);
  });

  test("maxKeys bounds what is remembered; the report warns that later repeats were not checked", async () => {
    const report = await dry({ maxKeys: 1 });
    expectAccounted(report, 5);
    // +14155550100 was remembered, so its repeat is caught; +14155550101 was not, so its repeat is sent.
    expect(report.results.map((r) => r.outcome)).toEqual(["skipped", "skipped", "duplicate", "skipped", "skipped"]);
    expect(report.warnings).toEqual([
      expect.stringMatching(/duplicate check was full: it remembers at most 1 keys .* left to nlpearl$/),
    ]);
  });

  test("off, repeats are sent and the vendor's answer decides (Instantly: already in the campaign)", async ({
    simulator,
  }) => {
    const sim = await simulator({ vendor: "instantly", seed: 1 });
    const campaignId = sim.store.createCampaign();
    const bridge = createLeadBridge({ instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url } });
    const leads = ["ada@example.com", "grace@example.com", "ADA@example.com"].map((email) => ({ email }));
    const report = await bridge.addLeads({ vendor: "instantly", campaignId }, leads, { checkDuplicates: false });
    expectAccounted(report, 3);
    expect(report.results.map((r) => r.outcome)).toEqual(["added", "added", "duplicate"]);
    expect(report.results[2]?.reason).toBe("already in this campaign");
    expect(sim.store.stats().requests).toBe(1);
    expect(sim.store.leads({ campaignId })).toHaveLength(2);
  });

  test("a malformed setting is a ConfigurationError", async () => {
    for (const bad of [{ maxKeys: 0 }, { maxKeys: -1 }, { maxKeys: 1.5 }, {}, "yes"]) {
      await expect(dry(bad)).rejects.toThrow(ConfigurationError);
    }
  });
});
