// Peak memory of `leadbridge import` on a 1,000,000-row CSV. Not a test: it prints the figure.
//
//   pnpm --filter @leadbridge/cli bench            (ROWS=200000 for a quicker run)
//   pnpm --filter @leadbridge/cli bench --no-check-duplicates    (extra arguments go to `leadbridge import`)
//
// The CLI imports into a loopback sink that answers like Instantly (every lead added), in this
// process, so that the CLI's own memory is measured, not a simulator's store of a million leads.
// Peak RSS is the kernel's high-water mark (VmHWM) of the CLI process, polled until it exits.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const LIMIT_MB = 200;
const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "leadbridge-bench-"));
const csv = join(dir, "leads.csv");

try {
  // 1. The input: realistic rows, a few custom columns.
  const out = createWriteStream(csv);
  out.write("First Name,Last Name,Email,Phone Number,Company,Job Title,Time Zone,Lead Source,Notes\n");
  for (let i = 0; i < ROWS; i++) {
    const line = `Ann${i},Example,ann.${i}@example-${i % 997}.com,+1 415 555 ${String(i % 10000).padStart(4, "0")},Company ${i % 5000},Head of Growth,America/Los_Angeles,Webinar,"Met at booth, follow up"\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
  const size = statSync(csv).size;

  // 2. The sink: Instantly's answer for a batch where every lead is created.
  let received = 0;
  const sink = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const n = JSON.parse(Buffer.concat(chunks).toString()).leads.length;
      received += n;
      const created = Array.from({ length: n }, (_, index) => ({
        index,
        id: `00000000-0000-4000-8000-${String(received - n + index).padStart(12, "0")}`,
      }));
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          status: "success",
          total_sent: n,
          leads_uploaded: n,
          in_blocklist: 0,
          blocklist_used: null,
          duplicated_leads: 0,
          skipped_count: 0,
          invalid_email_count: 0,
          incomplete_count: 0,
          duplicate_email_count: 0,
          remaining_in_plan: null,
          created_leads: created,
        }),
      );
    });
  });
  sink.listen(0, "127.0.0.1");
  await once(sink, "listening");
  const url = `http://127.0.0.1:${sink.address().port}`;

  // 3. The import, as a user runs it (no progress output, a report file, a journal).
  const args = [
    bin,
    "import",
    csv,
    "--to",
    "instantly",
    "--campaign",
    "019e0e3e-b690-71a9-b399-fbf49894dded",
    "--report",
    join(dir, "report.csv"),
    "--quiet",
    ...process.argv.slice(2),
  ];
  const started = Date.now();
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), ...args], {
    env: { ...process.env, INSTANTLY_API_KEY: "bench-key", LEADBRIDGE_INSTANTLY_BASE_URL: url, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {}
  }, 50);
  const [code] = await once(child, "exit");
  clearInterval(poll);
  sink.close();

  const peakMb = peakKb / 1024;
  console.log(stdout.trim());
  console.log(
    `rows ${ROWS.toLocaleString("en-US")} (${(size / 1024 / 1024).toFixed(0)} MB), exit ${code}, ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
      `leads received by the sink ${received.toLocaleString("en-US")}, peak RSS ${peakMb.toFixed(0)} MB (limit ${LIMIT_MB} MB)`,
  );
  if (code !== 0 || received !== ROWS || peakMb > LIMIT_MB) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
