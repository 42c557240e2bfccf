// The results file's writer and reader, and the recorder that puts rows in order (pure logic, real files).
import { readFileSync, writeFileSync } from "node:fs";
import type { Destination } from "leadbridge";
import { afterAll, describe, expect, it } from "vitest";
import { ResultsRecorder } from "../src/commands/import/results.js";
import { type ResultRow, readResultsFile, writeResultsFile } from "../src/results-file.js";
import { tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

const CAMPAIGN = "019e0e3e-b690-71a9-b399-fbf49894dded";

function row(n: number, more: Partial<ResultRow> = {}): ResultRow {
  return {
    row: n,
    outcome: "added",
    code: "added",
    reason: "",
    vendor: "instantly",
    destination: CAMPAIGN,
    vendorLeadId: `id-${n}`,
    email: `r${n}@example.com`,
    phone: "+1 415 555 0100",
    linkedinUrl: "",
    warnings: [],
    ...more,
  };
}

async function readAll(path: string): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for await (const r of readResultsFile(path)) rows.push(r);
  return rows;
}

describe("writeResultsFile / readResultsFile", () => {
  const tricky = [
    row(2),
    row(3, {
      outcome: "invalid",
      code: "invalid_field",
      reason: 'phone "=1+2", "x"; see row 2',
      phone: "=1+2",
      vendorLeadId: "",
      warnings: [
        { field: "phone", code: "dropped_field", reason: 'phone "ext. 204" is not a valid phone number; dropped' },
        { field: "linkedinUrl", code: "dropped_field", reason: "not a LinkedIn URL" },
      ],
    }),
    row(5, { email: "-minus@example.com", linkedinUrl: "@handle" }),
  ];

  for (const ext of ["csv", "jsonl"]) {
    it(`${ext}: what is written is read back as it was (formulas escaped in CSV, warnings kept)`, async () => {
      const path = tmp.path(`round.${ext}`);
      const writer = writeResultsFile(path);
      for (const r of tricky) writer.write(r);
      await writer.close();
      expect(writer.written).toBe(3);
      expect(await readAll(path)).toEqual(tricky);
      if (ext === "csv") {
        const text = readFileSync(path, "utf8");
        expect(text).toContain(",'=1+2,");
        expect(text).toContain('phone: phone ""ext. 204"" is not a valid phone number; dropped; linkedinUrl: not');
      }
    });
  }

  it("an empty CSV file still has its header; an unknown extension is refused", async () => {
    const path = tmp.path("empty.csv");
    await writeResultsFile(path).close();
    expect(readFileSync(path, "utf8")).toBe(
      "row,outcome,code,reason,vendor,destination,vendorLeadId,email,phone,linkedinUrl,warnings\n",
    );
    expect(await readAll(path)).toEqual([]);
    expect(() => writeResultsFile(tmp.path("r.json"))).toThrow("use .csv or .jsonl");
  });

  it("a record that is not a results record is an error naming its line", async () => {
    const path = tmp.path("bad.jsonl");
    writeFileSync(path, `${JSON.stringify(row(2))}\n{"row":"x","outcome":"added"}\n`);
    await expect(readAll(path)).rejects.toThrow(`${path}:2: "row" must be a row number`);
  });
});

describe("ResultsRecorder", () => {
  const destination = { vendor: "instantly", campaignId: CAMPAIGN } as Destination;
  const sink = () => {
    const written: ResultRow[] = [];
    return {
      written,
      writer: { path: "", written: 0, write: (r: ResultRow) => written.push(r), close: async () => {} },
    };
  };

  it("writes rows in reading order, holding only those behind a row still in flight", () => {
    const { written, writer } = sink();
    const recorder = new ResultsRecorder([writer], destination, (record) => ({ email: String(record.email) }));
    recorder.expect(2, { email: "a@example.com" });
    recorder.expect(3, { email: "b@example.com" });
    recorder.settle(4, { outcome: "invalid", code: "broken_row", reason: "ragged" }, { email: "c@example.com" });
    recorder.settle(3, { outcome: "added", code: "added", result: { vendorLeadId: "L3" } });
    expect(written).toEqual([]); // row 2 is still in flight
    recorder.settle(2, { outcome: "added", code: "added", result: { vendorLeadId: "L2", destinationId: "other" } });
    expect(written.map((r) => [r.row, r.vendorLeadId, r.email, r.destination])).toEqual([
      [2, "L2", "a@example.com", "other"],
      [3, "L3", "b@example.com", CAMPAIGN],
      [4, "", "c@example.com", CAMPAIGN],
    ]);
    recorder.settle(5, { outcome: "failed", code: "not_read", reason: "stopped" }, {});
    expect(written).toHaveLength(4); // nothing pending: written at once
  });

  it("memory follows the rows in flight: a long run settled in order leaves nothing held", () => {
    const { written, writer } = sink();
    const recorder = new ResultsRecorder([writer], destination, () => ({}));
    for (let n = 1; n <= 100_000; n++) {
      recorder.expect(n, {});
      if (n > 10) recorder.settle(n - 10, { outcome: "added", code: "added" }); // 10 in flight
    }
    expect(written).toHaveLength(100_000 - 10);
    const held = (recorder as unknown as { slots: unknown[]; head: number }).slots.length;
    expect(held).toBeLessThan(2 * 1024 + 10);
    recorder.end(); // the last 10 never settled: written as unknown, never left out
    expect(written.map((r) => r.row)).toEqual(Array.from({ length: 100_000 }, (_, i) => i + 1));
    expect(written.at(-1)).toMatchObject({ outcome: "unknown", reason: "LeadBridge recorded no outcome for this row" });
  });
});
