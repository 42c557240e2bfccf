#!/usr/bin/env node
// pnpm specs:update [vendor...] [--root dir] [--json] [--summary-file body.md] [--outputs file]
// Refreshes specs/<vendor> from the sources declared in specs/<vendor>/vendor.json, prints what changed for
// users of the generated client, writes a changeset with the matching bump, and regenerates.
// For the scheduled update (.github/workflows/specs-update.yml): --summary-file writes the pull
// request's body (the summary, the changeset, and any failure first); --outputs appends `level=` and
// `failed=` lines (GitHub's $GITHUB_OUTPUT format). Exits 1 when a new spec does not generate.
import { appendFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { bundleVendorSpec } from "./lib/bundle.mjs";
import { generateVendor, writeGenerated } from "./lib/generate-vendor.mjs";
import { diffSpecs, highest, summarize } from "./lib/spec-diff.mjs";
import { committedBundle, fetchVendor, releasesFor, writeChangeset } from "./lib/update.mjs";
import { loadFacade, loadVendors, scriptArgs, selectVendors } from "./lib/vendors.mjs";

const { root, names, values } = scriptArgs(
  "pnpm specs:update [vendor...] [--json] [--summary-file body.md] [--outputs file] [--root dir]",
  { options: { json: { type: "boolean" }, "summary-file": { type: "string" }, outputs: { type: "string" } } },
);
const json = values.json;
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
    writeGenerated(vendor, await generateVendor(vendor));
    say(`regenerated ${relative(root, vendor.generatedDir)}`);
  } catch (error) {
    failed++;
    result.error = error.message;
    say(
      `\n✗ ${vendor.name}: the new spec does not generate:\n${problems.map((p) => `  - ${p}`).join("\n") || `  - ${error.message}`}`,
    );
    say(
      `  Fix specs/${vendor.name}/${vendor.overlay ?? "overlay.yaml"} or \`operations\` in specs/${vendor.name}/vendor.json, then run \`pnpm generate ${vendor.name}\`.`,
    );
  }
  say();
}
say(`done in ${Math.round(performance.now() - started)} ms`);
if (values["summary-file"]) writeFileSync(values["summary-file"], pullRequestBody(results));
if (values.outputs) {
  const level = highest(results.map((r) => r.level)) ?? "none";
  appendFileSync(values.outputs, `level=${level}\nfailed=${failed > 0}\n`);
}
// Exit once the JSON is written: process.exit() right after a large write to a pipe cuts it short.
const code = failed ? 1 : 0;
if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`, () => process.exit(code));
else process.exit(code);

/** The scheduled update's pull request body: a failure first, then per vendor its summary and changeset. */
function pullRequestBody(results) {
  const lines = [];
  for (const r of results.filter((x) => x.error)) {
    lines.push(
      "> [!CAUTION]",
      `> **${r.vendor}: the new spec does not generate**, so this branch is not mergeable as it is.`,
      ...(r.problems.length ? r.problems : [r.error]).map((p) => `> - ${p}`),
      ">",
      `> Fix \`specs/${r.vendor}/overlay.yaml\` or \`operations\` in \`specs/${r.vendor}/vendor.json\` on this branch, then run \`pnpm generate ${r.vendor}\` and commit.`,
      "",
    );
  }
  for (const r of results) {
    const files = [...r.changed, ...r.removed.map((f) => `${f} (removed)`)];
    lines.push(`## ${r.vendor}: ${r.level ?? "no change"}`, "");
    lines.push(
      files.length
        ? `Documents updated: ${files.map((f) => `\`specs/${r.vendor}/${f}\``).join(", ")}.`
        : "No document changed.",
      "",
    );
    lines.push(summarize(r.diff), "");
    if (r.changeset)
      lines.push(`Changeset \`${r.changeset}\`: ${r.releases.map((x) => `\`${x.name}\` ${x.bump}`).join(", ")}.`, "");
  }
  lines.push("Opened by `pnpm specs:update` (.github/workflows/specs-update.yml). Review the summary, then merge.");
  return `${lines.join("\n")}\n`;
}
