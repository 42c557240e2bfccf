// Issue 13's summary, dry-run, Ctrl-C and results items, through the built CLI against the sandbox.
import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { run, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

/** 30 national numbers, 3 "ext. 204", 2 "555", 5 international numbers, and one ragged row. */
function nlpearlExport(): string {
  const rows = ["Phone,First Name,Email"];
  for (let i = 0; i < 30; i++) rows.push(`(415) 555-${1000 + i},P${i},p${i}@example.com`);
  for (let i = 0; i < 3; i++) rows.push(`ext. 204,E${i},e${i}@example.com`);
  for (let i = 0; i < 2; i++) rows.push(`555,F${i},f${i}@example.com`);
  for (let i = 0; i < 5; i++) rows.push(`+1 415 555 ${2000 + i},G${i},g${i}@example.com`);
  rows.push("+1 415 555 3000,Ragged,r@example.com,extra");
  const file = tmp.path(`nlpearl-${rows.length}.csv`);
  writeFileSync(file, `${rows.join("\n")}\n`);
  return file;
}

interface Group {
  code: string;
  outcome: string;
  count: number;
  samples: string[];
}

/** The text summary's "by reason" lines: [count, code, outcome]. */
function textGroups(stdout: string): Array<[number, string, string]> {
  return [...stdout.matchAll(/^\s+(\d+) × (\w+) \((\w+)\)$/gm)].map((m) => [Number(m[1]), m[2]!, m[3]!]);
}

describe("the summary groups rows by code, and the groups add up (item 4)", () => {
  it("national numbers without --default-country are one group, whatever their value", async () => {
    const file = nlpearlExport();
    const args = ["import", file, "--to", "nlpearl", "--pearl", "p1", "--sandbox"];
    const text = await run(args);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("Not added, by reason (36 rows):");
    // "ext. 204" and "555" cannot be read without a country either: --default-country may save up to 35.
    expect(textGroups(text.stdout)).toEqual([
      [35, "no_country_code", "invalid"],
      [1, "broken_row", "invalid"],
    ]);
    expect(text.stdout).toContain('e.g. phone "(415) 555-1000" is not a valid phone number');
    expect(text.stdout).not.toMatch(/× .*ext\. 204/);

    const json = JSON.parse((await run([...args, "--json"])).stdout) as { total: number; reasons: Group[] };
    expect(json.reasons.reduce((sum, group) => sum + group.count, 0)).toBe(json.total);
    expect(json.reasons.map((g) => [g.code, g.count])).toEqual([
      ["no_country_code", 35],
      ["added", 5],
      ["broken_row", 1],
    ]);
    expect(json.reasons[0]!.samples).toHaveLength(2);
  });

  it("with --default-country, the unusable numbers are one group with a sample value or two", async () => {
    const file = nlpearlExport();
    const args = ["import", file, "--to", "nlpearl", "--pearl", "p1", "--sandbox", "--default-country", "US"];
    const text = await run(args);
    expect(textGroups(text.stdout)).toEqual([
      [5, "invalid_field", "invalid"],
      [1, "broken_row", "invalid"],
    ]);
    expect(text.stdout).toContain('e.g. phone "ext. 204" is not a valid phone number');
    expect(text.stdout).toContain('e.g. phone "555" is not a valid phone number');
    const json = JSON.parse((await run([...args, "--json"])).stdout) as { total: number; reasons: Group[] };
    expect(json.total).toBe(41);
    expect(json.reasons.reduce((sum, group) => sum + group.count, 0)).toBe(41);
    expect(json.reasons.find((g) => g.code === "added")?.count).toBe(35);
  });
});

describe("--dry-run --json reports wouldSend, apart from skipped (item 7)", () => {
  it("the rows that would be sent are wouldSend; skipped stays for --skip-if-* flags", async () => {
    const file = nlpearlExport();
    const args = ["import", file, "--to", "nlpearl", "--pearl", "p1", "--dry-run", "--default-country", "US"];
    const json = JSON.parse((await run([...args, "--json"])).stdout);
    expect(json).toMatchObject({ dryRun: true, total: 41, wouldSend: 35, counts: { skipped: 0, invalid: 6 } });
    const text = await run(args);
    expect(text.stdout).toContain("41 rows read; 35 would be sent; 6 would not.");
    expect((await run([...args, "--quiet"])).stdout).toContain("41 leads: 35 would be sent, 6 invalid.");
  });
});
