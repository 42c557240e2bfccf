// `leadbridge verify`, the built CLI as a child process, against each vendor's simulator after imports
// whose answers were lost (TCP resets after and before processing). The results file is written here in
// the format of `import --results` from the facade's report of the same imports (one case runs
// `import --results` itself), and every row's verdict is checked against what the simulator's store holds.
import { readFileSync, writeFileSync } from "node:fs";
import { type FaultRule, type Simulator, startSimulator } from "@leadbridge/simulators";
import { stringify } from "csv-stringify/sync";
import { createLeadBridge, type Destination, type Lead, type LeadBridgeError, type Report } from "leadbridge";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { RESULT_FIELDS } from "../src/results-file.js";
import { readCsv, run, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.remove());
const started: Simulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

const N = 12;
const BATCH = 2;

/**
 * Two imports of half the leads each, one request in flight and no resend; the second request of each
 * loses its answer, the first's after the simulator stored the batch, the second's before. Instantly and
 * Amplemarket stop there (a lost answer on the last attempt stops an import); NLPearl goes on.
 */
function lostAnswers(resendSafe: boolean): FaultRule[] {
  const perImport = resendSafe ? 2 : N / 2 / BATCH;
  return [
    { kind: "reset-after", schedule: [2] },
    { kind: "reset-before", schedule: [perImport + 2] },
  ];
}

function leadsFor(vendor: string): Lead[] {
  return Array.from({ length: N }, (_, i) =>
    vendor === "nlpearl"
      ? { phone: `+1415${String(2000000 + i)}` }
      : { email: `lead${i}@example.com`, firstName: `Lead ${i}` },
  );
}

/** The results file of the two imports, in `import --results`' format: row = data row + 1 (the header is line 1). */
async function importAndWriteResults(
  sim: Simulator,
  destination: Destination,
  id: string,
  path: string,
): Promise<void> {
  const vendor = destination.vendor;
  const bridge = createLeadBridge({ [vendor]: { ...sim.credentials, baseUrl: sim.url } });
  const leads = leadsFor(vendor);
  const records: Record<string, unknown>[] = [];
  for (const offset of [0, N / 2]) {
    const half = leads.slice(offset, offset + N / 2);
    const options = { batchSize: BATCH, concurrency: 1, retry: { maxAttempts: 1 } };
    const report: Report = await bridge.addLeads(destination, half, options).catch((error: LeadBridgeError) => {
      if (!error.report) throw error;
      return error.report;
    });
    for (const r of report.results) {
      const lead = half[r.index]!;
      records.push({
        row: offset + r.index + 2,
        outcome: r.outcome,
        code: r.code,
        reason: r.reason ?? "",
        vendor,
        destination: id,
        vendorLeadId: r.vendorLeadId ?? "",
        email: lead.email ?? "",
        phone: lead.phone ?? "",
        linkedinUrl: "",
        warnings: path.endsWith(".csv") ? "" : [],
      });
    }
  }
  records.sort((a, b) => Number(a.row) - Number(b.row));
  writeFileSync(
    path,
    path.endsWith(".csv")
      ? stringify(records, { header: true, columns: [...RESULT_FIELDS], escape_formulas: true })
      : records.map((record) => `${JSON.stringify(record)}\n`).join(""),
  );
}

const credentials = (sim: Simulator) => sim.credentials as Record<string, string>;
const ENV = {
  instantly: (sim: Simulator) => ({ INSTANTLY_API_KEY: credentials(sim).apiKey! }),
  amplemarket: (sim: Simulator) => ({ AMPLEMARKET_API_KEY: credentials(sim).apiKey! }),
  nlpearl: (sim: Simulator) => ({
    NLPEARL_ACCOUNT_ID: credentials(sim).accountId!,
    NLPEARL_SECRET_KEY: credentials(sim).secretKey!,
  }),
};

const CASES = [
  { vendor: "instantly", ext: "csv", key: "email" },
  { vendor: "amplemarket", ext: "jsonl", key: "email" },
  { vendor: "nlpearl", ext: "csv", key: "phone" },
] as const;

