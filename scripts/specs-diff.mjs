#!/usr/bin/env node
// pnpm specs:diff [vendor...] [--root dir] [--json]
// Fetches each vendor's published spec into a scratch directory and classifies how it differs from
// the committed bundle (what users of the generated client have now). Writes nothing in the repo.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleVendorSpec } from "./lib/bundle.mjs";
import { diffSpecs, summarize } from "./lib/spec-diff.mjs";
import { committedBundle, fetchVendor, releasesFor } from "./lib/update.mjs";
import { loadFacade, loadVendors, scriptArgs, selectVendors } from "./lib/vendors.mjs";

const { root, names, values } = scriptArgs("pnpm specs:diff [vendor...] [--json] [--root dir]", {
  options: { json: { type: "boolean" } },
});
const results = [];
const scratch = mkdtempSync(join(tmpdir(), "leadbridge-specs-diff-"));
try {
  for (const vendor of selectVendors(loadVendors(root), names)) {
    const before = await committedBundle(vendor);
    const fresh = { ...vendor, specDir: join(scratch, vendor.name) };
    const fetched = await fetchVendor(vendor, root, fresh.specDir);
    const problems = [];
    const diff = diffSpecs(before, await bundleVendorSpec(fresh, { problems }));
    results.push({ vendor: vendor.name, ...fetched, level: diff.level, diff, problems });
    if (values.json) continue;
    console.log(`## ${vendor.name}: ${diff.level ?? "no change"}`);
    console.log(summarize(diff));
    for (const p of problems) console.log(`! ${p}`);
    if (diff.level) {
      const releases = releasesFor(vendor, diff.level, root, loadFacade(root));
      const bumps = releases.map((r) => `${r.name} ${r.bump}`).join(", ");
      console.log(`\n→ \`pnpm specs:update ${vendor.name}\` would regenerate and write a changeset: ${bumps}.`);
    }
    console.log();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (values.json) console.log(JSON.stringify(results, null, 2));
