// A field the destination does not need, when unusable, is dropped with a warning and the lead goes on;
// a field it needs (or any field under `strict`) makes the lead invalid. The decision, without a network.
import { startSimulator } from "@leadbridge/simulators";
import { withSimulator } from "@leadbridge/testing";
import { describe, expect, test } from "vitest";
import { InvalidLead } from "../src/adapters/adapter.js";
import { amplemarket } from "../src/adapters/amplemarket.js";
import { email, FieldReader, phone } from "../src/adapters/fields.js";
import { instantly } from "../src/adapters/instantly.js";
import { nlpearl } from "../src/adapters/nlpearl.js";
import { createLeadBridge, type Destination, duplicateKeys } from "../src/index.js";
import { expectAccounted } from "./helpers.js";

const campaign: Destination = { vendor: "instantly", campaignId: "019e0e3e-b690-71a9-b399-fbf49894dded" };
const list: Destination = { vendor: "instantly", listId: "019e0e3e-b690-71a9-b399-fbf55d2134c0" };
const pearl: Destination = { vendor: "nlpearl", pearlId: "p1" };
const linkedinList: Destination = { vendor: "amplemarket", listId: "l1", type: "linkedin" };
const emailList: Destination = { vendor: "amplemarket", listId: "l1", type: "email" };
const titlesList: Destination = { vendor: "amplemarket", listId: "l1", type: "titles_and_company" };

describe("FieldReader: the decision", () => {
  const lead = { email: "n/a", phone: "ext. 204" };

  test("a field the destination does not need: dropped, with a warning naming the value; the rest read", () => {
    const fields = new FieldReader(["email"]);
    fields.start();
    expect(fields.read("phone", phone, lead, undefined)).toBeUndefined();
    expect(fields.dropped).toEqual([
      {
        field: "phone",
        code: "dropped_field",
        reason:
          'phone "ext. 204" is not a valid phone number (write it with its country code, e.g. +1…, or set the defaultCountry option); sent without it',
      },
    ]);
    fields.start();
    expect(fields.dropped).toBeUndefined();
  });

  test("a field the destination needs: invalid, with the reason", () => {
    const fields = new FieldReader(["email"]);
    fields.start();
    expect(() => fields.read("email", email, lead, undefined)).toThrow(InvalidLead);
    expect(fields.dropped).toBeUndefined();
  });

  test("strict: every unusable field makes the lead invalid", () => {
    const fields = new FieldReader(["email"], true);
    fields.start();
    expect(fields.mayDrop("phone")).toBe(false);
    expect(() => fields.read("phone", phone, lead, undefined)).toThrow(InvalidLead);
    expect(fields.dropped).toBeUndefined();
  });

  test("a usable field is returned as read, and a text field of the wrong type is dropped too", () => {
    const fields = new FieldReader([]);
    fields.start();
    expect(fields.read("phone", phone, { phone: "(415) 555-1000" }, "US")).toBe("+14155551000");
    expect(fields.text({ firstName: 42 }, "firstName")).toBeUndefined();
    expect(fields.dropped?.map((w) => w.reason)).toEqual(["firstName must be text, got a number; sent without it"]);
  });

  test("a need several fields can meet names the fields dropped when none is left", () => {
    const fields = new FieldReader([]);
    fields.start();
    fields.read("email", email, lead, undefined);
    expect(() => fields.need(undefined, "needs an email or a name")).toThrow(
      expect.objectContaining({ reason: 'needs an email or a name: email "n/a" is not a valid email address' }),
    );
    expect(() => fields.need("Ada", "needs an email or a name")).not.toThrow();
  });

  test("one place per vendor says what each destination needs", () => {
    const needs = (adapter: { open: (...a: never[]) => { needs: readonly string[] } }, d: Destination) =>
      adapter.open(d as never, undefined as never, {} as never).needs;
    expect(needs(instantly, campaign)).toEqual(["email"]);
    expect(needs(instantly, list)).toEqual([]);
    expect(needs(nlpearl, pearl)).toEqual(["phone"]);
    expect(needs(amplemarket, emailList)).toEqual(["email"]);
    expect(needs(amplemarket, linkedinList)).toEqual(["linkedinUrl"]);
    expect(needs(amplemarket, titlesList)).toEqual(["jobTitle"]);
  });
});

