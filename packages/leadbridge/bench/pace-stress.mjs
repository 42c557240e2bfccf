// Pacing under a starved CPU (a measurement, not a test): the scenario of test/adaptive-concurrency.test.ts
// (Instantly's documented limits, 100 ms a request, the capacity squeezed to 2 after 80 batches), with the
// simulator in the client's process, run RUNS times, PARALLEL at once, while HOGS busy loops compete for
// the CPU. A 429 means the pacer let the vendor count more than its limit in a window: any nonzero count is
// a fault to find. This is how a pacer change that is safe on a quiet machine is checked on a busy one.
//   Run: pnpm --filter leadbridge bench:stress    Env: RUNS (default 10), PARALLEL (2), HOGS (2)
import { fork, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const RUNS = Number(process.env.RUNS ?? 10);
const PARALLEL = Number(process.env.PARALLEL ?? 2);
const HOGS = Number(process.env.HOGS ?? 2);
const BATCHES = 320;
const SQUEEZE_AT = 80;

if (process.argv[2] === "run") {
  // One run, in a child process of its own: its event loop is the one the simulator shares.
  const { startSimulator } = await import("@leadbridge/simulators");
  const { createLeadBridge } = await import("../dist/index.js");
  const sim = await startSimulator({ vendor: "instantly", seed: 12, latency: { fixedMs: 100 } });
  const campaignId = sim.store.createCampaign();
  const bridge = createLeadBridge({
    instantly: { apiKey: sim.credentials.apiKey, baseUrl: sim.url },
    retry: { maxAttempts: 1 },
  });
  function* leads(n) {
    for (let i = 0; i < n; i++) yield { email: `stress${i}@example.com`, firstName: "Ada" };
  }
  let squeezed;
  let failed;
  try {
    await bridge.addLeads({ vendor: "instantly", campaignId }, leads(BATCHES * 5), {
      batchSize: 5,
      keepResults: false,
      onBatch({ batch }) {
        if (batch === SQUEEZE_AT)
          squeezed = fetch(`${sim.url}/__simulator/latency`, {
            method: "PUT",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ fixedMs: 100, capacity: 2 }),
          });
      },
    });
  } catch (error) {
    failed = error.name;
  }
  await squeezed;
  const stats = sim.store.stats();
  await sim.close();
  const result = { requests: stats.requests, r429: stats.responsesByStatus[429] ?? 0, failed };
  // Awaited here so that a run never goes on to the parent's part below.
  await new Promise((resolve) => process.send(result, resolve));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const hogs = Array.from({ length: HOGS }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
const results = [];
try {
  for (let done = 0; done < RUNS; done += PARALLEL) {
    const wave = Array.from({ length: Math.min(PARALLEL, RUNS - done) }, () => {
      const child = fork(self, ["run"], { stdio: ["inherit", "inherit", "inherit", "ipc"] });
      // A run that dies before reporting is reported as such, not waited for.
      return new Promise((resolve) => {
        child.once("message", resolve);
        child.once("exit", (code) => resolve({ died: `exited with ${code} before reporting` }));
      });
    });
    for (const result of await Promise.all(wave)) {
      results.push(result);
      console.log(JSON.stringify(result));
    }
  }
} finally {
  for (const hog of hogs) hog.kill();
}
const with429 = results.filter((r) => r.r429 > 0).length;
const died = results.filter((r) => r.died).length;
console.log(
  `${with429} of ${results.length} runs drew a 429 (${HOGS} busy loops, ${PARALLEL} runs at once)` +
    (died > 0 ? `; ${died} died before reporting` : ""),
);
process.exitCode = with429 > 0 || died > 0 ? 1 : 0;