describe("leadbridge verify <results-file>", () => {
  for (const { vendor, ext, key } of CASES) {
    it(`${vendor}: each added/unknown row is present exactly when the simulator holds it (${ext})`, async () => {
      const sim = await startSimulator({
        vendor,
        seed: 7,
        rateLimits: false,
        faults: { rules: lostAnswers(vendor !== "nlpearl") },
      });
      started.push(sim);
      const { destination, id, held } = prepare(sim);
      const results = tmp.path(`${vendor}-results.${ext}`);
      const out = tmp.path(`${vendor}-verified.${ext}`);
      await importAndWriteResults(sim, destination, id, results);

      const r = await run(["verify", results, "--out", out], {
        env: { ...ENV[vendor](sim), [`LEADBRIDGE_${vendor.toUpperCase()}_BASE_URL`]: sim.url },
      });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1); // some rows are missing

      const rows = ext === "csv" ? readCsv(readFileSync(out, "utf8")) : jsonLines(readFileSync(out, "utf8"));
      const input = ext === "csv" ? readCsv(readFileSync(results, "utf8")) : jsonLines(readFileSync(results, "utf8"));
      expect(rows.map((row) => Number(row.row))).toEqual(input.map((row) => Number(row.row)));
      const stored = held();
      let present = 0;
      let missing = 0;
      for (const [i, row] of rows.entries()) {
        const before = input[i]!;
        const checked = before.outcome === "added" || before.outcome === "unknown";
        const value = String(row[key]).replace(/^'/, "");
        const expected = !checked ? "not_checked" : stored.has(value) ? "present" : "missing";
        expect({ row: row.row, verified: row.verified }).toEqual({ row: row.row, verified: expected });
        expect(row.outcome).toBe(before.outcome === "unknown" && expected === "present" ? "added" : before.outcome);
        if (expected === "present") present++;
        if (expected === "missing") missing++;
      }
      const unknowns = rows.filter((_, i) => input[i]!.outcome === "unknown");
      expect(unknowns.filter((row) => row.outcome === "added")).toHaveLength(BATCH);
      expect(unknowns.filter((row) => row.verified === "missing")).toHaveLength(BATCH);
      expect(r.stdout).toMatch(new RegExp(`^\\s+${present}  present$`, "m"));
      expect(r.stdout).toMatch(new RegExp(`^\\s+${missing}  missing$`, "m"));
      expect(r.stdout).toContain(`Unknowns settled: ${BATCH} became added, ${BATCH} missing.`);
    });
  }

  it("NLPearl: import --results, then verify the file it wrote (the built CLI only): each unknown settles by what the simulator holds", async () => {
    const sim = await startSimulator({
      vendor: "nlpearl",
      seed: 11,
      rateLimits: false,
      faults: { rules: lostAnswers(false) },
    });
    started.push(sim);
    const { id, held } = prepare(sim);
    const input = tmp.path("nlpearl-leads.csv");
    writeFileSync(
      input,
      `phone\n${leadsFor("nlpearl")
        .map((lead) => lead.phone)
        .join("\n")}\n`,
    );
    const results = tmp.path("nlpearl-import-results.csv");
    const env = { ...ENV.nlpearl(sim), LEADBRIDGE_NLPEARL_BASE_URL: sim.url };
    const flags = ["--batch-size", String(BATCH), "--concurrency", "1", "--results", results, "--no-resume"];
    const imported = await run(["import", input, "--to", "nlpearl", "--pearl", id, ...flags], { env });
    expect(imported.code).toBe(1); // two batches' answers were lost: unknown
    const before = readCsv(readFileSync(results, "utf8"));
    expect(before.map((row) => Number(row.row))).toEqual(Array.from({ length: N }, (_, i) => i + 2));
    expect(before.filter((row) => row.outcome === "unknown")).toHaveLength(2 * BATCH);

    const out = tmp.path("nlpearl-import-verified.csv");
    const r = await run(["verify", results, "--out", out], { env });
    expect(r.code).toBe(1); // the batch lost before the simulator stored it is missing
    const stored = held();
    const rows = readCsv(readFileSync(out, "utf8"));
    for (const [i, row] of rows.entries()) {
      const phone = String(row.phone).replace(/^'/, "");
      const wasUnknown = before[i]!.outcome === "unknown";
      expect({ row: row.row, verified: row.verified }).toEqual({
        row: before[i]!.row,
        verified: stored.has(phone) ? "present" : "missing",
      });
      expect(row.outcome).toBe(wasUnknown && stored.has(phone) ? "added" : before[i]!.outcome);
    }
    expect(r.stdout).toContain(`Unknowns settled: ${BATCH} became added, ${BATCH} missing.`);
  });

  it("--json prints a line per row, then the summary; all present exits 0", async () => {
    const sim = await startSimulator({ vendor: "instantly", seed: 8, rateLimits: false });
    started.push(sim);
    const { destination, id } = prepare(sim);
    const results = tmp.path("clean-results.jsonl");
    await importAndWriteResults(sim, destination, id, results);
    const r = await run(["verify", results, "--json"], {
      env: { ...ENV.instantly(sim), LEADBRIDGE_INSTANTLY_BASE_URL: sim.url },
    });
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(N + 1);
    expect(lines.slice(0, N).every((row) => row.verified === "present")).toBe(true);
    expect(lines[N]).toMatchObject({ summary: { rows: N, present: N, missing: 0, cannotCheck: 0 } });
  });

  it("a file that is not a results file, or missing credentials, exits 2 and says why", async () => {
    const bad = tmp.path("not-results.jsonl");
    writeFileSync(bad, `${JSON.stringify({ email: "a@b.co" })}\n`);
    const r = await run(["verify", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"row" must be a row number, got nothing');
    const noKey = tmp.path("no-key.jsonl");
    writeFileSync(noKey, `${JSON.stringify({ row: 2, outcome: "added", vendor: "instantly", destination: "x" })}\n`);
    const r2 = await run(["verify", noKey]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("Missing INSTANTLY_API_KEY");
  });

  it("a destination the vendor does not know exits 2 naming it", async () => {
    const sim = await startSimulator({ vendor: "amplemarket", seed: 9, rateLimits: false });
    started.push(sim);
    const results = tmp.path("unknown-list.jsonl");
    const row = { row: 2, outcome: "added", vendor: "amplemarket", destination: "gone", email: "a@example.com" };
    writeFileSync(results, `${JSON.stringify(row)}\n`);
    const r = await run(["verify", results], {
      env: { ...ENV.amplemarket(sim), LEADBRIDGE_AMPLEMARKET_BASE_URL: sim.url },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Amplemarket gone, the destination of row 2, was not found");
  });
});

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

/** The destination each vendor's case imports into, and what its store holds there (by email or phone). */
function prepare(sim: Simulator): { destination: Destination; id: string; held: () => Set<string> } {
  const store = sim.store as never as {
    createCampaign?: () => string;
    createList?: (o: { type: string }) => string;
    createOutbound?: () => string;
    leads: (where: unknown) => { email?: unknown; phoneNumber?: string }[];
  };
  if (sim.vendor === "instantly") {
    const campaignId = store.createCampaign!();
    const held = () => new Set(store.leads({ campaignId }).map((l) => String(l.email)));
    return { destination: { vendor: "instantly", campaignId }, id: campaignId, held };
  }
  if (sim.vendor === "amplemarket") {
    const listId = store.createList!({ type: "email" });
    const held = () => new Set(store.leads(listId).map((l) => String(l.email)));
    return { destination: { vendor: "amplemarket", listId, type: "email" }, id: listId, held };
  }
  const pearlId = store.createOutbound!();
  const held = () => new Set(store.leads(pearlId).map((l) => String(l.phoneNumber)));
  return { destination: { vendor: "nlpearl", pearlId }, id: pearlId, held };
}