describe("addLeads: a bad optional field no longer throws away a good lead", () => {
  const dry = (destination: Destination, leads: unknown[], strict?: boolean) =>
    createLeadBridge({}).addLeads(destination, leads, { dryRun: true, strict });

  test("Instantly campaign: a phone of `ext. 204` or `12345` is dropped, the lead kept; strict: invalid", async () => {
    const leads = [
      { email: "ada@example.com", phone: "ext. 204" },
      { email: "bob@example.com", phone: "12345" },
      { email: "n/a", phone: "+14155550100" },
    ];
    const lenient = await dry(campaign, leads);
    expect(lenient.results.map((r) => [r.code, r.warnings?.map((w) => [w.field, w.code])])).toEqual([
      ["dry_run", [["phone", "dropped_field"]]],
      ["dry_run", [["phone", "dropped_field"]]],
      ["invalid_field", undefined],
    ]);
    expect(lenient.results[0]?.warnings?.[0]?.reason).toMatch(
      /^phone "ext\. 204" is not a valid phone number.*; sent without it$/,
    );
    const strict = await dry(campaign, leads, true);
    expect(strict.results.map((r) => [r.code, r.warnings])).toEqual([
      ["invalid_field", undefined],
      ["invalid_field", undefined],
      ["invalid_field", undefined],
    ]);
    expect(strict.results[0]?.reason).toMatch(/^phone "ext\. 204" is not a valid phone number/);
  });

  test("NLPearl: an email of `n/a` and an unknown time zone are dropped; a bad phone is still invalid", async () => {
    const report = await dry(pearl, [
      { phone: "+14155550100", email: "n/a", timeZone: "Mars/Olympus" },
      { phone: "ext. 204", email: "ada@example.com" },
    ]);
    expect(report.results[0]).toMatchObject({
      code: "dry_run",
      warnings: [
        { field: "email", code: "dropped_field", reason: 'email "n/a" is not a valid email address; sent without it' },
        {
          field: "timeZone",
          code: "dropped_field",
          reason: 'timeZone "Mars/Olympus" is neither an IANA time zone nor a Windows time zone ID; sent without it',
        },
      ],
    });
    expect(report.results[1]).toMatchObject({ code: "invalid_field" });
    expect(report.results[1]?.warnings).toBeUndefined();
  });

  test("Amplemarket: a linkedin list drops a bad email; an email list does not", async () => {
    const lead = { linkedinUrl: "linkedin.com/in/ada", email: "ada at example" };
    expect((await dry(linkedinList, [lead])).results[0]).toMatchObject({
      code: "dry_run",
      warnings: [{ field: "email", code: "dropped_field" }],
    });
    expect((await dry(emailList, [lead])).results[0]).toMatchObject({
      code: "invalid_field",
      reason: 'email "ada at example" is not a valid email address',
    });
    expect((await dry(linkedinList, [lead], true)).results[0]).toMatchObject({ code: "invalid_field" });
  });

  test("Instantly list: a bad email with a name is dropped; without a name the reason names the email", async () => {
    const report = await dry(list, [{ email: "n/a", firstName: "Ada" }, { email: "n/a" }]);
    expect(report.results[0]).toMatchObject({ code: "dry_run", warnings: [{ field: "email" }] });
    expect(report.results[1]).toMatchObject({
      code: "invalid_field",
      reason: 'an Instantly list needs an email, a firstName or a lastName: email "n/a" is not a valid email address',
    });
  });

  test("warnings reach onResult whether or not results are kept, and the bridge's strict is the default", async () => {
    const seen: unknown[] = [];
    const report = await createLeadBridge({}).addLeads(campaign, [{ email: "ada@example.com", phone: "ext. 204" }], {
      dryRun: true,
      keepResults: false,
      onResult: (r) => seen.push(r.warnings?.map((w) => w.field)),
    });
    expect(report.results).toEqual([]);
    expect(seen).toEqual([["phone"]]);
    const strictBridge = createLeadBridge({ strict: true });
    const strict = await strictBridge.addLeads(campaign, [{ email: "ada@example.com", phone: "ext. 204" }], {
      dryRun: true,
    });
    expect(strict.results[0]?.code).toBe("invalid_field");
    const overridden = await strictBridge.addLeads(campaign, [{ email: "ada@example.com", phone: "ext. 204" }], {
      dryRun: true,
      strict: false,
    });
    expect(overridden.results[0]?.code).toBe("dry_run");
  });

  test("a duplicate of a lead whose field was dropped is still caught, and duplicateKeys agrees", async () => {
    const report = await dry(pearl, [
      { phone: "+14155550100", email: "n/a" },
      { phone: "+1 415 555 0100", email: "n/a" },
    ]);
    expect(report.results.map((r) => r.code)).toEqual(["dry_run", "duplicate_in_call"]);
    expect(duplicateKeys(campaign, { email: "ada@example.com", phone: "ext. 204" })).toEqual([
      { kind: "email", value: "ada@example.com" },
    ]);
    expect(duplicateKeys(campaign, { email: "ada@example.com", phone: "ext. 204" }, { strict: true })).toEqual([]);
  });
});

