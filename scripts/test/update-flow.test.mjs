// `pnpm specs:update` end to end, per vendor and per kind of "next version" of its published spec:
// run in a temp copy of the repo, then check the diff, the changeset, the regenerated types, and
// that the package's own contract tests run against the regenerated spec.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { instantlyNext, instantlyNextDocument } from "./fixtures/instantly-next.mjs";
import { copyRepo, editVendor, fixtures, pointSourcesAt, readChangeset, repoRoot, run } from "./helpers.mjs";

/** The fixture directory of `vendor`'s `kind` next version (Instantly's: derived from the copy's document). */
const nextVersion = (root, vendor, kind) =>
  vendor === "instantly" ? instantlyNext(root, kind) : join(fixtures, vendor, kind);

const roots = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const stripComments = (ts) => ts.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/^\s*\n/gm, "");

// What each fixture must do to the diff and to the generated types (schema.ts).
const cases = {
  instantly: {
    additive: {
      level: "non-breaking",
      lines: [
        "`request body: leads[].linkedin_url` new optional field",
        "`response 200: verification_pending` new field",
      ],
      types: (ts) => {
        expect(ts).toMatch(/linkedin_url\?: string \| null;/);
        expect(ts).toMatch(/verification_pending\?: number;/);
      },
    },
    breaking: {
      level: "breaking",
      lines: [
        "BREAKING: `request body: leads[].email` now required",
        "BREAKING: `request body: leads[].lt_interest_status` enum narrowed: removed 4, -4",
        "BREAKING: `response 200: leads_uploaded` field removed",
      ],
      types: (ts) => {
        expect(ts).not.toMatch(/leads_uploaded/);
        expect(ts).toMatch(/\bemail: string \| null;/);
        expect(ts).toMatch(/lt_interest_status\?: 1 \| 2 \| 3 \| 0 \| -1 \| -2 \| -3;/);
      },
    },
  },
  nlpearl: {
    additive: {
      level: "non-breaking",
      lines: ["`request body: leads[].email` new optional field", "`response 200: updated` new field"],
      types: (ts) => {
        expect(ts).toMatch(/email\?: string \| null;/);
        expect(ts).toMatch(/updated\?: string;/);
      },
    },
    breaking: {
      level: "breaking",
      lines: [
        "BREAKING: `request body: leads[].externalId` now required",
        "BREAKING: `response 200: externalId` field removed",
        "BREAKING: `response 200: created` type changed from string to integer",
      ],
      types: (ts) => {
        expect(ts).toMatch(/^\s+externalId: string \| null;/m);
        // v1 input, v2 add, v2 update, the search result, the get-by-external-id path parameter; not the view
        expect(ts.match(/externalId\??:/g)).toHaveLength(5);
        expect(ts).toMatch(/created\?: number;/);
      },
    },
  },
  amplemarket: {
    additive: {
      level: "non-breaking",
      lines: [
        '`request body: type` enum widened: added "phone"',
        "`request body: leads[].phone_number` new optional field",
        "`response 202: total_duplicated` new field",
      ],
      types: (ts) => {
        expect(ts).toMatch(/type\?: "linkedin" \| "email" \| "titles_and_company" \| "phone";/);
        expect(ts).toMatch(/phone_number\?: string;/);
        expect(ts).toMatch(/total_duplicated\?: number;/);
      },
    },
    breaking: {
      level: "breaking",
      lines: [
        "BREAKING: `request body: type` now required",
        'BREAKING: `request body: type` enum narrowed: removed "titles_and_company"',
        "BREAKING: `response 202: total_added_to_lead_list` field removed",
      ],
      types: (ts) => {
        expect(ts).toMatch(/\btype: "linkedin" \| "email";/);
        expect(ts).not.toMatch(/total_added_to_lead_list/);
      },
    },
  },
};
for (const vendor of Object.keys(cases)) {
  cases[vendor]["doc-only"] = {
    level: "doc",
    lines: [],
    types: (ts, before) => {
      expect(ts).not.toBe(before);
      expect(stripComments(ts)).toBe(stripComments(before));
    },
  };
}

