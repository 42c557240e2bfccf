#!/usr/bin/env node
// pnpm generate [vendor...]        regenerate packages/<vendor>/src/generated from specs/<vendor>, and the
//                                  vendor registries (see scripts/lib/registries.mjs)
// pnpm generate:check [vendor...]  generate in memory and diff against what is committed; exit 1 if stale
import { relative } from "node:path";
import { createTwoFilesPatch } from "diff";
import { generateVendor, staleGenerated, writeGenerated } from "./lib/generate-vendor.mjs";
import { registryTargets } from "./lib/registries.mjs";
import { loadVendors, scriptArgs, selectVendors } from "./lib/vendors.mjs";

const { root, names, values } = scriptArgs("pnpm generate [--check] [vendor...] [--root dir]", {
  options: { check: { type: "boolean" } },
});
const declared = loadVendors(root);
const vendors = selectVendors(declared, names);
const started = performance.now();

// Each vendor's package, then the registries that list every vendor (the facade's, the simulators', the
// workspace dependencies on the vendor packages).
const targets = [
  ...vendors.map((vendor) => ({ vendor, source: `specs/${vendor.name}`, files: () => generateVendor(vendor) })),
  ...registryTargets(root, declared).map((target) => ({
    vendor: target,
    source: "specs/*/vendor.json",
    files: () => target.files,
  })),
];
let stale = 0;
for (const { vendor, source, files: build } of targets) {
  const files = await build();
  const where = relative(root, vendor.generatedDir) || ".";
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
      `${where}/${name} (from ${source})`,
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
