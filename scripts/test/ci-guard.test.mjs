// `pnpm specs:guard` on a throwaway git repository: each case is the last commit of "main".
import { execFileSync } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { instantlyNext } from "./fixtures/instantly-next.mjs";
import { copyRepo, editVendor, fixtures, pointSourcesAt, run } from "./helpers.mjs";

/** Sets `operations` (a declared subset) for `vendor` in the copy's specs/<vendor>/vendor.json. */
function declareOperations(root, vendor, operations) {
  editVendor(root, vendor, (declaration) => {
    declaration.operations = operations;
  });
}

let root;
const git = (...args) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const commit = (message) => {
  git("add", "-A", ".");
  git("commit", "-q", "--allow-empty", "-m", message);
};
const guard = (...args) => run(root, "ci-guard.mjs", args);
const pending = () => readdirSync(join(root, ".changeset")).filter((f) => f.startsWith("amplemarket-spec-"));

beforeAll(() => {
  root = copyRepo(["amplemarket", "nlpearl", "instantly"]);
  writeFileSync(join(root, ".gitignore"), "node_modules\n");
  git("init", "-q", "-b", "main");
  git("config", "user.email", "ci@example.com");
  git("config", "user.name", "CI");
  commit("first commit");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("pnpm specs:guard", () => {
  test("the first commit (no parent) passes when its changeset releases every package", () => {
    const result = guard();
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/the empty tree \(no parent: the first commit\)/);
    expect(result.status).toBe(0);
  });

  test("a commit that does not touch specs/ passes", () => {
    appendFileSync(join(root, "scripts/lib/vendors.mjs"), "\n");
    commit("scripts only");
    expect(guard().status).toBe(0);
  });

  test("a spec change without regenerated code fails, naming `pnpm generate`", () => {
    const spec = join(root, "specs/amplemarket/add-leads-to-list.yaml");
    writeFileSync(
      spec,
      readFileSync(spec, "utf8").replace("summary: Add Leads to a List", "summary: Add leads to a lead list"),
    );
    commit("spec edited by hand");
    const result = guard();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /amplemarket: specs\/amplemarket\/add-leads-to-list\.yaml changed but .*openapi\.yaml.* was not regenerated\. Run `pnpm generate amplemarket`/,
    );
  });

  test("regenerated but without a changeset fails, naming `pnpm specs:update` and `pnpm changeset`", () => {
    expect(run(root, "generate.mjs", ["amplemarket"]).status).toBe(0);
    commit("regenerated");
    // HEAD^ alone sees only the regenerated files; they count as the spec change too.
    const result = guard();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /no changeset in this range names @leadbridge\/amplemarket\. Run `pnpm specs:update amplemarket`.*`pnpm changeset` \(at least patch\)/,
    );
  });

  test("an update with its changeset passes; the same change with too small a bump fails", () => {
    // As after a release: no pending changesets, so the new one alone decides the bump.
    for (const f of readdirSync(join(root, ".changeset")).filter((f) => f.endsWith(".md")))
      rmSync(join(root, ".changeset", f));
    commit("released");
    pointSourcesAt(root, "amplemarket", join(fixtures, "amplemarket/breaking"));
    commit("point amplemarket at the next version");
    expect(run(root, "specs-update.mjs", ["amplemarket"]).status).toBe(0);
    expect(pending()).toHaveLength(1);
    commit("update amplemarket");
    const ok = guard();
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/releases @leadbridge\/amplemarket \(minor, breaking change\)/);

    const path = join(root, ".changeset", pending()[0]);
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace('"@leadbridge/amplemarket": minor', '"@leadbridge/amplemarket": patch'),
    );
    commit("downgrade the bump");
    const low = guard("--base", "HEAD~2");
    expect(low.status).toBe(1);
    expect(low.stderr).toMatch(
      /the change is breaking, which needs a minor bump of @leadbridge\/amplemarket .* gives patch/,
    );
  });

  test("a spec change that leaves the generated spec unchanged needs no changeset", () => {
    // A change to an operation a package does not expose reaches no user: Instantly's package
    // exposes the whole API, so this copy declares a subset to test that rule.
    declareOperations(root, "instantly", ["POST /api/v2/leads/add"]);
    expect(run(root, "generate.mjs", ["instantly"]).status).toBe(0);
    pointSourcesAt(root, "instantly", instantlyNext(root, "doc-only"));
    expect(run(root, "specs-update.mjs", ["instantly"]).status).toBe(0);
    for (const f of readdirSync(join(root, ".changeset")).filter((f) => f.startsWith("instantly-spec-")))
      rmSync(join(root, ".changeset", f));
    commit("land the whole-API document with a changeset removed");
    expect(guard().status).toBe(1); // the doc change itself is released: patch

    const spec = JSON.parse(readFileSync(join(root, "specs/instantly/api_v2.json"), "utf8"));
    spec.paths["/api/v2/campaigns"].get.summary = "List all campaigns";
    writeFileSync(join(root, "specs/instantly/api_v2.json"), `${JSON.stringify(spec, null, 2)}\n`);
    commit("vendor changed an operation we do not expose");
    const result = guard();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/instantly: .* the generated spec did not .*no release needed/);
  });

  test("a security scheme change is not silent: the update writes a breaking changeset, and the guard wants one", () => {
    // Amplemarket's next page, identical but for its auth: an API key in a header instead of a bearer token.
    const committed = readFileSync(join(root, "specs/amplemarket/add-leads-to-list.yaml"), "utf8");
    const swapped = committed.replace(
      /bearerAuth:\n(\s+)type: http\n\s+scheme: bearer/,
      "bearerAuth:\n$1type: apiKey\n$1in: header\n$1name: X-Api-Key",
    );
    expect(swapped).not.toBe(committed);
    const page = join(root, "auth-swapped.md");
    writeFileSync(page, `# Add Leads to a List\n\n\`\`\`\`yaml POST /lead-lists/{id}/leads\n${swapped}\`\`\`\`\n`);
    editVendor(root, "amplemarket", (declaration) => {
      declaration.documents[0].source.location = page;
    });
    commit("point amplemarket at a page whose auth changed");

    const update = run(root, "specs-update.mjs", ["amplemarket", "--json"]);
    expect(update.status, update.stderr).toBe(0);
    const [result] = JSON.parse(update.stdout);
    // Soft, so that the guard's verdict below is checked even when the update's is wrong.
    expect.soft(result.level).toBe("breaking");
    expect.soft(result.changeset).not.toBeNull();
    if (result.changeset) {
      expect(readFileSync(join(root, result.changeset), "utf8")).toContain(
        "- BREAKING: security scheme `bearerAuth` was an HTTP bearer token (Authorization: Bearer …), now an API key in the header `X-Api-Key` (used by `addLeadsToLeadList`, `createLeadList`, `getLeadList`)",
      );
      rmSync(join(root, result.changeset));
    }
    commit("the auth change, regenerated, without its changeset");
    const silent = guard();
    expect(silent.status).toBe(1);
    expect(silent.stderr).toMatch(/changed what @leadbridge\/amplemarket users get \(breaking\), but no changeset/);
  });

  test("a range that releases the package (version bumped) passes without a pending changeset", () => {
    const spec = join(root, "specs/nlpearl/v2-add-leads.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("summary: Add Leads", "summary: Add leads"));
    expect(run(root, "generate.mjs", ["nlpearl"]).status).toBe(0);
    const pkg = join(root, "packages/nlpearl/package.json");
    writeFileSync(pkg, readFileSync(pkg, "utf8").replace(/"version": "[^"]+"/, '"version": "0.2.0"'));
    commit("release nlpearl 0.2.0");
    const result = guard();
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/nlpearl: released in this range/);
  });

  test("Instantly's whole-API bundle (over 1 MiB) is read back from git: a change that leaves it as it is needs no changeset", () => {
    declareOperations(root, "instantly", undefined);
    expect(run(root, "generate.mjs", ["instantly"]).status).toBe(0);
    commit("instantly exposes its whole API again");
    editVendor(root, "instantly", (declaration) => {
      declaration.documents[0].$comment = "A reworded comment.";
    });
    commit("reword the comment on instantly's source");
    const result = guard();
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/instantly: specs\/instantly\/vendor\.json changed, but the generated spec did not/);
    expect(result.status).toBe(0);
  });
});