/** Runs the vendor package's own vitest suite (contract tests against prism mock of its generated spec). */
function contractTests(root, vendor) {
  const result = spawnSync(
    process.execPath,
    [
      join(repoRoot, "node_modules/vitest/vitest.mjs"),
      "run",
      "--reporter=json",
      "--typecheck.enabled=false",
      // Instantly's suite covers its whole API; the fixtures change the bulk add only.
      ...(vendor === "instantly" ? ["-t", "/api/v2/leads/add"] : []),
    ],
    {
      cwd: join(root, "packages", vendor),
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", CI: "true" },
      maxBuffer: 64 << 20,
    },
  );
  const report = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
  const failed = report.testResults.flatMap((f) =>
    f.assertionResults.filter((a) => a.status === "failed").map((a) => a.fullName),
  );
  return { total: report.numTotalTests, failed, output: result.stderr };
}

describe.each(Object.keys(cases))("pnpm specs:update %s", (vendor) => {
  const packageName = JSON.parse(readFileSync(join(repoRoot, "packages", vendor, "package.json"), "utf8")).name;

  test.each(["additive", "breaking", "doc-only"])(
    "%s next version",
    (kind) => {
      const expected = cases[vendor][kind];
      const root = copyRepo([vendor, "vendor-kit"]);
      roots.push(root);
      pointSourcesAt(root, vendor, nextVersion(root, vendor, kind));
      const schemaPath = join(root, "packages", vendor, "src/generated/schema.ts");
      const before = readFileSync(schemaPath, "utf8");

      const update = run(root, "specs-update.mjs", [vendor, "--json"]);
      expect(update.status, update.stderr).toBe(0);
      const [result] = JSON.parse(update.stdout);

      // The classification.
      expect(result.level).toBe(expected.level);
      const levels = result.diff.operations.flatMap((o) => o.changes.map((c) => c.level));
      if (kind === "doc-only") expect(new Set(levels)).toEqual(new Set(["doc"]));
      if (kind === "additive") expect(levels).not.toContain("breaking");

      // The changeset: bump per the 0.x convention, text = the summary.
      const changeset = readChangeset(join(root, result.changeset));
      const bump = { breaking: "minor", "non-breaking": "minor", doc: "patch" }[expected.level];
      expect(changeset.releases[packageName]).toBe(bump);
      const facade = existsSync(join(root, "packages/leadbridge/package.json"));
      if (facade && kind !== "doc-only") expect(changeset.releases.leadbridge).toBe(bump);
      if (kind === "doc-only") expect(changeset.releases.leadbridge).toBeUndefined();
      for (const line of expected.lines) expect(changeset.body).toContain(line);
      if (kind === "breaking") expect(changeset.body).toMatch(/^\*\*Breaking:\*\*/);

      // The regenerated types, and a clean generate:check against the new specs.
      expected.types(readFileSync(schemaPath, "utf8"), before);
      expect(run(root, "generate.mjs", ["--check", vendor]).status).toBe(0);

      // The package's contract tests run against the new spec: they pass unless the change is breaking,
      // and a breaking change fails some of them (which they could not if they still used the old spec).
      const contract = contractTests(root, vendor);
      expect(contract.total, contract.output).toBeGreaterThan(0);
      if (kind === "breaking") expect(contract.failed.length).toBeGreaterThan(0);
      else expect(contract.failed).toEqual([]);
      // Instantly's whole document: regenerating it and running its contract cases takes minutes on a loaded machine.
    },
    600_000,
  );

  test("a second update from the same source changes nothing and writes no changeset", () => {
    const root = copyRepo([vendor]);
    roots.push(root);
    pointSourcesAt(root, vendor, nextVersion(root, vendor, "additive"));
    expect(run(root, "specs-update.mjs", [vendor]).status).toBe(0);
    const changesets = readdirSync(join(root, ".changeset"));
    const again = run(root, "specs-update.mjs", [vendor, "--json"]);
    expect(again.status).toBe(0);
    const [result] = JSON.parse(again.stdout);
    expect(result.level).toBeNull();
    expect(result.changed).toEqual([]);
    expect(result.changeset).toBeNull();
    expect(readdirSync(join(root, ".changeset"))).toEqual(changesets);
  });
});

