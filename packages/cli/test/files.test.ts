// Unit tests of the pure file-safety pieces: output files, the journal lock, the journal's reading of
// in-doubt rows and torn lines, and the duplicate keys carried across runs.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { checkOutput, openOutput, sameFile } from "../src/files.js";
import { encodeBatch, Journal, load } from "../src/journal.js";
import { JournalLock } from "../src/lock.js";
import { checkOutputs, isReport } from "../src/preflight.js";
import { ResumedKeys } from "../src/resumed-keys.js";
import { tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.remove());
const report = (path: string) => ({ flag: "--report", path, isOurs: isReport });

describe("output files", () => {
  it("creates a new file 0600 and exclusively; overwrites its own; refuses others unless forced", () => {
    const path = tmp.path("r.csv");
    const fd = openOutput(report(path));
    writeSync(fd, "row,outcome,reason\n");
    closeSync(fd);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    closeSync(openOutput(report(path))); // its own: truncated
    expect(readFileSync(path, "utf8")).toBe("");
    writeFileSync(path, "somebody's data\n", { mode: 0o644 });
    expect(() => checkOutput(report(path), false)).toThrow(/was not written by LeadBridge/);
    closeSync(openOutput(report(path), { force: true }));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("never follows a symbolic link, and names a directory", () => {
    const link = tmp.path("link.csv");
    symlinkSync(tmp.path("target.csv"), link);
    expect(() => openOutput(report(link), { force: true })).toThrow(/symbolic link/);
    expect(existsSync(tmp.path("target.csv"))).toBe(false);
    expect(() => checkOutput(report(tmp.dir), true)).toThrow(/is a directory/);
  });

  it("an output naming the input, or two outputs naming one file, are refused", () => {
    const input = tmp.path("in.csv");
    writeFileSync(input, "email\na@b.co\n");
    expect(() => checkOutputs(input, [report(input)], true)).toThrow(/is the input file/);
    expect(() => checkOutputs(input, [report(`${tmp.dir}/./in.csv`)], true)).toThrow(/is the input file/);
    const out = tmp.path("out.csv");
    expect(() =>
      checkOutputs(input, [report(out), { flag: "--journal", path: out, isOurs: () => true }], true),
    ).toThrow(/name the same file/);
    expect(sameFile(out, tmp.path("other.csv"))).toBe(false);
  });
});

describe("journal lock", () => {
  it("is exclusive while its owner lives, and taken over once the owner is gone", () => {
    const journal = tmp.path("locked.jsonl");
    const lock = JournalLock.acquire(journal);
    expect(() => JournalLock.acquire(journal)).toThrow(UsageError);
    expect(() => JournalLock.acquire(journal)).toThrow(`pid ${process.pid}`);
    lock.release();
    expect(existsSync(`${journal}.lock`)).toBe(false);
    // A lock left by a process that has exited (as after a SIGKILL) is stale.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    writeFileSync(`${journal}.lock`, `${dead}\n`);
    const taken = JournalLock.acquire(journal);
    expect(readFileSync(`${journal}.lock`, "utf8")).toBe(`${process.pid}\n`);
    taken.release();
  });
});

describe("journal", () => {
  const header = { fingerprint: "f", input: "in.csv", destination: "d" };

  it("rows being sent are in doubt until a later line settles or frees them, in the order written", () => {
    const text = [
      JSON.stringify({ kind: "leadbridge-import-journal", version: 2, ...header, startedAt: "t" }),
      JSON.stringify({ sending: [[2, 5]] }),
      JSON.stringify(
        encodeBatch([
          { rowNumber: 2, outcome: "added" },
          { rowNumber: 3, outcome: "failed" },
        ]),
      ),
      JSON.stringify({ sending: [[3, 3]] }), // row 3 sent again by a later run, which died
      "",
    ].join("\n");
    const { resume, validBytes } = load(text);
    expect([2, 3, 4, 5].map((row) => resume.inDoubt.has(row))).toEqual([false, true, true, true]);
    expect(resume.rows.has(2)).toBe(true);
    expect(resume.rows.has(3)).toBe(false);
    expect(resume.torn).toBe(false);
    expect(validBytes).toBe(Buffer.byteLength(text));
  });

  it("a torn last line is ignored and cut off before appending; a damaged line before it is refused", () => {
    const path = tmp.path("torn.jsonl");
    const { journal } = Journal.open(path, header);
    journal.sending([2, 3]);
    journal.add({ rowNumber: 2, outcome: "added" });
    journal.add({ rowNumber: 3, outcome: "added" });
    journal.flush();
    journal.close();
    const whole = readFileSync(path, "utf8");
    writeFileSync(path, whole.slice(0, -5)); // the settled line, torn
    const again = Journal.open(path, header);
    expect(again.result.state).toBe("resumed");
    const resume = again.result.state === "resumed" ? again.result.resume : undefined;
    expect(resume?.torn).toBe(true);
    expect(resume?.inDoubt.has(2)).toBe(true); // only the torn line's rows are in doubt
    again.journal.sending([4]);
    again.journal.close();
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.at(-2)).toBe('{"sending":[[4,4]]}'); // on a line of its own: the torn bytes are gone
    expect(() => load(`${lines.slice(0, 2).join("\n")}\n{"rows":[[7,\n${lines.slice(2).join("\n")}`)).toThrow(
      /damaged at line 3/,
    );
  });

  it("a file that is not a journal is never replaced by a resume", () => {
    const path = tmp.path("notes.jsonl");
    writeFileSync(path, "my notes\n");
    expect(() => Journal.open(path, header)).toThrow(/not a LeadBridge journal|not written by LeadBridge/);
    expect(readFileSync(path, "utf8")).toBe("my notes\n");
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});

describe("duplicate keys across runs", () => {
  const nlpearl = { vendor: "nlpearl", pearlId: "p1" } as const;
  it("matches an earlier row's email, phone or LinkedIn URL with the facade's own keys, and is bounded", () => {
    const keys = new ResumedKeys(10, { vendor: "instantly", campaignId: "c1" });
    keys.add(
      { email: " Jane@Example.com ", phone: "+1 (415) 555-0100", linkedinUrl: "https://www.linkedin.com/in/jane/" },
      7,
    );
    expect(keys.match({ email: "jane@example.com" })).toEqual({ kind: "email", rowNumber: 7 });
    expect(keys.match({ email: "john@example.com" })).toBeUndefined();
    const small = new ResumedKeys(1, nlpearl);
    small.add({ phone: "+14155550100" }, 2);
    small.add({ phone: "+14155550101" }, 3);
    expect(small.full).toBe(true);
  });

  it("normalises a phone as the facade does: a national number with the default country is the same phone", () => {
    const keys = new ResumedKeys(10, nlpearl, "US");
    keys.add({ phone: "+1 (415) 555-0100", firstName: "Jane" }, 4);
    expect(keys.match({ phone: "(415) 555-0100", firstName: "Jane" })).toEqual({ kind: "phone", rowNumber: 4 });
    expect(keys.match({ phone: "415.555.0100", firstName: "Jane" })).toEqual({ kind: "phone", rowNumber: 4 });
    // An invalid lead has no keys: it is reported invalid, never a duplicate.
    expect(keys.match({ phone: "555" })).toBeUndefined();
  });

  it("follows an Amplemarket list's own identity (LinkedIn profile without www on a linkedin list)", () => {
    const keys = new ResumedKeys(10, { vendor: "amplemarket", listId: "l1", type: "linkedin" });
    keys.add({ linkedinUrl: "https://www.linkedin.com/in/jane" }, 9);
    expect(keys.match({ linkedinUrl: "https://linkedin.com/in/jane/" })).toMatchObject({ rowNumber: 9 });
  });
});
