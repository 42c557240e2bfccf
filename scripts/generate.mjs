#!/usr/bin/env node
// pnpm generate [vendor...]        regenerate packages/<vendor>/src/generated from specs/<vendor>
// pnpm generate:check [vendor...]  generate in memory and diff against what is committed; exit 1 if stale
import { relative } from "node:path";
import { createTwoFilesPatch } from "diff";
import { generateVendor, staleGenerated, writeGenerated } from "./lib/generate-vendor.mjs";
import { loadVendors, scriptArgs, selectVendors } from "./lib/vendors.mjs";

const { root, names, values } = scriptArgs("pnpm generate [--check] [vendor...] [--root dir]", {
  options: { check: { type: "boolean" } },
});
const vendors = selectVendors(loadVendors(root), names);
const started = performance.now();

let stale = 0;
for (const vendor of vendors) {
  const files = await generateVendor(vendor);
  const where = relative(root, vendor.generatedDir);
  if (!values.check) {
    writeGenerated(vendor, files);
    console.log(`generated ${where} (${Object.keys(files).join(", ")})`);
    continue;
  }
  for (const { name, committed, fresh } of staleGenerated(vendor, files)) {
    stale++;
    if (fresh === null) {
      console.log(`${where}/${name} is committed but no longer generated`);
      continue;
    }
    const patch = createTwoFilesPatch(
      `${where}/${name} (committed)`,
      `${where}/${name} (from specs/${vendor.name})`,
      committed,
      fresh,
      "",
      "",
      { context: 2 },
    );
    process.stdout.write(patch);
  }
}
const ms = Math.round(performance.now() - started);
if (!values.check) console.log(`done in ${ms} ms`);
else if (stale > 0) {
  console.error(`\n✗ ${stale} generated file(s) disagree with specs/. Run \`pnpm generate\` and commit the result.`);
  process.exit(1);
} else console.log(`✓ generated code matches specs/ for ${vendors.map((v) => v.name).join(", ")} (${ms} ms)`);