test("pnpm specs:diff prints the summary and the bump, and writes nothing", () => {
  const root = copyRepo(["amplemarket"]);
  roots.push(root);
  pointSourcesAt(root, "amplemarket", join(fixtures, "amplemarket/breaking"));
  const spec = readFileSync(join(root, "specs/amplemarket/add-leads-to-list.yaml"), "utf8");
  const changesets = readdirSync(join(root, ".changeset"));
  const result = run(root, "specs-diff.mjs", ["amplemarket"]);
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toContain("## amplemarket: breaking");
  expect(result.stdout).toContain("BREAKING: `response 202: total_added_to_lead_list` field removed");
  expect(result.stdout).toMatch(/would regenerate and write a changeset: @leadbridge\/amplemarket minor/);
  expect(readFileSync(join(root, "specs/amplemarket/add-leads-to-list.yaml"), "utf8")).toBe(spec);
  expect(readdirSync(join(root, ".changeset"))).toEqual(changesets);
});

test("a declared operation the vendor removed: reported as breaking, and generation refuses until vendor.json says so", () => {
  const root = copyRepo(["amplemarket"]);
  roots.push(root);
  const fixture = join(root, "gone.md");
  const page = readFileSync(join(fixtures, "amplemarket/additive/add-leads-to-list.md"), "utf8");
  writeFileSync(fixture, page.replace("/lead-lists/{id}/leads:", "/lead-lists/{id}/contacts:"));
  editVendor(root, "amplemarket", (declaration) => {
    declaration.documents[0].source.location = fixture;
  });
  const update = run(root, "specs-update.mjs", ["amplemarket"]);
  expect(update.status).toBe(1);
  expect(update.stdout).toContain("- `addLeadsToLeadList` (POST /lead-lists/{id}/leads): **removed**");
  expect(update.stdout).toMatch(
    /declares amplemarket operation\(s\) the spec no longer has: POST \/lead-lists\/\{id\}\/leads/,
  );
  expect(update.stdout).toMatch(/then run `pnpm generate amplemarket`/);
});

describe("for the scheduled update (.github/workflows/specs-update.yml)", () => {
  test("--summary-file writes the pull request body; --outputs the level", () => {
    const root = copyRepo(["nlpearl"]);
    roots.push(root);
    pointSourcesAt(root, "nlpearl", join(fixtures, "nlpearl/breaking"));
    const [body, outputs] = [join(root, "body.md"), join(root, "outputs")];
    const update = run(root, "specs-update.mjs", ["nlpearl", "--summary-file", body, "--outputs", outputs]);
    expect(update.status, update.stderr).toBe(0);
    const text = readFileSync(body, "utf8");
    expect(text).toMatch(/^## nlpearl: breaking\n/);
    expect(text).toContain("BREAKING: `response 200: externalId` field removed");
    expect(text).toMatch(/Changeset `\.changeset\/nlpearl-spec-[0-9a-f]{8}\.md`: `@leadbridge\/nlpearl` minor/);
    expect(text).not.toContain("[!CAUTION]");
    expect(readFileSync(outputs, "utf8")).toBe("level=breaking\nfailed=false\n");
  });

  test("an overlay that no longer applies: exit 1, and the body says so first, naming the action and the fix", () => {
    const root = copyRepo(["instantly"]);
    roots.push(root);
    // The vendor's next version no longer documents the 429 answer our overlay adds Retry-After to.
    const spec = instantlyNextDocument(root, "additive");
    delete spec.paths["/api/v2/leads/add"].post.responses["429"];
    const source = join(root, "next.json");
    writeFileSync(source, JSON.stringify(spec, null, 2));
    editVendor(root, "instantly", (declaration) => {
      declaration.documents[0].source.location = source;
    });
    const [body, outputs] = [join(root, "body.md"), join(root, "outputs")];
    const update = run(root, "specs-update.mjs", ["instantly", "--summary-file", body, "--outputs", outputs]);
    expect(update.status).toBe(1);
    const text = readFileSync(body, "utf8");
    expect(text).toMatch(/^> \[!CAUTION\]\n> \*\*instantly: the new spec does not generate\*\*/);
    expect(text).toContain(
      "> - specs/instantly/overlay.yaml: action matched nothing: $.paths['/api/v2/leads/add'].post.responses['429']",
    );
    expect(text).toContain("then run `pnpm generate instantly` and commit");
    expect(text).toContain("## instantly: breaking"); // the 429 answer is gone for users: still summarized
    expect(readFileSync(outputs, "utf8")).toBe("level=breaking\nfailed=true\n");
  });
});
