// Every lead exactly once, and told truly, on the stop, resume and failure paths (issue 17).
// The built CLI as a child process, against simulators running in this test process.
import { spawn } from "node:child_process";
import { existsSync, lstatSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BIN, cleanEnv, journalRecords, readCsv, run, tempDir, waitUntil } from "./helpers.js";
import { keyOf, leadEmail, leadPhone, leadsCsv, type VendorUnderTest, vendorUnderTest } from "./vendors.js";

const tmp = tempDir();
afterAll(() => tmp.remove());
let current: VendorUnderTest | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});
async function start(...args: Parameters<typeof vendorUnderTest>) {
  current = await vendorUnderTest(...args);
  return current;
}
const slow = [{ kind: "delay" as const, probability: 1, delayMs: 100 }];
const settledRows = (journal: string) =>
  journalRecords(journal)
    .flatMap((r) => r.rows ?? [])
    .reduce((n, [a, z]) => n + z - a + 1, 0);
const dupes = (keys: string[]) => keys.length - new Set(keys).size;

function spawnCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exit, output: () => ({ stdout, stderr }) };
}

describe("an input that breaks mid-stream (item 2)", () => {
  it.each([
    ["nul", `lead2500@example.com,${leadPhone(2500)},A\u0000B,Last,Co`, "NUL byte on line 2502"],
    ["utf8", `lead2500@example.com,${leadPhone(2500)},A\u00ffB,Last,Co`, "invalid byte sequence on line 2502"],
    ["quote", `lead2500@example.com,${leadPhone(2500)},"A,Last,Co`, "the last complete row ended on line 2501"],
  ])(
    "%s: settles the batches in flight, journals them, names the cause and the line, exits 2",
    async (name, line, cause) => {
      const v = await start("instantly");
      const file = tmp.path(`${name}.csv`);
      leadsCsv(file, 3000, { 2500: line });
      // Latin-1, not UTF-8: a lone 0xff byte.
      if (name === "utf8") writeFileSync(file, Buffer.from(readFileSync(file, "utf8"), "latin1"));
      expect(statSync(file).size).toBeGreaterThan(100_000); // past the first 64 KB chunk
      const report = tmp.path(`${name}-report.csv`);
      const r = await run(["import", file, ...v.flags, "--report", report, "--batch-size", "100", "--json"], {
        env: v.env,
      });
      expect(r.code).toBe(2);
      expect(r.stderr + r.stdout).not.toContain("ReportInvariantError");
      const summary = JSON.parse(r.stdout);
      expect(summary.error).toContain(cause);
      expect(summary.complete).toBe(false);
      // What was never read is said, not left out (a quote left open is found only at the end of the file).
      if (name !== "quote") {
        expect(summary.warnings.join(" ")).toMatch(/The rest of .*\.csv \([\d,]+ bytes after the error\) was not read/);
      }
      // Every lead read is accounted for: the stored ones as added, the rest failed; none twice.
      const stored = v.stored();
      expect(dupes(stored)).toBe(0);
      expect(summary.counts.added).toBe(stored.length);
      expect(summary.counts.added + summary.counts.failed).toBe(summary.total);
      // The journal has every stored row: a resume would not send them again.
      expect(settledRows(tmp.path(`${name}-report.journal.jsonl`))).toBe(stored.length);
    },
  );
});

