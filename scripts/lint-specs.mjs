#!/usr/bin/env node
// Lints each bundled vendor spec with Redocly CLI (rules and their justified exceptions: redocly.yaml).
// Warnings fail too: "clean" means no problems at all.
import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { loadVendors, repoRoot } from "./lib/vendors.mjs";

const redocly = join(repoRoot, "node_modules/.bin/redocly");
const env = {
  ...process.env,
  SCARF_ANALYTICS: "false",
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
};
let failed = 0;
for (const vendor of loadVendors()) {
  const file = relative(repoRoot, join(vendor.generatedDir, "openapi.yaml"));
  const run = (format) =>
    spawnSync(redocly, ["lint", `--format=${format}`, file], { cwd: repoRoot, env, encoding: "utf8" });
  const { totals } = JSON.parse(run("json").stdout);
  if (totals.errors + totals.warnings === 0) {
    console.log(`✓ ${file}: no problems`);
    continue;
  }
  failed++;
  console.error(run("stylish").stdout);
  console.error(`✗ ${file}: ${totals.errors} error(s), ${totals.warnings} warning(s)`);
}
process.exit(failed ? 1 : 0);
