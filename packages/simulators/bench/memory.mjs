// Memory of a simulator holding 1,000,000 leads, loaded through HTTP as a client would:
// 1,000 Instantly bulk adds of 1,000 leads (rate limits off). The simulator runs as the
// `leadbridge-sim` command in its own process, so the client's garbage is not counted; its
// resident memory (VmRSS, Linux /proc) is read when loaded.
// Run: pnpm --filter @leadbridge/simulators bench   (builds, then node bench/memory.mjs)
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const TOTAL = Number(process.env.LEADS ?? 1_000_000);
const BATCH = 1_000;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const child = spawn(
  process.execPath,
  [fileURLToPath(new URL("../dist/cli.js", import.meta.url)), "instantly", "--no-rate-limits", "--seed", "1"],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const [firstChunk] = await once(child.stdout, "data");
const url = String(firstChunk).split("\n")[0].trim();
function measure(label) {
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))[1]) * 1024;
  console.log(`${label.padEnd(28)} simulator rss ${mb(rss).padStart(7)}`);
  return rss;
}
const sim = {
  url,
  close() {
    child.kill("SIGTERM");
    return once(child, "exit");
  },
};
const { id: campaignId } = await (await fetch(`${url}/__simulator/campaigns`, { method: "POST", body: "{}" })).json();
const authorization = "Bearer sim-instantly-api-key";
const before = measure("started");
const started = performance.now();
for (let sent = 0; sent < TOTAL; sent += BATCH * 4) {
  // Four requests in flight, like a client with a small pool.
  await Promise.all(
    [0, 1, 2, 3].map(async (k) => {
      const from = sent + k * BATCH;
      if (from >= TOTAL) return;
      const leads = Array.from({ length: BATCH }, (_, i) => ({
        email: `lead${from + i}@example.com`,
        first_name: "Ada",
        last_name: `Lovelace${from + i}`,
        company_name: "Analytical Engines",
      }));
      const response = await fetch(`${sim.url}/api/v2/leads/add`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify({ campaign_id: campaignId, leads }),
      });
      const body = await response.json();
      if (response.status !== 200 || body.leads_uploaded !== leads.length)
        throw new Error(`unexpected ${response.status}`);
    }),
  );
}
const seconds = (performance.now() - started) / 1000;
const campaigns = await (await fetch(`${url}/__simulator/campaigns`)).json();
const stored = campaigns[0].leadCount;
const after = measure(`holding ${stored.toLocaleString("en-US")} leads`);
console.log(`loaded in ${seconds.toFixed(1)} s (${Math.round(stored / seconds).toLocaleString("en-US")} leads/s)`);
console.log(
  `≈ ${((after - before) / stored).toFixed(0)} bytes of RSS per lead; budget 500 MB: ${after < 500 * 1024 * 1024 ? "within" : "EXCEEDED"}`,
);
await sim.close();
if (after >= 500 * 1024 * 1024) process.exitCode = 1;
