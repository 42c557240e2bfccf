// `pnpm specs:update instantly` over the versions of its API Instantly really published
// (shared/vendor-specs/instantly/history), one after another, as the scheduled update would see them.
// What each pair changed was read from the documents themselves; the classifier must name exactly that.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { copyRepo, editVendor, readChangeset, run, sharedDir } from "./helpers.mjs";

const history = join(sharedDir, "vendor-specs/instantly/history");
const versions = ["2026-02-20", "2026-03-05", "2026-03-26", "2026-03-29"];
const BULK_ADD = "POST /api/v2/leads/add";

/** A copy of the repo whose instantly package exposes `operations` (undefined: the whole document). */
function repoExposing(operations) {
  if (!existsSync(history))
    throw new Error(
      `${history} not found: set LEADBRIDGE_SHARED_DIR to the shared/ directory (CI has it beside the clone)`,
    );
  const root = copyRepo(["instantly"]);
  editVendor(root, "instantly", (declaration) => {
    declaration.operations = operations;
  });
  // Our overlay fixes today's document (its actions target parts the early-2026 versions lack, and an
  // action that matches nothing stops generation): the history runs on the vendor's text as it was.
  writeFileSync(
    join(root, "specs/instantly/overlay.yaml"),
    "overlay: 1.0.0\ninfo:\n  title: none (history test)\n  version: 1.0.0\nactions: []\n",
  );
  return root;
}

/** Points the copy at one published version and runs the update; returns its JSON result. */
function updateTo(root, version) {
  editVendor(root, "instantly", (declaration) => {
    declaration.documents[0].source.location = join(history, `api_v2.${version}.json`);
  });
  const update = run(root, "specs-update.mjs", ["instantly", "--json"]);
  expect(update.status, update.stderr).toBe(0);
  return JSON.parse(update.stdout)[0];
}

const keys = (result, status) =>
  result.diff.operations
    .filter((o) => o.status === status)
    .map((o) => o.key)
    .sort();
const changesOf = (result, key) =>
  result.diff.operations
    .find((o) => o.key === key)
    ?.changes.map((c) => `${c.level}: ${[c.where, c.message].filter(Boolean).join(" ")}`);

describe("the whole document, version after version", () => {
  let root;
  const results = {};
  beforeAll(() => {
    root = repoExposing(undefined);
    // The first update moves the package from the committed bundle onto the oldest version.
    for (const version of versions) results[version] = updateTo(root, version);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("2026-02-20 → 2026-03-05: five operations added (block-list bulk and download, test email), none removed; compatible", () => {
    const r = results["2026-03-05"];
    expect(keys(r, "added")).toEqual([
      "DELETE /api/v2/block-lists-entries",
      "GET /api/v2/block-lists-entries/download",
      "POST /api/v2/block-lists-entries/bulk-create",
      "POST /api/v2/block-lists-entries/bulk-delete",
      "POST /api/v2/emails/test",
    ]);
    expect(keys(r, "removed")).toEqual([]);
    expect(r.level).toBe("non-breaking");
    // The bulk-add operation did not change; eight others gained fields or enum values.
    expect(changesOf(r, BULK_ADD)).toBeUndefined();
    expect(keys(r, "changed")).toHaveLength(8);
    expect(changesOf(r, "POST /api/v2/emails/forward")).toEqual([
      "non-breaking: request body: forwarded_attachments new optional field",
    ]);
    const changeset = readChangeset(join(root, r.changeset));
    expect(changeset.releases).toEqual({ "@leadbridge/instantly": "minor", leadbridge: "minor" });
    expect(changeset.body).toMatch(/^instantly's published API changed compatibly/);
    expect(changeset.body).toContain("- `sendTestEmail` (POST /api/v2/emails/test): **added**");
  });

  test("2026-03-05 → 2026-03-26: bulk add gains leads[].job_title; a removed campaigns filter and a reshaped bulk-create answer are breaking", () => {
    const r = results["2026-03-26"];
    expect(keys(r, "added")).toEqual([]);
    expect(keys(r, "removed")).toEqual([]);
    expect(changesOf(r, BULK_ADD)).toEqual(["non-breaking: request body: leads[].job_title new optional field"]);
    expect(r.level).toBe("breaking");
    expect(changesOf(r, "GET /api/v2/campaigns")).toEqual(
      expect.arrayContaining([
        "breaking: query parameter `ai_sdr_id` parameter removed",
        "non-breaking: query parameter `ai_sales_agent_id` new optional parameter",
      ]),
    );
    expect(changesOf(r, "POST /api/v2/block-lists-entries/bulk-create")).toContain(
      "breaking: response 200: type changed from array to object",
    );
    const changeset = readChangeset(join(root, r.changeset));
    expect(changeset.body).toMatch(/^\*\*Breaking:\*\*/);
    expect(changeset.body).toContain(
      "- `bulkAddLeads` (POST /api/v2/leads/add): compatible\n  - non-breaking: `request body: leads[].job_title` new optional field",
    );
  });

  test("2026-03-26 → 2026-03-29: 402 and 404 answers documented across the API, bulk add included; compatible", () => {
    const r = results["2026-03-29"];
    expect(keys(r, "added")).toEqual([]);
    expect(keys(r, "removed")).toEqual([]);
    expect(r.level).toBe("non-breaking");
    expect(changesOf(r, BULK_ADD)).toEqual([
      "non-breaking: response 402 newly documented",
      "non-breaking: response 404 newly documented",
    ]);
    expect(keys(r, "changed")).toHaveLength(164);
    // Nothing about authentication changed (every version: one http bearer scheme, required globally).
    expect(r.diff.general).toEqual([]);
  });

  test("each update regenerated the package from the version it fetched", () => {
    const schema = readFileSync(join(root, "packages/instantly/src/generated/schema.ts"), "utf8");
    expect(schema).toMatch(/"\/api\/v2\/emails\/test"/);
    expect(run(root, "generate.mjs", ["--check", "instantly"]).status).toBe(0);
    expect(readFileSync(join(root, "specs/instantly/api_v2.json"), "utf8")).toBe(
      readFileSync(join(history, "api_v2.2026-03-29.json"), "utf8"),
    );
  });
});

describe("the declared subset (bulk add alone): only its own changes reach the package", () => {
  let root;
  const results = {};
  beforeAll(() => {
    root = repoExposing([BULK_ADD]);
    for (const version of versions) results[version] = updateTo(root, version);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("2026-02-20 → 2026-03-05 changes nothing the package exposes: no changeset", () => {
    expect(results["2026-03-05"].level).toBeNull();
    expect(results["2026-03-05"].changeset).toBeNull();
  });

  test("2026-03-05 → 2026-03-26 and → 2026-03-29: the bulk-add changes, each compatible (minor)", () => {
    for (const [version, lines] of [
      ["2026-03-26", ["non-breaking: request body: leads[].job_title new optional field"]],
      ["2026-03-29", ["non-breaking: response 402 newly documented", "non-breaking: response 404 newly documented"]],
    ]) {
      const r = results[version];
      expect(r.diff.operations.map((o) => o.key)).toEqual([BULK_ADD]);
      expect(changesOf(r, BULK_ADD)).toEqual(lines);
      expect(readChangeset(join(root, r.changeset)).releases["@leadbridge/instantly"]).toBe("minor");
    }
  });
});