describe("the journal", () => {
  it("a torn last line costs only that line: the resumed run cuts it off before appending (item 3)", async () => {
    const v = await start("nlpearl", slow);
    const file = tmp.path("torn.csv");
    leadsCsv(file, 100);
    const journal = tmp.path("torn.journal.jsonl");
    const args = ["import", file, ...v.flags, "--journal", journal, "--batch-size", "10", "--concurrency", "1"];
    const first = spawnCli(args, v.env);
    await waitUntil("three batches settled", () => settledRows(journal) >= 30);
    first.child.kill("SIGINT");
    expect(await first.exit).toBe(130);
    // As if killed while writing its last line: half of it is on disk.
    const text = readFileSync(journal, "utf8");
    const lastLine = text.slice(text.lastIndexOf("\n", text.length - 2) + 1);
    writeFileSync(journal, text.slice(0, text.length - Math.ceil(lastLine.length / 2)));
    const second = JSON.parse((await run([...args, "--json"], { env: v.env })).stdout);
    const third = JSON.parse((await run([...args, "--json"], { env: v.env })).stdout);
    // A phone number stored twice is a second phone call: none is.
    expect(dupes(v.stored())).toBe(0);
    expect(v.stored()).toHaveLength(100);
    // Only the torn line's rows are in doubt (reported unknown, not resent); the third run sends nothing.
    expect(second.counts.unknown).toBeLessThanOrEqual(10);
    expect(third.counts).toEqual(second.counts);
    expect(third.resumed).toBe(100);
  });

  it("is locked: a second run on the same journal is refused with exit 2 (item 4)", async () => {
    const v = await start("instantly", slow);
    const file = tmp.path("lock.csv");
    leadsCsv(file, 300);
    const journal = tmp.path("lock.journal.jsonl");
    const args = ["import", file, ...v.flags, "--journal", journal, "--batch-size", "10", "--concurrency", "1"];
    const first = spawnCli(args, v.env);
    await waitUntil("the first run is sending", () => v.sim.store.stats().requests >= 1);
    const second = await run(args, { env: v.env });
    first.child.kill("SIGKILL");
    await first.exit;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/Another leadbridge import \(pid \d+\) is using the journal/);
    // The killed run's lock is stale: the next run takes it over and finishes.
    const third = await run([...args, "--json"], { env: v.env });
    expect(third.code).toBe(0);
    expect(dupes(v.stored())).toBe(0);
    expect(v.stored()).toHaveLength(300);
  });

  it("standard input is not resumed from another input's journal without --resume-stdin (item 5)", async () => {
    const v = await start("nlpearl");
    const journal = tmp.path("stdin.journal.jsonl");
    const a = tmp.path("a.csv");
    const b = tmp.path("b.csv");
    leadsCsv(a, 50);
    writeFileSync(
      b,
      ["email,phone,first name", ...Array.from({ length: 50 }, (_, i) => `b${i}@x.com,${leadPhone(500 + i)},B`)].join(
        "\n",
      ),
    );
    const args = ["import", "-", ...v.flags, "--journal", journal];
    expect((await run(args, { env: v.env, input: readFileSync(a) })).code).toBe(0);
    const second = await run(args, { env: v.env, input: readFileSync(b) });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("--resume-stdin");
    // Nothing of b was skipped as "already sent": nothing of it was sent at all, and it can still be.
    expect(v.stored()).toHaveLength(50);
    const third = await run([...args, "--no-resume"], { env: v.env, input: readFileSync(b) });
    expect(third.code).toBe(0);
    expect(v.stored()).toHaveLength(100);
  });

  it("another import's journal at the same path is left alone, and the run refused (item 7)", async () => {
    const v = await start("instantly");
    const file = tmp.path("seven.csv");
    leadsCsv(file, 30);
    const report = tmp.path("seven.csv.report.csv");
    const journal = tmp.path("seven.csv.report.journal.jsonl");
    const args = ["import", file, ...v.flags, "--report", report];
    // A journal mid-import: every row sent but the last batch's answers.
    expect((await run([...args, "--batch-size", "10"], { env: v.env })).code).toBe(0);
    const before = readFileSync(journal);
    const typo = await run([...args, "--base-url", "http://127.0.0.1:9"], { env: v.env });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("belongs to another import");
    expect(readFileSync(journal)).toEqual(before);
    // A sandbox run sharing the report path keeps no journal: the real one is untouched.
    const sandbox = await run(["import", file, ...v.flags.slice(0, 4), "--sandbox", "--report", report]);
    expect(sandbox.code).toBe(0);
    expect(readFileSync(journal)).toEqual(before);
  });

  it("SIGKILL while a batch is at NLPearl: the resume reports it unknown, never calls a lead twice (item 8)", async () => {
    const v = await start("nlpearl", slow);
    const file = tmp.path("kill.csv");
    leadsCsv(file, 100);
    const journal = tmp.path("kill.journal.jsonl");
    const report = tmp.path("kill-report.csv");
    const args = ["import", file, ...v.flags, "--journal", journal, "--report", report, "--batch-size", "10"];
    const first = spawnCli([...args, "--concurrency", "1"], v.env);
    // Kill once a batch is at the vendor after two settled ones: its request received, its answer not journaled.
    await waitUntil("a batch is at the vendor after two settled", () => {
      const settled = settledRows(journal);
      return settled >= 20 && v.sim.store.stats().requests * 10 > settled;
    });
    first.child.kill("SIGKILL");
    await first.exit;
    const sent = v.sim.store.stats().requests * 10;
    // The simulator processes a request whose client died: the in-flight batch ends up stored.
    await waitUntil("the in-flight batch is stored", () => v.stored().length === sent);
    const again = await run([...args, "--json"], { env: v.env });
    const summary = JSON.parse(again.stdout);
    expect(dupes(v.stored())).toBe(0);
    expect(v.stored()).toHaveLength(100);
    expect(summary.counts.unknown).toBe(10);
    expect(summary.counts.added).toBe(90);
    expect(summary.warnings.join(" ")).toContain("--resend-unknown");
    const unknown = readCsv(readFileSync(report, "utf8")).filter((row) => row.outcome === "unknown");
    expect(unknown).toHaveLength(10);
    expect(unknown[0]!.reason).toContain("does not deduplicate");
    expect(again.code).toBe(1);
  });

  it("a repeat after the stop point is still a duplicate on resume (item 9)", async () => {
    const v = await start("nlpearl", slow);
    const file = tmp.path("nine.csv");
    // Lead 80 repeats lead 3's phone.
    leadsCsv(file, 100, { 80: `other@example.com,${leadPhone(3)},Again,Repeat,Co` });
    const journal = tmp.path("nine.journal.jsonl");
    const args = ["import", file, ...v.flags, "--journal", journal, "--batch-size", "10", "--concurrency", "1"];
    const first = spawnCli(args, v.env);
    await waitUntil("two batches settled", () => settledRows(journal) >= 20);
    first.child.kill("SIGINT");
    expect(await first.exit).toBe(130);
    const again = await run([...args, "--json"], { env: v.env });
    expect(dupes(v.stored())).toBe(0);
    expect(JSON.parse(again.stdout).counts).toMatchObject({ added: 99, duplicate: 1 });
  });
});

