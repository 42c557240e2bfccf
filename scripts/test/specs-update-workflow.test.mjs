// The scheduled update (.github/workflows/specs-update.yml): valid for GitHub Actions (checked by
// @action-validator/core against the workflow schema), and wired as specs/README.md describes.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { expect, test } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "./helpers.mjs";

/** A GitHub Actions expression as the workflow spells it: `${{ … }}`. */
const gh = (expression) => `$\{{ ${expression} }}`;

const dir = join(repoRoot, ".github/workflows");
const text = readFileSync(join(dir, "specs-update.yml"), "utf8");
const workflow = parse(text);

test.each(readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)))("%s is a valid workflow", (file) => {
  expect(validateWorkflow(readFileSync(join(dir, file), "utf8")).errors).toEqual([]);
});

test("the validator rejects a broken workflow (so the check above can fail)", () => {
  expect(validateWorkflow(text.replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest")).errors).not.toEqual([]);
});

test("runs on a schedule and on demand, for every vendor of specs/ (each specs/<vendor>/vendor.json) or those asked for", () => {
  expect(workflow.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
  expect(workflow.on.workflow_dispatch.inputs.vendors.required).toBe(false);
  const list = workflow.jobs.vendors.steps.find((s) => s.id === "list");
  expect(list.run).toMatch(/fs\.existsSync\(`specs\/\$\{d\}\/vendor\.json`\)/);
  expect(workflow.jobs.update.strategy.matrix.vendor).toBe(gh("fromJSON(needs.vendors.outputs.list)"));
  expect(workflow.jobs.update.strategy["fail-fast"]).toBe(false);
});

test("runs pnpm specs:update per vendor, opens a pull request with the summary as its body, and fails loudly", () => {
  const steps = workflow.jobs.update.steps;
  const at = (pred) => steps.findIndex(pred);
  const update = steps[at((s) => s.id === "update")];
  expect(update.run).toMatch(
    /^pnpm specs:update "\$\{\{ matrix\.vendor \}\}" --summary-file "\$RUNNER_TEMP\/pr-body\.md" --outputs "\$GITHUB_OUTPUT"$/,
  );
  expect(update["continue-on-error"]).toBe(true); // so a failure still opens the draft, then fails below
  const pr = steps[at((s) => String(s.uses).startsWith("peter-evans/create-pull-request@"))];
  expect(pr.with["body-path"]).toBe(`${gh("runner.temp")}/pr-body.md`);
  expect(pr.with.branch).toBe(`specs-update/${gh("matrix.vendor")}`);
  expect(pr.with.draft).toContain("steps.update.outcome == 'failure'");
  expect(pr.if).toContain("steps.update.outputs.failed == 'true'");
  const fail = steps[at((s) => s.if === "steps.update.outcome == 'failure'" && /exit 1\s*$/.test(s.run ?? ""))];
  expect(fail).toBeDefined();
  expect(at((s) => s === fail)).toBeGreaterThan(at((s) => s === pr));
  expect(workflow.jobs.update.permissions).toEqual({ contents: "write", "pull-requests": "write" });
  expect(workflow.permissions).toEqual({ contents: "read" });
  expect(at((s) => s.run === "pnpm install --frozen-lockfile")).toBeLessThan(at((s) => s === update));
});
