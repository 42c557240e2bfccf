#!/usr/bin/env node
// node scripts/bench/large-spec.mjs
// Goal (issues #1, #6): a whole vendor API (~200+ paths, ~4 MB) updates and regenerates in well
// under 5 s. Measures, in a temp copy of the repo, with Instantly's source pointed at a generated
// whole-API JSON: `specs:update instantly` (fetch, bundle, filter, diff, changeset, generate), and
// `generate instantly` with no declared subset (types for the whole API).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyRepo, editVendor, run } from "../test/helpers.mjs";
import { largeInstantlySpec } from "../test/large-spec.mjs";

const GOAL_MS = 5000;
const root = copyRepo(["instantly"]);
try {
  const text = `${JSON.stringify(largeInstantlySpec(root), null, 2)}\n`;
  const source = join(root, "instantly-api_v2.json");
  writeFileSync(source, text);
  editVendor(root, "instantly", (declaration) => {
    declaration.documents[0].source.location = source;
    declaration.operations = ["POST /api/v2/leads/add"];
  });
  run(root, "generate.mjs", ["instantly"]);
  const paths = Object.keys(JSON.parse(text).paths).length;
  console.log(`whole-API spec: ${paths} paths, ${(text.length / 1e6).toFixed(2)} MB`);

  const figures = [];
  const measure = (label, script, args) => {
    const result = run(root, script, args);
    if (result.status !== 0) throw new Error(`${label} failed:\n${result.stdout}\n${result.stderr}`);
    figures.push([label, result.ms]);
    console.log(`${label}: ${Math.round(result.ms)} ms (wall, including node start-up)`);
  };
  measure("pnpm specs:update instantly (declared subset)", "specs-update.mjs", ["instantly"]);
  measure("pnpm generate instantly (declared subset)", "generate.mjs", ["instantly"]);
  delete config.vendors.instantly.operations;
  writeFileSync(configPath, JSON.stringify(config));
  measure("pnpm generate instantly (whole API, no subset)", "generate.mjs", ["instantly"]);
  const schema = readFileSync(join(root, "packages/instantly/src/generated/schema.ts"), "utf8");
  console.log(`whole-API schema.ts: ${(schema.length / 1e6).toFixed(2)} MB`);
  const worst = Math.max(...figures.map(([, ms]) => ms));
  console.log(`${worst < GOAL_MS ? "✓" : "✗"} slowest ${Math.round(worst)} ms; goal: under ${GOAL_MS} ms`);
  process.exitCode = worst < GOAL_MS ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