describe("against the simulators: the lead is stored without the dropped field", () => {
  const test = withSimulator(startSimulator);

  test("Instantly campaign: `ext. 204` phone → added, stored with its email and no phone", async ({ simulator }) => {
    const sim = await simulator({ vendor: "instantly", seed: 21 });
    const campaignId = sim.store.createCampaign();
    const bridge = createLeadBridge({ instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url } });
    const report = await bridge.addLeads({ vendor: "instantly", campaignId }, [
      { email: "ada@example.com", firstName: "Ada", phone: "ext. 204" },
    ]);
    expectAccounted(report, 1);
    expect(report.results[0]).toMatchObject({
      outcome: "added",
      warnings: [{ field: "phone", code: "dropped_field" }],
    });
    const stored = sim.store.leads({ campaignId });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ email: "ada@example.com", first_name: "Ada" });
    expect(stored[0]?.phone ?? undefined).toBeUndefined();
    const strict = await bridge.addLeads(
      { vendor: "instantly", campaignId },
      [{ email: "bob@example.com", phone: "ext. 204" }],
      { strict: true },
    );
    expect(strict.results[0]).toMatchObject({ outcome: "invalid", code: "invalid_field" });
    expect(sim.store.leads({ campaignId })).toHaveLength(1);
  });

  test("NLPearl: `n/a` email → added, stored without an email in callData", async ({ simulator }) => {
    const sim = await simulator({ vendor: "nlpearl", seed: 22 });
    const pearlId = sim.store.createOutbound();
    const bridge = createLeadBridge({ nlpearl: { ...sim.credentials, baseUrl: sim.url } });
    const report = await bridge.addLeads({ vendor: "nlpearl", pearlId }, [
      { phone: "+14155550100", email: "n/a", firstName: "Ada" },
    ]);
    expect(report.results[0]).toMatchObject({ outcome: "added", warnings: [{ field: "email" }] });
    const stored = sim.store.leads(pearlId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ phoneNumber: "+14155550100", callData: { firstName: "Ada" } });
    expect(stored[0]?.callData).not.toHaveProperty("email");
  });

  test("Amplemarket linkedin list: a bad email → added, stored without it", async ({ simulator }) => {
    const sim = await simulator({ vendor: "amplemarket", seed: 23 });
    const listId = sim.store.createList({ type: "linkedin" });
    const bridge = createLeadBridge({ amplemarket: { apiKey: sim.credentials.apiKey, baseUrl: sim.url } });
    const report = await bridge.addLeads({ vendor: "amplemarket", listId, type: "linkedin" }, [
      { linkedinUrl: "https://www.linkedin.com/in/ada", email: "ada at example" },
    ]);
    expect(report.results[0]).toMatchObject({ outcome: "added", warnings: [{ field: "email" }] });
    const stored = sim.store.leads(listId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ linkedin_url: "https://www.linkedin.com/in/ada" });
    expect((stored[0] as { email?: unknown }).email ?? undefined).toBeUndefined();
  });
});
