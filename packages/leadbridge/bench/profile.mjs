// Dev helper: runs one facade import (or --dry) of 1M leads for profiling with --cpu-prof / --trace-gc.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createLeadBridge } from "../dist/index.js";

const N = 1_000_000;
const dry = process.argv.includes("--dry");
const streamedInput = process.argv.includes("--stream");
const lead = (i) => ({
  email: `lead${i}@example.com`,
  firstName: `First${i}`,
  lastName: `Last${i}`,
  companyName: `Company ${i % 997}`,
  jobTitle: "Head of Growth",
});
const child = fork(fileURLToPath(new URL("./sink.mjs", import.meta.url)), { stdio: "inherit" });
const { port } = await new Promise((r) => child.once("message", r));
const url = `http://127.0.0.1:${port}`;
const bridge = createLeadBridge({ amplemarket: { apiKey: "k", baseUrl: url } });
const run = (leads) =>
  bridge.addLeads({ vendor: "amplemarket", listId: "l", type: "email" }, leads, {
    batchSize: 10_000,
    concurrency: 4,
    dryRun: dry,
    keepResults: !streamedInput,
  });
async function* streamed(n) {
  for (let i = 0; i < n; i++) yield lead(i);
}
const leads = streamedInput ? null : Array.from({ length: N }, (_, i) => lead(i));
await run(streamedInput ? streamed(50_000) : leads.slice(0, 50_000));
globalThis.gc?.();
const cpu = process.cpuUsage();
const t = performance.now();
const samp = setInterval(() => {
  const m = process.memoryUsage();
  if (process.argv.includes("--mem"))
    console.log(
      Object.entries(m)
        .map(([k, v]) => `${k}=${Math.round(v / 2 ** 20)}`)
        .join(" "),
    );
}, 250);
const r = await run(streamedInput ? streamed(N) : leads);
clearInterval(samp);
const u = process.cpuUsage(cpu);
console.log(
  `wall ${Math.round(performance.now() - t)} ms, cpu ${Math.round((u.user + u.system) / 1000)} ms, added ${r.counts.added} skipped ${r.counts.skipped}, rss ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
);
child.send("close");
