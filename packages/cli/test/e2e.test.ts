// The built CLI, run as a child process, the way users run it.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CAMPAIGN, importArgs, readCsv, run, SAMPLE, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

const sample = readFileSync(SAMPLE, "utf8");
const SAMPLE_ROWS = sample.trimEnd().split("\n").length - 1;

describe("sandbox import of examples/leads.csv", () => {
  it("imports, prints the summary, and writes a failure report of every row not added", async () => {
    const report = tmp.path("sandbox-report.csv");
    const r = await run(importArgs(SAMPLE, "--sandbox", "--report", report));
    expect(r.code).toBe(1); // the sample has deliberately bad rows
    expect(r.stderr).toMatch(
      /Sandbox: importing into a local Instantly simulator at http:\/\/127\.0\.0\.1:\d+ — nothing leaves this machine\./,
    );
    expect(r.stdout).toContain(`284 of ${SAMPLE_ROWS} leads added to Instantly campaign ${CAMPAIGN}`);
    expect(r.stdout).toMatch(/duplicate\s+6\n/);
    expect(r.stdout).toMatch(/invalid\s+10\n/);
    expect(r.stdout).toContain("the simulator stored 284 leads; nothing left this machine");
    // A campaign needs an email, not a phone: rows with a phone like "12345" go without it (issue 13 item 1).
    expect(r.stdout).toContain("Sent without an unusable field (6 rows; --strict makes them invalid instead):");

    const rows = readCsv(readFileSync(report, "utf8"));
    expect(rows).toHaveLength(16);
    const byRow = new Map(rows.map((row) => [Number(row.row), row]));
    // Row numbers are file lines (header = 1): row 14 is the 13th lead, whose email is blank.
    expect(byRow.get(14)).toMatchObject({
      outcome: "invalid",
      reason: "an Instantly campaign needs an email",
      Email: "",
    });
    expect(byRow.has(23)).toBe(false); // its phone "12345" was dropped; the row was added
    expect(r.stdout).toContain('e.g. phone "12345" is not a valid phone number; sent without it');
    expect(byRow.get(31)!.reason).toContain('email "maria.costa@" is not a valid email address');
    expect(byRow.get(54)).toMatchObject({ outcome: "duplicate", reason: "same email as row 5; not sent" });
    // The report keeps the input's columns, so the rows can be fixed and imported again.
    expect(Object.keys(rows[0]!)).toEqual(["row", "outcome", "reason", ...sample.split("\n")[0]!.split(",")]);
    for (const row of rows) expect(sample.split("\n")[Number(row.row) - 1]).toContain(row["Last Name"]);
  });

  it("a fixed report can be imported again: its row/outcome/reason columns are not sent", async () => {
    const report = tmp.path("again-report.csv");
    await run(importArgs(SAMPLE, "--sandbox", "--report", report));
    const fixed = tmp.path("fixed.csv");
    const lines = readFileSync(report, "utf8").split("\n");
    writeFileSync(
      fixed,
      lines
        .slice(0, 2)
        .join("\n")
        // The report escapes the phone (a leading + is a formula to a spreadsheet); re-imported, it is the phone again.
        .replace(/,,'\+33/, ",lea.novak@maisonverre.fr,'+33"),
    );
    const r = await run(importArgs(fixed, "--sandbox"));
    expect(r.stderr).toContain("This looks like a LeadBridge failure report");
    expect(r.stderr).toContain("Custom fields: Lead Source, Industry\n");
    expect(r.stdout).toContain("1 of 1 leads added");
    expect(r.code).toBe(0);
  });
});

describe("duplicate check", () => {
  const csv =
    "Email,First Name\nada@example.com,Ada\ngrace@example.com,Grace\nADA@example.com,Ada\ngrace@example.com,Grace\n";

  it("--no-check-duplicates sends repeats and lets the vendor answer for them", async () => {
    const file = tmp.path("repeats.csv");
    writeFileSync(file, csv);
    const report = tmp.path("repeats-report.csv");
    const r = await run(importArgs(file, "--sandbox", "--no-check-duplicates", "--report", report));
    expect(r.stdout).toMatch(/duplicate\s+2\n/);
    expect(r.stdout).toContain("the simulator stored 2 leads");
    expect(readCsv(readFileSync(report, "utf8")).map((row) => [row.row, row.reason])).toEqual([
      ["4", "already in this campaign"],
      ["5", "already in this campaign"],
    ]);
    expect(r.code).toBe(0);
  });

  it("--duplicate-keys bounds what the check remembers, and the summary warns about it", async () => {
    const file = tmp.path("repeats-bounded.csv");
    writeFileSync(file, csv);
    const report = tmp.path("bounded-report.csv");
    const r = await run(importArgs(file, "--sandbox", "--duplicate-keys", "1", "--report", report));
    // ada@ was remembered, so row 4 is caught here; grace@ was not, so Instantly answers for row 5.
    expect(readCsv(readFileSync(report, "utf8")).map((row) => [row.row, row.reason])).toEqual([
      ["4", "same email as row 2; not sent"],
      ["5", "already in this campaign"],
    ]);
    expect(r.stdout).toMatch(/Warning: the duplicate check was full: it remembers at most 1 keys/);
    expect(r.code).toBe(0);
  });
});

describe("dry run", () => {
  it("sends nothing, needs no credentials, and summarises what would be sent and what is invalid", async () => {
    const r = await run([
      "import",
      SAMPLE,
      "--to",
      "nlpearl",
      "--pearl",
      "pearl-1",
      "--dry-run",
      "--default-country",
      "US",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Dry run for NLPearl pearl pearl-1: nothing was sent.");
    expect(r.stdout).toMatch(/300 rows read; \d+ would be sent; \d+ would not\./);
    expect(r.stdout).toContain('timeZone "Mars/Olympus_Mons" is neither an IANA time zone nor a Windows time zone ID');
    expect(r.stdout).toContain("First lead, as mapped:");
  });

  it("--json gives the counts; a clean file exits 0", async () => {
    const file = tmp.path("clean.csv");
    writeFileSync(file, "E-mail,FirstName,Phone\nann@example.com,Ann,+1 415 555 0134\nbob@example.com,Bob,\n");
    const r = await run(["import", file, "--to", "instantly", "--list", CAMPAIGN, "--dry-run", "--json"]);
    expect(r.code).toBe(0);
    // Issue 13 item 7: the rows that would be sent are `wouldSend`, not `skipped` (was `counts: { skipped: 2 }`).
    expect(JSON.parse(r.stdout)).toMatchObject({
      dryRun: true,
      total: 2,
      wouldSend: 2,
      counts: { skipped: 0, invalid: 0 },
    });
  });
});

describe("standard input", () => {
  it("reads CSV from - and JSON Lines when the content says so", async () => {
    const csv = await run(importArgs("-", "--sandbox", "--quiet"), { input: sample });
    expect(csv.stdout).toContain(`${SAMPLE_ROWS} leads: 284 added, 6 duplicate, 10 invalid.`);
    expect(csv.stdout).toContain("(sandbox: nothing left this machine)");

    const jsonl = '{"email":"a@example.com","first_name":"Ann"}\n{"Email":"b@example.com","Company":"Acme"}\n';
    const r = await run(importArgs("-", "--sandbox", "--json"), { input: jsonl });
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 2, counts: { added: 2 }, stored: 2 });
    expect(r.code).toBe(0);
  });
});

describe("exit codes and messages", () => {
  it("2 with the missing environment variable named, and --sandbox suggested; no credential is printed", async () => {
    const r = await run(importArgs(SAMPLE));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Missing INSTANTLY_API_KEY. Set it, or try --sandbox to import into a local simulator.");
    const nl = await run(["import", SAMPLE, "--to", "nlpearl", "--pearl", "p"], {
      env: { NLPEARL_SECRET_KEY: "s3cret-value-xyz" },
    });
    expect(nl.code).toBe(2);
    expect(nl.stderr).toContain("Missing NLPEARL_ACCOUNT_ID.");
    expect(nl.stderr + nl.stdout).not.toContain("s3cret-value-xyz");
  });

  it("2 for usage errors that name the flag", async () => {
    const cases: Array<[string[], string]> = [
      [["import", SAMPLE, "--to", "instantly"], "Missing --campaign <id> or --list <id>."],
      [["import", SAMPLE, "--to", "amplemarket", "--list", "l1"], "Missing --type"],
      [
        ["import", SAMPLE, "--to", "instantly", "--campaign", "42", "--sandbox"],
        "--campaign 42: Instantly ids are UUIDs",
      ],
      [
        ["import", SAMPLE, "--to", "nlpearl", "--pearl", "p", "--campaign", CAMPAIGN],
        "--campaign does not apply to NLPearl",
      ],
      [
        [...importArgs(SAMPLE, "--sandbox", "--map", "email=Work Email")],
        '--map email=Work Email: there is no column "Work Email"',
      ],
      [[...importArgs(SAMPLE, "--sandbox", "--report", "out.txt")], "use .csv or .jsonl"],
      [["import", SAMPLE, "--to", "mailchimp"], "argument 'mailchimp' is invalid"],
      [["import", SAMPLE, "--frobnicate"], "unknown option '--frobnicate'"],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain(message);
    }
  });

  it("0 when every lead was added or was a duplicate", async () => {
    const file = tmp.path("dupes.csv");
    writeFileSync(file, "email\nann@example.com\nANN@example.com\nbob@example.com\n");
    const r = await run(importArgs(file, "--sandbox"));
    expect(r.stdout).toMatch(/added\s+2\n\s+duplicate\s+1\n/);
    expect(r.code).toBe(0);
  });

  it("--help for every command, and --version", async () => {
    for (const args of [["--help"], ["import", "--help"], ["mock", "--help"]]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Usage: leadbridge");
    }
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect((await run(["--version"])).stdout.trim()).toBe(pkg.version);
  });

  it("NO_COLOR: no escape sequences even when colour is forced otherwise", async () => {
    const r = await run(importArgs(SAMPLE, "--sandbox"), { env: { FORCE_COLOR: "1" } });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
    expect(r.stdout + r.stderr).not.toMatch(/\x1b\[/);
    const colored = await run(importArgs(SAMPLE, "--sandbox"), { env: { FORCE_COLOR: "1", NO_COLOR: "" } });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
    expect(colored.stdout).toMatch(/\x1b\[/);
  });
});

describe("bad input files: a clear error, exit 2, no crash", () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ["empty.csv", "", /empty\.csv is empty: there are no leads to import/],
    ["blank.csv", "\n  \n\n", /blank\.csv is empty/],
    [
      "header-only.csv",
      "Email,First Name,Phone\n",
      /has a header row \(3 columns: Email, First Name, Phone\) but no data rows/,
    ],
    [
      "garbage.csv",
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
      /looks like a binary file, not CSV or JSON Lines/,
    ],
    ["latin1.csv", Buffer.from("email,name\nj@example.com,Jos\xe9\n", "latin1"), /is not valid UTF-8 text/],
    [
      "semicolons.csv",
      "email;first name;phone\nann@example.com;Ann;+14155550134\n",
      /looks semicolon-separated.*\n.*Pass --delimiter ";"/,
    ],
    ["tabs.csv", "email\tfirst name\nann@example.com\tAnn\n", /looks tab-separated/],
    ["broken.jsonl", "[1,2,3]\n", /line 1 is not a JSON object, so this is not JSON Lines/],
  ];
  for (const [name, content, message] of cases) {
    it(name, async () => {
      const file = tmp.path(name);
      writeFileSync(file, content);
      const r = await run(importArgs(file, "--sandbox"));
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.code).toBe(2);
    });
  }

  it("a 50 MB single line", async () => {
    const file = tmp.path("one-line.csv");
    writeFileSync(file, "x".repeat(50 * 1024 * 1024));
    const r = await run(importArgs(file, "--sandbox"));
    expect(r.stderr).toContain("a row at line 1 is longer than 1 MB");
    expect(r.stderr).toContain("--max-row-size");
    expect(r.code).toBe(2);
  });

  it("a missing file", async () => {
    const r = await run(importArgs(tmp.path("nope.csv"), "--sandbox"));
    expect(r.stderr).toContain("No such file:");
    expect(r.code).toBe(2);
  });

  it("rows with more values than the header are reported as invalid, not fatal", async () => {
    const file = tmp.path("ragged.csv");
    const report = tmp.path("ragged.jsonl");
    writeFileSync(file, "email,name\na@example.com,Ann\nb@example.com,Bob,extra\nc@example.com\n");
    const r = await run(importArgs(file, "--sandbox", "--report", report));
    expect(r.code).toBe(1);
    const lines = readFileSync(report, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        row: 3,
        outcome: "invalid",
        reason: "row has 3 values but the header has 2 columns",
        record: { email: "b@example.com", name: "Bob" },
      },
    ]);
  });
});
