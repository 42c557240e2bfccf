import { describe, expect, it } from "vitest";
import { destinationOptions } from "../src/commands/import/command.js";
import { destinationHint, destinationUsage, parseDestination } from "../src/commands/import/destination.js";
import { UsageError } from "../src/errors.js";
import { describeDestination } from "../src/vendors.js";

const CAMPAIGN = "019e0e3e-b690-71a9-b399-fbf49894dded";

describe("destination flags, from the vendors' descriptors", () => {
  it.each([
    [
      "instantly",
      { campaign: CAMPAIGN },
      { vendor: "instantly", campaignId: CAMPAIGN },
      `Instantly campaign ${CAMPAIGN}`,
    ],
    [
      "instantly",
      { list: CAMPAIGN, skipIfInList: true, verifyLeads: true },
      { vendor: "instantly", listId: CAMPAIGN, skipIfInList: true, verifyLeadsOnImport: true },
      `Instantly list ${CAMPAIGN}`,
    ],
    [
      "amplemarket",
      { list: "l1", type: "email" },
      { vendor: "amplemarket", listId: "l1", type: "email" },
      "Amplemarket email list l1",
    ],
    ["nlpearl", { pearl: "p1" }, { vendor: "nlpearl", pearlId: "p1" }, "NLPearl pearl p1"],
  ] as const)("%s %o → %o", (vendor, flags, destination, described) => {
    const parsed = parseDestination(vendor, flags);
    expect(parsed).toEqual(destination);
    expect(describeDestination(parsed)).toBe(described);
  });

  it.each([
    ["instantly", {}, "Missing --campaign <id> or --list <id>.", "Instantly: --campaign <id> or --list <id>."],
    ["instantly", { campaign: CAMPAIGN, list: CAMPAIGN }, "Use --campaign or --list, not both.", undefined],
    ["instantly", { campaign: "42" }, `--campaign 42: Instantly ids are UUIDs, like ${CAMPAIGN}.`, undefined],
    ["instantly", { pearl: "p1", campaign: CAMPAIGN }, "--pearl does not apply to Instantly.", undefined],
    ["amplemarket", { list: "l1" }, "Missing --type", "Types: linkedin, email, titles_and_company."],
    ["amplemarket", { list: "l1", type: "sms" }, "--type sms: unknown list type.", undefined],
    ["amplemarket", { type: "email" }, "Missing --list <id>.", undefined],
    [
      "nlpearl",
      { pearl: "p1", skipIfInWorkspace: true },
      "--skip-if-in-workspace does not apply to NLPearl.",
      "NLPearl: --pearl <id>.",
    ],
    ["nlpearl", { campaign: CAMPAIGN }, "--campaign does not apply to NLPearl.", undefined],
  ] as const)("%s %o is refused: %s", (vendor, flags, message, hint) => {
    let error: unknown;
    try {
      parseDestination(vendor, flags);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(message);
    if (hint) expect((error as UsageError).hint).toBe(hint);
  });

  it("usage and not-found hints name each vendor's own flags", () => {
    expect(destinationUsage("amplemarket")).toBe("Amplemarket: --list <id> --type linkedin|email|titles_and_company.");
    expect(destinationHint("instantly")).toBe("Check --campaign or --list.");
    expect(destinationHint("amplemarket")).toBe("Check --list and --type.");
  });

  it("one Commander option per flag; a flag two vendors share is one option naming both", () => {
    const options = destinationOptions();
    const flags = options.map((option) => option.flags);
    expect(flags).toEqual([
      "--campaign <id>",
      "--list <id>",
      "--skip-if-in-workspace",
      "--skip-if-in-campaign",
      "--skip-if-in-list",
      "--verify-leads",
      "--type <type>",
      "--pearl <id>",
    ]);
    expect(options.find((option) => option.long === "--list")?.description).toBe(
      "Instantly or Amplemarket lead list id",
    );
    expect(options.find((option) => option.long === "--type")?.argChoices).toEqual([
      // The spec's order (packages/amplemarket's generated facts).
      "linkedin",
      "email",
      "titles_and_company",
    ]);
  });
});
