// The results-file reader and the runs `verify` reads it in (pure logic, on files in a temp folder).
import { writeFileSync } from "node:fs";
import { stringify } from "csv-stringify/sync";
import { afterAll, describe, expect, it } from "vitest";
import { runsOf } from "../src/commands/verify/runs.js";
import { InputError } from "../src/errors.js";
import { RESULT_FIELDS, type ResultRow, readResultsFile } from "../src/results-file.js";
import { tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const record = (row: number, destination: string, outcome = "added"): ResultRow =>
  ({ row, outcome, vendor: "amplemarket", destination, warnings: [] }) as unknown as ResultRow;

describe("readResultsFile", () => {
  it("reads CSV, undoing csv-stringify's formula escape (a phone's +)", async () => {
    const path = tmp.path("r.csv");
    const row = { row: 2, outcome: "added", vendor: "nlpearl", destination: "p1", phone: "+14155550100" };
    writeFileSync(path, stringify([row], { header: true, columns: [...RESULT_FIELDS], escape_formulas: true }));
    const [read] = await all(readResultsFile(path));
    expect(read).toMatchObject({ row: 2, outcome: "added", phone: "+14155550100", email: "" });
  });

  it("reads JSON Lines, keeping the warnings array", async () => {
    const path = tmp.path("r.jsonl");
    const warnings = [{ field: "phone", code: "dropped_field", reason: "not a phone number" }];
    writeFileSync(
      path,
      `${JSON.stringify({ row: 3, outcome: "unknown", vendor: "instantly", destination: "c", warnings })}\n\n`,
    );
    expect(await all(readResultsFile(path))).toEqual([
      expect.objectContaining({ row: 3, outcome: "unknown", vendorLeadId: "", warnings }),
    ]);
  });

  it("names the line of a record that is not JSON, or an added row with no destination", async () => {
    const broken = tmp.path("broken.jsonl");
    writeFileSync(broken, `${JSON.stringify({ row: 2, outcome: "invalid" })}\n{"row": 3,\n`);
    await expect(all(readResultsFile(broken))).rejects.toThrow(/broken\.jsonl:2: not valid JSON/);
    const nowhere = tmp.path("nowhere.jsonl");
    writeFileSync(nowhere, `${JSON.stringify({ row: 2, outcome: "added", vendor: "instantly" })}\n`);
    await expect(all(readResultsFile(nowhere))).rejects.toThrow(InputError);
    await expect(all(readResultsFile(tmp.path("r.txt")))).rejects.toThrow(/use \.csv or \.jsonl/);
  });
});

describe("runsOf", () => {
  it("splits by destination in file order; a row sent nowhere stays in its run", async () => {
    async function* records() {
      yield* [
        record(2, "l1"),
        record(3, "l1"),
        record(4, "l2"),
        record(5, "", "invalid"),
        record(6, "l2"),
        record(7, "l1"),
      ];
    }
    const runs: [string, number[]][] = [];
    for await (const run of runsOf(records())) runs.push([run.destination, (await all(run.records)).map((r) => r.row)]);
    expect(runs).toEqual([
      ["l1", [2, 3]],
      ["l2", [4, 5, 6]],
      ["l1", [7]],
    ]);
  });

  it("a run left half read is read past, so the next starts in place", async () => {
    async function* records() {
      yield* [record(2, "l1"), record(3, "l1"), record(4, "l2")];
    }
    const firsts: number[] = [];
    for await (const run of runsOf(records())) {
      for await (const r of run.records) {
        firsts.push(r.row);
        break;
      }
    }
    expect(firsts).toEqual([2, 4]);
  });
});
