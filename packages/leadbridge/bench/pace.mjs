// Pacing benchmark (a measurement, not a test): with default options (no concurrency set), how close does
// addLeads come to each vendor's documented rate limit when the vendor is slow, and does it back off when
// the vendor's capacity, not the rate limit, is what limits? Each row runs a fresh simulator in its own
// process (documented limits, a latency model) and reads the simulator's own counters.
//   Run: pnpm --filter leadbridge bench:pace    Env: SECONDS (per row, default 20), VENDORS=instantly,amplemarket,nlpearl,
//   ROWS=1 s,200 ms (only the rows with these labels)
import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { createLeadBridge } from "../dist/index.js";

const SECONDS = Number(process.env.SECONDS ?? 20);
const VENDORS = (process.env.VENDORS ?? "instantly,amplemarket,nlpearl").split(",");
// Small batches keep the client's and the simulator's CPU out of the way on a shared machine: this measures pacing.
const BATCH = 10;

// Amplemarket's 500/min would need minutes per row to measure; the same rate in a 6 s window (50 per 6 s)
// exercises the same pacer in seconds. Instantly's and NLPearl's limits are as documented.
const SETUPS = {
  instantly: {
    ratePerS: 100,
    windows: undefined,
    enforced: [
      { limit: 100, windowMs: 1_000 },
      { limit: 6_000, windowMs: 60_000 },
    ],
    note: "100/s and 6,000/min (documented)",
  },
  amplemarket: {
    ratePerS: 500 / 60,
    windows: [{ limit: 50, windowMs: 6_000 }],
    enforced: [{ limit: 50, windowMs: 6_000 }],
    note: "50 per 6 s (500/min scaled)",
  },
  nlpearl: { ratePerS: Number.POSITIVE_INFINITY, windows: undefined, enforced: [], note: "none documented" },
};

/**
 * The least time `n` requests of `ms` each can take to be answered: a sliding window lets its first `limit`
 * go at once, then `limit` a window, and the last answer comes `ms` after its send; a capacity of c serves c
 * every `ms`. Share of the ceiling = this / measured (a short row's first window is not a free 100%).
 */
function idealSeconds(n, windows, capacity, ms) {
  let s = capacity ? (Math.ceil(n / capacity) * ms) / 1000 : 0;
  for (const w of windows) s = Math.max(s, ((Math.ceil(n / w.limit) - 1) * w.windowMs + ms) / 1000);
  return s;
}
const ROWS = [
  // What this machine itself allows: no pacer, no limit at the simulator (Instantly only). On a loaded
  // machine the 0 ms row cannot beat it.
  { label: "0 ms, unpaced (machine)", latency: { fixedMs: 0 }, unpaced: true },
  { label: "0 ms", latency: { fixedMs: 0 } },
  { label: "200 ms", latency: { fixedMs: 200 } },
  { label: "1 s", latency: { fixedMs: 1_000 } },
  { label: "2 s", latency: { fixedMs: 2_000 } },
  // A vendor whose latency varies: the pacer counts the spread above the fastest as possible delay on the way in.
  { label: "1 s ± 10%", latency: { fixedMs: 1_000, jitter: 0.1 } },
  // Capacity below the rate limit: 200 ms a request, 2 at a time, so at most 10 requests/s (5 for Amplemarket: 1 at a time).
  { label: "200 ms, capacity", latency: { fixedMs: 200 }, capacity: true },
];

function startSim(options) {
  const child = fork(fileURLToPath(new URL("./pace-sim.mjs", import.meta.url)), [JSON.stringify(options)], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve) =>
    child.once("message", ({ url }) =>
      resolve({
        url,
        control: async (method, path, body) => {
          const response = await fetch(`${url}/__simulator${path}`, {
            method,
            headers: { "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          return response.status === 204 ? undefined : response.json();
        },
        close: () =>
          new Promise((done) => {
            child.once("exit", done);
            child.send("close");
          }),
      }),
    ),
  );
}

function* leads(n) {
  for (let i = 0; i < n; i++)
    yield { email: `pace${i}@example.com`, phone: `+1415555${String(i % 10_000).padStart(4, "0")}`, firstName: "Ada" };
}

async function runRow(vendor, row) {
  const setup = SETUPS[vendor];
  const latency = { ...row.latency };
  if (row.capacity) latency.capacity = vendor === "amplemarket" ? 1 : 2;
  const capacityRate = latency.capacity ? (latency.capacity * 1000) / latency.fixedMs : Number.POSITIVE_INFINITY;
  const ceiling = Math.min(setup.ratePerS, capacityRate);
  // Enough batches for SECONDS at the ceiling; without a ceiling (NLPearl), a fixed count.
  const batches = Number.isFinite(ceiling) ? Math.ceil(ceiling * SECONDS) : 100 * SECONDS;
  const sim = await startSim({
    vendor,
    seed: 12,
    latency,
    rateLimits: row.unpaced ? { windows: [] } : setup.windows ? { windows: setup.windows } : undefined,
  });
  const credentials = {
    instantly: { apiKey: "sim-instantly-api-key" },
    amplemarket: { apiKey: "sim-amplemarket-api-key" },
    nlpearl: { accountId: "sim-account", secretKey: "sim-secret-key" },
  }[vendor];
  const bridge = createLeadBridge({
    [vendor]: {
      ...credentials,
      baseUrl: sim.url,
      ...(row.unpaced ? { rateLimit: false } : setup.windows ? { rateLimit: setup.windows } : {}),
    },
  });
  let destination;
  if (vendor === "instantly") destination = { vendor, campaignId: (await sim.control("POST", "/campaigns", {})).id };
  else if (vendor === "amplemarket")
    destination = { vendor, listId: (await sim.control("POST", "/lists", { type: "email" })).id, type: "email" };
  else destination = { vendor, pearlId: "bench-pearl" };

  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 50);
  const started = performance.now();
  const report = await bridge.addLeads(destination, leads(batches * BATCH), { batchSize: BATCH, keepResults: false });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const stats = await sim.control("GET", "/stats");
  await sim.close();
  const rate = stats.requests / seconds;
  return {
    vendor,
    latency: row.label,
    ceiling: Number.isFinite(ceiling) ? Number(ceiling.toFixed(2)) : "none",
    "req/s": Number(rate.toFixed(2)),
    share: Number.isFinite(ceiling)
      ? `${((idealSeconds(stats.requests, setup.enforced, latency.capacity, latency.fixedMs) / seconds) * 100).toFixed(0)}%`
      : "—",
    "429s": stats.responsesByStatus[429] ?? 0,
    "peak in flight": stats.peakInFlight,
    "heap growth MB": Number(((heapPeak - heapBefore) / 2 ** 20).toFixed(1)),
    seconds: Number(seconds.toFixed(1)),
    added: report.counts.added ?? 0,
  };
}

const results = [];
console.log(
  `pacing bench: default options, batch ${BATCH}, ~${SECONDS} s a row, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const ONLY = process.env.ROWS?.split(",");
for (const vendor of VENDORS) {
  console.log(`${vendor}: rate limit ${SETUPS[vendor].note}`);
  for (const row of ROWS) {
    if (row.unpaced && vendor !== "instantly") continue;
    if (ONLY && !ONLY.includes(row.label)) continue;
    const result = await runRow(vendor, row);
    results.push(result);
    console.log(JSON.stringify(result));
  }
}
console.table(results);
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
