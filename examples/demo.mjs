#!/usr/bin/env node
// `pnpm demo`: the README's first command. Imports examples/leads.csv into a local Instantly
// simulator (no credentials, nothing leaves this machine), shows the progress and the summary,
// and leaves the failure report in leads-report.csv.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = [
  "import",
  "examples/leads.csv",
  "--to",
  "instantly",
  "--campaign",
  "019e0e3e-b690-71a9-b399-fbf49894dded",
  "--default-country",
  "US",
  "--sandbox",
  "--report",
  "leads-report.csv",
];
console.log(`$ leadbridge ${args.join(" ")}\n`);
// The demo shows a first import each time: an earlier demo's journal would otherwise resume it.
rmSync(`${root}/leads-report.journal.jsonl`, { force: true });
const bin = fileURLToPath(new URL("../packages/cli/dist/bin.js", import.meta.url));
const { status } = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: "inherit" });
if (status === 1) {
  // Exit code 1 means "some leads were not added": the sample's bad rows are there on purpose.
  console.log(
    "\nExit code 1: some rows of the sample are bad on purpose. Open leads-report.csv to see each one and why.",
  );
  process.exit(0);
}
process.exit(status ?? 1);
