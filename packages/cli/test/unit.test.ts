import { readFileSync, writeFileSync } from "node:fs";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { type InputRow, openInput } from "../src/input/index.js";
import { encodeBatch, importFingerprint, Journal, load, RowSet } from "../src/journal.js";
import { createMapping, recognitionTable, splitName } from "../src/mapping.js";
import { estimate, Progress } from "../src/progress.js";
import { ReportWriter } from "../src/report.js";
import { RowNumbers } from "../src/row-numbers.js";
import { readCsv, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

async function rowsOf(text: string, options: { format?: "csv" | "jsonl"; delimiter?: string } = {}) {
  const input = await openInput({ path: "-", stdin: Readable.from([Buffer.from(text)]), ...options });
  const rows: InputRow[] = [];
  for await (const row of input.rows) rows.push(row);
  return { input, rows };
}

describe("mapping", () => {
  it("recognises common headers case-insensitively; the rest are custom fields", () => {
    const m = createMapping([
      "E-mail",
      "FIRST NAME",
      "surname",
      "Phone Number",
      "Company",
      "Title",
      "time_zone",
      "Notes",
    ]);
    expect(m.fields).toEqual({
      email: ["E-mail"],
      firstName: ["FIRST NAME"],
      lastName: ["surname"],
      phone: ["Phone Number"],
      companyName: ["Company"],
      jobTitle: ["Title"],
      timeZone: ["time_zone"],
    });
    expect(m.custom).toEqual(["Notes"]);
    expect(m.toLead({ "E-mail": "a@x.io", "FIRST NAME": "Ann", Notes: "vip", surname: "" })).toEqual({
      email: "a@x.io",
      firstName: "Ann",
      customFields: { Notes: "vip" },
    });
  });

  it("--map overrides recognition; 'field=' turns a field off; --no-custom-fields drops the rest", () => {
    const m = createMapping(["Email", "Work Email", "Phone", "Notes"], {
      map: ["email=work email", "phone="],
      customFields: false,
    });
    expect(m.fields).toEqual({ email: ["Work Email"] });
    expect(m.dropped).toEqual(["Email", "Phone", "Notes"]);
    expect(m.toLead({ Email: "old@x.io", "Work Email": "new@x.io", Phone: "+1", Notes: "n" })).toEqual({
      email: "new@x.io",
    });
  });

  it("names the bad --map entry", () => {
    expect(() => createMapping(["Email"], { map: ["email"] })).toThrow(/expected field=Column/);
    expect(() => createMapping(["Email"], { map: ["shoe=Email"] })).toThrow(/unknown field "shoe"/);
    expect(() => createMapping(["Email"], { map: ["email=Mail"] })).toThrow(UsageError);
  });

  it("the first of two look-alike columns wins, with a notice (fields that take no fallbacks)", () => {
    const m = createMapping(["Company", "Organization"]);
    expect(m.fields.companyName).toEqual(["Company"]);
    expect(m.custom).toEqual(["Organization"]);
    expect(m.notices[0]).toContain('"Company" and "Organization" both look like companyName');
  });

  it("recognised phone and email columns are fallbacks in header order: the first non-empty wins", () => {
    // Apollo's export shape.
    const m = createMapping(["Email", "Work Direct Phone", "Mobile Phone", "Corporate Phone", "Secondary Email"]);
    expect(m.fields).toEqual({
      email: ["Email", "Secondary Email"],
      phone: ["Work Direct Phone", "Mobile Phone", "Corporate Phone"],
    });
    expect(m.notices).toEqual([]);
    expect(m.toLead({ "Mobile Phone": "+1 415 555 0101", "Corporate Phone": "+1 415 555 0102" })).toEqual({
      phone: "+1 415 555 0101",
    });
    expect(m.toLead({ "Work Direct Phone": "", "Mobile Phone": "", "Corporate Phone": "+1 415 555 0102" })).toEqual({
      phone: "+1 415 555 0102",
    });
    expect(m.toLead({ Email: "", "Secondary Email": "b@x.io" })).toEqual({ email: "b@x.io" });
  });

  it("--map takes an ordered list of columns; a header with a comma is taken whole", () => {
    const m = createMapping(["Corporate Phone", "Mobile Phone", "Name, Full"], {
      map: ["phone=Mobile Phone, Corporate Phone", "fullName=name, full"],
    });
    expect(m.fields).toEqual({ phone: ["Mobile Phone", "Corporate Phone"], fullName: ["Name, Full"] });
    // The record's key order (the header's) does not matter: the list's order does.
    expect(m.toLead({ "Corporate Phone": "+2", "Mobile Phone": "+1" })).toEqual({ phone: "+1" });
    expect(m.toLead({ "Corporate Phone": "+2", "Mobile Phone": "" })).toEqual({ phone: "+2" });
    expect(() => createMapping(["A"], { map: ["phone=A,B"] })).toThrow(/no column "B"/);
    expect(() => createMapping(["A"], { map: ["phone=A", "email=A"] })).toThrow(/mapped to both phone and email/);
    // JSON Lines: the same, by key.
    const j = createMapping(undefined, { map: ["phone=mobile,corporate"] });
    expect(j.toLead({ corporate: "+2", mobile: "+1" })).toEqual({ phone: "+1" });
    expect(j.toLead({ corporate: "+2" })).toEqual({ phone: "+2" });
  });

  it("--map custom.<name> names a custom field, also under --no-custom-fields", () => {
    const m = createMapping(["Email", "Lifecycle Stage", "Notes"], {
      map: ["custom.lifecycle_stage=Lifecycle Stage"],
      customFields: false,
    });
    expect(m.fields).toEqual({ email: ["Email"], "custom.lifecycle_stage": ["Lifecycle Stage"] });
    expect(m.dropped).toEqual(["Notes"]);
    expect(m.toLead({ Email: "a@x.io", "Lifecycle Stage": "lead", Notes: "n" })).toEqual({
      email: "a@x.io",
      customFields: { lifecycle_stage: "lead" },
    });
    expect(m.toLead({ Email: "a@x.io", "Lifecycle Stage": "" })).toEqual({ email: "a@x.io" });
    expect(() => createMapping(["A"], { map: ["custom.=A"] })).toThrow(/name the custom field/);
    expect(() => createMapping(["A"], { map: ["custom.x="] })).toThrow(/name the column/);
  });

  it("splits a full name only when first and last name are absent", () => {
    const m = createMapping(["Name", "Email"]);
    expect(m.toLead({ Name: "Mary Ann Smith" })).toEqual({ firstName: "Mary Ann", lastName: "Smith" });
    expect(splitName("Cher")).toEqual({ firstName: "Cher" });
  });

  it("JSON Lines keys are resolved as they appear; values other than text become custom fields as they are", () => {
    const m = createMapping(undefined);
    expect(m.toLead({ email: "a@x.io", score: 3, vip: true, tags: ["a"] })).toEqual({
      email: "a@x.io",
      customFields: { score: 3, vip: true, tags: '["a"]' },
    });
    expect(m.toLead({ Email: "b@x.io" })).toEqual({ email: "b@x.io" });
  });

  it("the README's recognition table is the code's", () => {
    // Compared cell by cell: the formatter pads Markdown tables.
    const cells = (text: string) =>
      text.split("\n").map((line) =>
        line
          .split("|")
          .map((c) => c.trim().replace(/^-{3,}$/, "---"))
          .join("|"),
      );
    const readme = cells(readFileSync(new URL("../README.md", import.meta.url), "utf8")).join("\n");
    expect(readme).toContain(cells(recognitionTable()).join("\n"));
  });
});

describe("input readers", () => {
  it("CSV rows carry the file line they start on, across quoted newlines and blank lines", async () => {
    const { input, rows } = await rowsOf('email,note\na@x.io,"two\nlines"\n\nb@x.io,plain\n');
    expect(input.columns).toEqual(["email", "note"]);
    expect(rows.map((r) => [r.rowNumber, r.record.email])).toEqual([
      [2, "a@x.io"],
      [5, "b@x.io"],
    ]);
  });

  it("strips a BOM, names blank headers and suffixes duplicates", async () => {
    const { input } = await rowsOf("\uFEFFEmail,,email\na,b,c\n");
    expect(input.columns).toEqual(["Email", "column_2", "email_2"]);
    expect(input.notices[0]).toContain('repeats the name "email"');
  });

  it("sniffs JSON Lines; a bad line is one invalid row", async () => {
    const { input, rows } = await rowsOf('{"email":"a@x.io"}\n\nnope\n[1]\n{"email":"b@x.io"}');
    expect(input.format).toBe("jsonl");
    expect(rows.map((r) => [r.rowNumber, r.problem ?? r.record.email])).toEqual([
      [1, "a@x.io"],
      [3, expect.stringContaining("not valid JSON")],
      [4, "not a JSON object"],
      [5, "b@x.io"],
    ]);
  });

  it("a wrong --delimiter names the right one", async () => {
    await expect(rowsOf("email,name\na,b\n", { delimiter: ";" })).rejects.toThrow(/comma-separated/);
  });

  it("reads a file from disk with its size, for the ETA", async () => {
    const { writeFileSync } = await import("node:fs");
    const file = tmp.path("s.csv");
    writeFileSync(file, "email\na@x.io\n");
    const input = await openInput({ path: file });
    expect(input.size).toBe(13);
    input.close();
  });
});

describe("row numbers", () => {
  it("gives back every lead's row, however the rows jump, while keeping only where the distance changes", () => {
    const rows = new RowNumbers();
    const expected: number[] = [];
    let row = 1; // the header
    let seed = 7;
    for (let i = 0; i < 50_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      // Mostly the next line; now and then a skipped row, a multi-line record, or a long resumed stretch.
      const r = seed % 1000;
      row += r < 950 ? 1 : r < 990 ? 2 + (r % 3) : 1 + (seed % 5000);
      rows.push(row);
      expected.push(row);
    }
    expected.forEach((want, index) => {
      if (rows.rowOf(index) !== want) throw new Error(`lead ${index}: row ${rows.rowOf(index)}, expected ${want}`);
    });
    expect([-1, 1.5, expected.length, Number.NaN].map((i) => rows.rowOf(i))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // About one run per irregular row (5% here), not one entry per lead.
    const runs = (rows as unknown as { runs: number }).runs;
    expect(runs).toBeGreaterThan(1000);
    expect(runs).toBeLessThan(expected.length / 10);
  });

  it("a file without irregular rows is one run", () => {
    const rows = new RowNumbers();
    for (let i = 0; i < 100_000; i++) rows.push(i + 2);
    expect(rows.rowOf(0)).toBe(2);
    expect(rows.rowOf(99_999)).toBe(100_001);
    expect((rows as unknown as { runs: number }).runs).toBe(1);
  });
});

describe("journal", () => {
  it("round-trips batches; a torn last line is ignored", async () => {
    const path = tmp.path("j.jsonl");
    const { journal } = Journal.open(path, { fingerprint: "f1", input: "x", destination: "d" });
    journal.add({ rowNumber: 2, outcome: "added" });
    journal.add({ rowNumber: 3, outcome: "invalid", reason: "no email" });
    journal.add({ rowNumber: 4, outcome: "failed", reason: "aborted" }); // never journaled: it is sent again
    journal.add({ rowNumber: 6, outcome: "added" });
    journal.close();
    const { appendFileSync } = await import("node:fs");
    appendFileSync(path, '{"rows":[[7,');
    const loaded = load(readFileSync(path, "utf8"));
    expect(loaded.header.fingerprint).toBe("f1");
    expect([2, 3, 4, 5, 6, 7].map((r) => loaded.resume.rows.has(r))).toEqual([true, true, false, false, true, false]);
    expect(loaded.resume.notAdded.get(3)).toEqual({ outcome: "invalid", reason: "no email" });

    expect(loaded.resume.torn).toBe(true);
    const again = Journal.open(path, { fingerprint: "f1", input: "x", destination: "d" });
    expect(again.result.state).toBe("resumed");
    again.journal.close();
    // Another import's journal is never replaced behind the user's back.
    expect(() => Journal.open(path, { fingerprint: "f2", input: "x", destination: "d" })).toThrow(
      /belongs to another import/,
    );
  });

  it("encodes rows as ranges", () => {
    expect(encodeBatch([5, 2, 3, 4, 9].map((rowNumber) => ({ rowNumber, outcome: "added" as const })))).toEqual({
      rows: [
        [2, 5],
        [9, 9],
      ],
    });
  });

  it("RowSet grows", () => {
    const set = new RowSet();
    expect(set.add(1_000_000)).toBe(true);
    expect(set.add(1_000_000)).toBe(false);
    expect(set.has(999_999)).toBe(false);
    expect(set.size).toBe(1);
  });
});

describe("import fingerprint", () => {
  it("--strict makes another import; its absence keeps the fingerprint journals already have", async () => {
    const file = tmp.path("fp.csv");
    writeFileSync(file, "email\na@example.com\n");
    const destination = { vendor: "nlpearl", pearlId: "p" } as const;
    const plain = await importFingerprint(file, destination, {}, undefined, "t");
    expect(await importFingerprint(file, destination, { strict: false }, undefined, "t")).toBe(plain);
    expect(await importFingerprint(file, destination, { strict: true }, undefined, "t")).not.toBe(plain);
  });
});

describe("report", () => {
  it("CSV: row, outcome, reason, then the input columns", async () => {
    const path = tmp.path("r.csv");
    const report = new ReportWriter(path, ["Email", "Note"]);
    report.write({
      rowNumber: 7,
      outcome: "invalid",
      reason: 'email "x" is not valid',
      record: { Email: "x", Note: "a,b" },
    });
    await report.close();
    expect(readCsv(readFileSync(path, "utf8"))).toEqual([
      { row: "7", outcome: "invalid", reason: 'email "x" is not valid', Email: "x", Note: "a,b" },
    ]);
  });

  it("CSV with no failures still has its header; JSONL has one object per line", async () => {
    const empty = new ReportWriter(tmp.path("e.csv"), ["Email"]);
    await empty.close();
    expect(readFileSync(tmp.path("e.csv"), "utf8")).toBe("row,outcome,reason,Email\n");
    const jsonl = new ReportWriter(tmp.path("r.jsonl"), undefined);
    jsonl.write({ rowNumber: 2, outcome: "failed", reason: "aborted", record: { email: "a@x.io" } });
    await jsonl.close();
    expect(JSON.parse(readFileSync(tmp.path("r.jsonl"), "utf8"))).toEqual({
      row: 2,
      outcome: "failed",
      reason: "aborted",
      record: { email: "a@x.io" },
    });
  });
});

describe("progress", () => {
  const snap = {
    read: 500,
    sent: 400,
    acked: 300,
    settled: 320,
    resumed: 0,
    bytesRead: 50_000,
    size: 100_000,
    readDone: false,
  };

  it("estimates the total from the share of the file read, and the ETA from the rate", () => {
    expect(estimate(snap, 100)).toEqual({ total: 1000, fraction: 0.32, rate: 100, etaSeconds: 6.8 });
    expect(estimate({ ...snap, readDone: true }, undefined).total).toBe(500);
    expect(estimate({ ...snap, size: undefined }, 10)).toEqual({
      total: undefined,
      fraction: undefined,
      rate: 10,
      etaSeconds: undefined,
    });
  });

  it("the bar fits the terminal width; plain lines name every count", () => {
    const p = new Progress({ mode: "bar", stream: process.stderr, color: false, label: "Importing" }, () => snap);
    for (const width of [120, 80, 50, 20]) expect([...p.bar(snap, width)].length).toBeLessThan(width);
    expect(p.bar(snap, 120)).toMatch(/Importing [█░]{30} {2}32% {2}read 500 · sent 400 · acked 300/);
    expect(p.line(snap)).toBe("Importing: read 500+ rows, sent 400, acknowledged 300 — 32%");
  });
});