describe("output files", () => {
  it("--report or --journal naming the input is refused before anything is read or written (item 6)", async () => {
    const file = tmp.path("six.csv");
    leadsCsv(file, 20);
    const before = readFileSync(file);
    for (const flag of ["--report", "--journal"]) {
      const r = await run(["import", file, "--to", "nlpearl", "--pearl", "p1", flag, file], {
        env: { NLPEARL_ACCOUNT_ID: "acct-1234", NLPEARL_SECRET_KEY: "secret-1234" },
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("is the input file");
      expect(readFileSync(file)).toEqual(before);
    }
  });

  it("new files are 0600; a symlink or a file LeadBridge did not write is refused unless --force (item 12)", async () => {
    const file = tmp.path("twelve.csv");
    leadsCsv(file, 5, { 2: "not-an-email,,X,Y,Z" });
    const report = tmp.path("twelve-report.csv");
    const base = ["import", file, "--to", "instantly", "--campaign", "019e0e3e-b690-71a9-b399-fbf49894dded"];
    expect((await run([...base, "--sandbox", "--report", report])).code).toBe(1);
    expect(statSync(report).mode & 0o777).toBe(0o600);
    // Its own report is overwritten by the next run.
    expect((await run([...base, "--sandbox", "--report", report])).code).toBe(1);

    const notes = tmp.path("notes.csv");
    writeFileSync(notes, "my precious notes\n");
    const refused = await run([...base, "--sandbox", "--report", notes]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("was not written by LeadBridge");
    expect(readFileSync(notes, "utf8")).toBe("my precious notes\n");
    expect((await run([...base, "--sandbox", "--report", notes, "--force"])).code).toBe(1);
    expect(readFileSync(notes, "utf8")).toMatch(/^row,outcome,reason/);

    const link = tmp.path("link.csv");
    symlinkSync(tmp.path("elsewhere.csv"), link);
    const linked = await run([...base, "--sandbox", "--report", link]);
    expect(linked.code).toBe(2);
    expect(linked.stderr).toContain("symbolic link");
    expect(existsSync(tmp.path("elsewhere.csv"))).toBe(false);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it("a report that cannot be written stops the import with a clear message and exit 2 (item 10)", async () => {
    const v = await start("instantly");
    const file = tmp.path("ten.csv");
    const wide = "x".repeat(1000);
    leadsCsv(file, 3000, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [i * 10, `bad${i},,${wide},B,C`])));
    const report = tmp.path("ten-report.csv");
    const journal = tmp.path("ten.jsonl");
    // A file-size limit of 64 KiB: the report (about 300 KB) hits it, the journal (a few KB) does not. Node
    // ignores SIGXFSZ, so the write fails with EFBIG as on a full disk.
    const child = spawn(
      "sh",
      [
        "-c",
        'ulimit -f 128 && exec "$0" "$@"',
        process.execPath,
        BIN,
        "import",
        file,
        ...v.flags,
        "--report",
        report,
        "--journal",
        journal,
      ],
      { env: cleanEnv(v.env), stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (out += d));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(out).toContain(`Cannot write the report ${report}`);
    expect(out).not.toMatch(/Unhandled|Unexpected error|\n\s+at /);
    expect(code).toBe(2);
    // The journal is intact up to the failure: every stored lead is in it.
    expect(settledRows(journal)).toBeGreaterThanOrEqual(v.stored().length);
  });

  it("a journal path that is a directory is refused before anything is sent (item 10)", async () => {
    const v = await start("instantly");
    const file = tmp.path("tend.csv");
    leadsCsv(file, 20);
    const r = await run(["import", file, ...v.flags, "--journal", tmp.dir], { env: v.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is a directory");
    expect(v.stored()).toHaveLength(0);
  });
});

describe("stopping and options", () => {
  it("a stopped import counts and reports the rows it never read (item 14)", async () => {
    const v = await start("instantly", slow);
    const file = tmp.path("fourteen.csv");
    leadsCsv(file, 500);
    const report = tmp.path("fourteen-report.csv");
    const args = ["import", file, ...v.flags, "--report", report, "--batch-size", "10", "--concurrency", "1", "--json"];
    const first = spawnCli(args, v.env);
    await waitUntil("a batch settled", () => settledRows(tmp.path("fourteen-report.journal.jsonl")) >= 10);
    first.child.kill("SIGINT");
    expect(await first.exit).toBe(130);
    const summary = JSON.parse(first.output().stdout);
    expect(summary.total).toBe(500);
    expect(summary.counts.added + summary.counts.failed).toBe(500);
    expect(summary.counts.added).toBe(v.stored().length);
    expect(summary.notRead).toBeGreaterThan(0);
    expect(readCsv(readFileSync(report, "utf8"))).toHaveLength(500 - summary.counts.added);
  });

  it("a file that shrinks while it is read says so, and does not claim to be complete (item 14)", async () => {
    const v = await start("instantly", slow);
    const file = tmp.path("shrinks.csv");
    leadsCsv(file, 20_000);
    const journal = tmp.path("shrinks.jsonl");
    const args = ["import", file, ...v.flags, "--journal", journal, "--batch-size", "100", "--json"];
    const child = spawnCli(args, v.env);
    await waitUntil("the first batch is at the vendor", () => v.sim.store.stats().requests >= 1);
    truncateSync(file, 50_000);
    expect(await child.exit).toBe(1);
    const summary = JSON.parse(child.output().stdout);
    expect(summary.complete).toBe(false);
    expect(summary.warnings.join(" ")).toContain("changed while it was read");
  });

  it("--max-attempts sets the attempts per batch through a storm", async () => {
    const v = await start("instantly", [{ kind: "503", probability: 1 }]);
    const file = tmp.path("attempts.csv");
    leadsCsv(file, 5);
    const r = await run(["import", file, ...v.flags, "--max-attempts", "2", "--no-resume", "--json"], { env: v.env });
    expect(r.code).toBe(1);
    expect(v.sim.store.stats().requests).toBe(2);
  });

  it("a bad --base-url, --concurrency or --max-attempts is exit 2, before any file is touched (items 15, 18)", async () => {
    const file = tmp.path("fifteen.csv");
    leadsCsv(file, 5);
    const report = tmp.path("fifteen-report.csv");
    writeFileSync(report, "row,outcome,reason\n2,failed,kept\n");
    const env = { INSTANTLY_API_KEY: "k-123456" };
    const base = ["import", file, "--to", "instantly", "--campaign", "019e0e3e-b690-71a9-b399-fbf49894dded"];
    for (const [bad, message] of [
      [["--base-url", "http://example.com"], "--base-url"],
      [["--base-url", "not a url"], "--base-url"],
      [["--concurrency", "257"], "--concurrency 257: use a whole number from 1 to 256"],
      [["--concurrency", "200000000"], "--concurrency 200000000"],
      [["--max-attempts", "1000"], "--max-attempts 1000"],
    ] as const) {
      const r = await run([...base, ...bad, "--report", report], { env });
      expect(r.code, bad.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain("Unexpected error");
      expect(readFileSync(report, "utf8")).toBe("row,outcome,reason\n2,failed,kept\n");
    }
  });
});

describe("what is read and what is written", () => {
  const sandbox = (file: string, ...more: string[]) => [
    "import",
    file,
    "--to",
    "instantly",
    "--campaign",
    "019e0e3e-b690-71a9-b399-fbf49894dded",
    "--sandbox",
    ...more,
  ];

  it("report cells that a spreadsheet would run as formulas are escaped (item 11)", async () => {
    const file = tmp.path("eleven.csv");
    writeFileSync(
      file,
      'email,first name,last name,note\n,"=HYPERLINK(""http://x"",""y"")",+cmd|\' /C calc\'!A0,@SUM(1+1)\nok@example.com,A,B,-2+3\n',
    );
    const report = tmp.path("eleven-report.csv");
    await run(sandbox(file, "--report", report));
    const [row] = readCsv(readFileSync(report, "utf8"));
    expect(row!["first name"]).toBe(`'=HYPERLINK("http://x","y")`);
    expect(row!["last name"]).toBe("'+cmd|' /C calc'!A0");
    expect(row!.note).toBe("'@SUM(1+1)");
  });

  it("a CSV without a header row is refused with a hint (item 19)", async () => {
    const file = tmp.path("nineteen.csv");
    writeFileSync(file, "jane@example.com,Jane,Doe\njohn@example.com,John,Roe\n");
    const r = await run(sandbox(file));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("looks like a lead, not a header row");
    expect(r.stderr).toContain("Add a header line");
  });

  it("__proto__ and constructor columns are data; the JSONL report keeps numbers as written (item 20)", async () => {
    const csv = tmp.path("twenty.csv");
    // The row is short: constructor and toString have no value in it.
    writeFileSync(csv, "email,__proto__,constructor,toString\n,x\n");
    const report = tmp.path("twenty-report.csv");
    await run(sandbox(csv, "--report", report));
    const [row] = readCsv(readFileSync(report, "utf8"));
    expect(row).toMatchObject({ constructor: "", toString: "", __proto__: "x" });
    expect(readFileSync(report, "utf8")).not.toContain("native code");

    const jsonl = tmp.path("twenty.jsonl");
    writeFileSync(jsonl, '{"email":"","big":12345678901234567890123,"inf":1e999,"__proto__":{"a":1}}\n');
    const jsonlReport = tmp.path("twenty-report.jsonl");
    await run(sandbox(jsonl, "--report", jsonlReport));
    const line = readFileSync(jsonlReport, "utf8");
    expect(line).toContain('"big":12345678901234567890123');
    expect(line).toContain('"inf":1e999');
    expect(line).toContain('"__proto__":{"a":1}');
  });

  it("a FIFO is read, not judged empty (item 21)", async () => {
    const fifo = tmp.path("fifo.csv");
    const { execFileSync } = await import("node:child_process");
    execFileSync("mkfifo", [fifo]);
    const child = spawnCli(sandbox(fifo, "--json"), {});
    // The writer is a child process: a FIFO nobody reads would block this one.
    const writer = spawn("sh", [
      "-c",
      'printf "email,first name\\n$1,A\\n$2,B\\n" > "$0"',
      fifo,
      leadEmail(1),
      leadEmail(2),
    ]);
    const code = await child.exit;
    writer.kill();
    expect(code).toBe(0);
    expect(JSON.parse(child.output().stdout).counts.added).toBe(2);
  });

  it("a 10,000-column header is summarised, not printed whole (item 23)", async () => {
    const file = tmp.path("wide.csv");
    const columns = Array.from({ length: 10_000 }, (_, i) => `custom field ${i}`);
    writeFileSync(file, `email,${columns.join(",")}\n${leadEmail(1)},${columns.map(() => "v").join(",")}\n`);
    const r = await run(sandbox(file));
    const line = r.stderr.split("\n").find((l) => l.startsWith("Custom fields:"))!;
    expect(line.length).toBeLessThan(1000);
    expect(line).toContain("… and 9,980 more (10,000 in all)");
  });
});

export { keyOf };
