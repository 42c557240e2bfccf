// A whole vendor API of a few hundred paths and several MB goes through the update flow, and only
// the declared operation reaches the package. The timing goal is in scripts/bench/large-spec.mjs.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { copyRepo, editVendor, run } from "./helpers.mjs";
import { largeInstantlySpec } from "./large-spec.mjs";

const root = copyRepo(["instantly"]);
afterAll(() => rmSync(root, { recursive: true, force: true }));

test("specs:update on a whole-API JSON of over 300 paths and 6 MB", () => {
  const text = `${JSON.stringify(largeInstantlySpec(root), null, 2)}\n`;
  expect(text.length).toBeGreaterThan(6e6);
  const source = join(root, "api_v2.large.json");
  writeFileSync(source, text);
  // Instantly's package exposes its whole API; this copy declares one operation to test the subset.
  editVendor(root, "instantly", (declaration) => {
    declaration.documents[0].source.location = source;
    declaration.operations = ["POST /api/v2/leads/add"];
  });
  expect(run(root, "generate.mjs", ["instantly"]).status).toBe(0);

  const update = run(root, "specs-update.mjs", ["instantly", "--json"]);
  expect(update.status, update.stderr).toBe(0);
  const [result] = JSON.parse(update.stdout);
  // The committed file is the vendor's document, byte for byte; the package gets the one declared operation.
  expect(readFileSync(join(root, "specs/instantly/api_v2.json"), "utf8")).toBe(text);
  expect(result.diff.operations.map((o) => o.key)).toEqual(["POST /api/v2/leads/add"]);
  expect(result.level).toBe("non-breaking");
  const schema = readFileSync(join(root, "packages/instantly/src/generated/schema.ts"), "utf8");
  expect(schema).toMatch(/verification_pending\?: number;/);
  expect(schema).not.toMatch(/Resource0|resource-0/);
  expect(run(root, "generate.mjs", ["--check", "instantly"]).status).toBe(0);
});
