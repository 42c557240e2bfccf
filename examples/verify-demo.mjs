#!/usr/bin/env node
// The README's `leadbridge verify` output: an import into a local Instantly simulator whose answers are
// lost twice (a TCP reset after the simulator stored a batch, and one before), its results file, and
// `leadbridge verify` reading the leads back. Nothing leaves this machine. Run after `pnpm build`.
// The results file is written here from the facade's report, in the format `import --results` writes.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLeadBridge } from "../packages/leadbridge/dist/index.js";
import { startSimulator } from "../packages/simulators/dist/index.js";

const FIELDS = [
  "row",
  "outcome",
  "code",
  "reason",
  "vendor",
  "destination",
  "vendorLeadId",
  "email",
  "phone",
  "linkedinUrl",
  "warnings",
];
const sim = await startSimulator({
  vendor: "instantly",
  seed: 1,
  faults: {
    rules: [
      { kind: "reset-after", schedule: [2] },
      { kind: "reset-before", schedule: [4] },
    ],
  },
});
try {
  const campaignId = sim.store.createCampaign();
  const bridge = createLeadBridge({ instantly: { ...sim.credentials, baseUrl: sim.url } });
  const leads = Array.from({ length: 10 }, (_, i) => ({ email: `lead${i}@example.com` }));
  const rows = [];
  // Two imports of five leads, one attempt per batch: each stops at its lost answer.
  for (const offset of [0, 5]) {
    const half = leads.slice(offset, offset + 5);
    const options = { batchSize: 2, concurrency: 1, retry: { maxAttempts: 1 } };
    const report = await bridge.addLeads({ vendor: "instantly", campaignId }, half, options).catch((e) => e.report);
    for (const r of report.results) {
      const values = {
        ...r,
        row: offset + r.index + 2,
        vendor: "instantly",
        destination: campaignId,
        ...half[r.index],
      };
      rows.push(FIELDS.map((f) => csvCell(values[f] ?? "")).join(","));
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "leadbridge-verify-"));
  const results = join(dir, "results.csv");
  writeFileSync(results, `${FIELDS.join(",")}\n${rows.join("\n")}\n`);
  const bin = fileURLToPath(new URL("../packages/cli/dist/bin.js", import.meta.url));
  const args = ["verify", "results.csv", "--out", "verified.csv"];
  console.log(`$ leadbridge ${args.join(" ")}`);
  const env = { ...process.env, INSTANTLY_API_KEY: sim.credentials.apiKey, LEADBRIDGE_INSTANTLY_BASE_URL: sim.url };
  // Not spawnSync: the simulator runs in this process and must go on answering.
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: "inherit" });
  const [status] = await once(child, "exit");
  console.log(`(exit code ${status}; the simulator holds ${sim.storedCount({ campaignId })} leads; files in ${dir})`);
} finally {
  await sim.close();
}

function csvCell(value) {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
