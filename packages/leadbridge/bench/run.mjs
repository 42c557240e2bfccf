// LeadBridge benchmark, one run on loopback (a measurement, not a test):
//   1. wall time: the facade importing 1,000,000 leads into a fast sink, against a hand-written loop
//      that chunks the same leads and posts them with plain fetch (same batch size and concurrency);
//   2. client CPU per lead: the facade against the hand-written loop (the goal) and JSON.stringify alone;
//   3. peak RSS for a streamed 1,000,000-lead input (in a fresh child process).
// Run: pnpm --filter leadbridge bench
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createLeadBridge } from "../dist/index.js";

const N = 1_000_000;
const BATCH = 10_000;
const CONCURRENCY = 4;
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

function lead(i) {
  return {
    email: `lead${i}@example.com`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    companyName: `Company ${i % 997}`,
    jobTitle: "Head of Growth",
  };
}
/** The Amplemarket body a careful hand-written loop would send for one lead. */
function mapByHand(l) {
  return { email: l.email, title: l.jobTitle, company_name: l.companyName };
}
async function* streamed(n) {
  for (let i = 0; i < n; i++) yield lead(i);
}

async function startSink() {
  const child = fork(here("./sink.mjs"), { stdio: "inherit" });
  const { port } = await new Promise((resolve) => child.once("message", resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => child.send("close") };
}

const cpuMs = (start) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
};

async function handLoop(url, leads) {
  let next = 0;
  async function worker() {
    while (next < leads.length) {
      const from = next;
      next += BATCH;
      const chunk = leads.slice(from, from + BATCH).map(mapByHand);
      const response = await fetch(`${url}/lead-lists/list-1/leads`, {
        method: "POST",
        headers: { authorization: "Bearer bench-key", "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ type: "email", leads: chunk }),
      });
      if (response.status !== 202) throw new Error(`sink answered ${response.status}`);
      await response.json();
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function facade(url, leads, extra = {}) {
  const bridge = createLeadBridge({ amplemarket: { apiKey: "bench-key", baseUrl: url } });
  return bridge.addLeads({ vendor: "amplemarket", listId: "list-1", type: "email" }, leads, {
    batchSize: BATCH,
    concurrency: CONCURRENCY,
    ...extra,
  });
}

async function timed(fn) {
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = await fn();
  return { ms: performance.now() - t, cpuMs: cpuMs(cpu), result };
}

async function memoryChild() {
  const sink = await startSink();
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const report = await facade(sink.url, streamed(N), { keepResults: false });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  sink.close();
  process.send({ peakRssMb: peak / 2 ** 20, added: report.counts.added });
}

async function main() {
  const sink = await startSink();
  const leads = Array.from({ length: N }, (_, i) => lead(i));
  // Warm both paths (JIT, connections) on a slice before measuring.
  await handLoop(sink.url, leads.slice(0, 50_000));
  await facade(sink.url, leads.slice(0, 50_000));

  const hand = await timed(() => handLoop(sink.url, leads));
  const lb = await timed(() => facade(sink.url, leads));
  if (lb.result.counts.added !== N) throw new Error(`facade added ${lb.result.counts.added} of ${N}`);
  // report.results is built when first read: its cost, for a caller that reads it.
  const read = await timed(() => lb.result.results.length);
  if (read.result !== N) throw new Error(`report.results holds ${read.result} of ${N}`);
  const stringify = await timed(() => {
    for (let i = 0; i < N; i += BATCH)
      JSON.stringify({ type: "email", leads: leads.slice(i, i + BATCH).map(mapByHand) });
  });
  sink.close();

  const child = fork(fileURLToPath(import.meta.url), ["--memory"], {
    execArgv: ["--expose-gc"],
    stdio: ["inherit", "inherit", "inherit", "ipc"],
  });
  const memory = await new Promise((resolve) => child.once("message", resolve));

  const us = (ms) => ((ms * 1000) / N).toFixed(2);
  console.log(
    `leadbridge bench: ${N.toLocaleString("en")} leads, Amplemarket-shaped sink, batch ${BATCH}, concurrency ${CONCURRENCY}, Node ${process.version}`,
  );
  console.table({
    "hand-written fetch loop": {
      "wall ms": Math.round(hand.ms),
      "client CPU ms": Math.round(hand.cpuMs),
      "CPU µs/lead": us(hand.cpuMs),
    },
    "leadbridge addLeads": {
      "wall ms": Math.round(lb.ms),
      "client CPU ms": Math.round(lb.cpuMs),
      "CPU µs/lead": us(lb.cpuMs),
    },
    "JSON.stringify only": {
      "wall ms": Math.round(stringify.ms),
      "client CPU ms": Math.round(stringify.cpuMs),
      "CPU µs/lead": us(stringify.cpuMs),
    },
  });
  console.log(`reading report.results (built on first read): ${us(read.cpuMs)} µs of CPU a lead`);
  console.log(`wall time ratio (leadbridge / hand loop): ${(lb.ms / hand.ms).toFixed(2)}x   goal <= 1.15x`);
  console.log(`client CPU ratio (leadbridge / hand loop): ${(lb.cpuMs / hand.cpuMs).toFixed(2)}x   goal <= 1.5x`);
  console.log(`client CPU ratio (leadbridge / JSON.stringify): ${(lb.cpuMs / stringify.cpuMs).toFixed(2)}x`);
  console.log(
    `peak RSS, streamed 1,000,000-lead input (keepResults: false): ${memory.peakRssMb.toFixed(0)} MB   goal <= 150 MB`,
  );
}

if (process.argv.includes("--memory")) await memoryChild();
else await main();
