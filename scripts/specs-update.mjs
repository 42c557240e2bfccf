#!/usr/bin/env node
// pnpm specs:update [vendor...] [--root dir] [--json]
// Refreshes specs/<vendor> from the sources declared in specs/vendors.json, prints what changed for
// users of the generated client, writes a changeset with the matching bump, and regenerates.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { bundleVendorSpec } from "./lib/bundle.mjs";
import { generateVendor } from "./lib/generate-vendor.mjs";
import { diffSpecs, summarize } from "./lib/spec-diff.mjs";
import { committedBundle, fetchVendor, releasesFor, writeChangeset } from "./lib/update.mjs";
import { loadFacade, loadVendors, parseArgs, selectVendors } from "./lib/vendors.mjs";

const { root, names, has } = parseArgs(process.argv.slice(2));
const json = has("--json");
// With --json, stdout carries only the result; the human account goes to stderr.
const say = (line = "") => (json ? process.stderr : process.stdout).write(`${line}\n`);
const started = performance.now();
const results = [];
let failed = 0;

for (const vendor of selectVendors(loadVendors(root), names)) {
  const before = await committedBundle(vendor);
  const fetched = await fetchVendor(vendor, root, vendor.specDir);
  const problems = [];
  const after = await bundleVendorSpec(vendor, { problems });
  const diff = diffSpecs(before, after);
  const result = { vendor: vendor.name, ...fetched, level: diff.level, diff, problems, releases: [], changeset: null };
  results.push(result);

  say(
    `## ${vendor.name}: ${diff.level ?? "no change"} (${fetched.changed.length} document(s) updated${fetched.removed.length ? `, ${fetched.removed.join(", ")} removed` : ""})`,
  );
  say(summarize(diff));
  if (diff.level) {
    result.releases = releasesFor(vendor, diff.level, root, loadFacade(root));
    result.changeset = writeChangeset(root, vendor, result.releases, diff, fetched);
    say(`\nchangeset ${result.changeset}: ${result.releases.map((r) => `${r.name} ${r.bump}`).join(", ")}`);
  }
  try {
    const files = await generateVendor(vendor);
    rmSync(vendor.generatedDir, { recursive: true, force: true });
    mkdirSync(vendor.generatedDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(vendor.generatedDir, name), text);
    say(`regenerated ${relative(root, vendor.generatedDir)}`);
  } catch (error) {
    failed++;
    result.error = error.message;
    say(
      `\n✗ ${vendor.name}: the new spec does not generate:\n${problems.map((p) => `  - ${p}`).join("\n") || `  - ${error.message}`}`,
    );
    say(
      `  Fix specs/${vendor.name}/${vendor.overlay ?? "overlay.yaml"} or \`operations\` in specs/vendors.json, then run \`pnpm generate ${vendor.name}\`.`,
    );
  }
  say();
}
say(`done in ${Math.round(performance.now() - started)} ms`);
if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.exit(failed ? 1 : 0);
