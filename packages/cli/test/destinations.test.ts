// `leadbridge destinations`, `import --create-list` and `--overflow new-list`, end to end: the built CLI as a
// child process against each vendor's simulator (started in this process; the CLI is pointed at it).
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { type Simulator, startSimulator, type Vendor } from "@leadbridge/simulators";
import { descriptors } from "leadbridge";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BIN, cleanEnv, journalRecords, run, SAMPLE, tempDir, waitUntil } from "./helpers.js";

let sim: Simulator | undefined;
let tmp = tempDir();
beforeEach(() => {
  tmp = tempDir();
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  tmp.remove();
});

async function simulator<V extends Vendor>(vendor: V, options: { delayMs?: number } = {}): Promise<Simulator<V>> {
  const started = await startSimulator({
    vendor,
    rateLimits: false,
    ...(options.delayMs ? { faults: { rules: [{ kind: "delay", probability: 1, delayMs: options.delayMs }] } } : {}),
  });
  sim = started;
  return started;
}

/** The vendor's credential variables (from its descriptor) set to the simulator's, and its base URL. */
function envFor(s: Simulator): Record<string, string> {
  const given = s.credentials as Record<string, string>;
  const credentials = descriptors[s.vendor].credentials.map((c) => [c.env, given[c.option]!]);
  return { ...Object.fromEntries(credentials), [`LEADBRIDGE_${s.vendor.toUpperCase()}_BASE_URL`]: s.url };
}

describe("leadbridge destinations", () => {
  it("lists Instantly campaigns and lists as a table, and finds one by name as JSON", async () => {
    const s = await simulator("instantly");
    s.store.createCampaign(undefined, "Spring outreach");
    const webinar = s.store.createCampaign(undefined, "Webinar follow-up");
    const list = s.store.createList(undefined, "Webinar signups");

    const table = await run(["destinations", "--to", "instantly"], { env: envFor(s) });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^KIND\s+ID\s+NAME\s+STATUS$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(0, 3))).toEqual([
      ["campaign", expect.any(String), "Spring outreach"],
      ["campaign", webinar, "Webinar follow-up"],
      ["list", list, "Webinar signups"],
    ]);
    expect(table.stderr).toContain("3 destinations.");

    const found = await run(["destinations", "--to", "instantly", "--search", "webinar", "--json"], { env: envFor(s) });
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toEqual([
      { vendor: "instantly", kind: "campaign", id: webinar, name: "Webinar follow-up", status: "0" },
      { vendor: "instantly", kind: "list", id: list, name: "Webinar signups" },
    ]);
  });

  it("lists NLPearl's outbound pearls as JSON lines", async () => {
    const s = await simulator("nlpearl");
    const ids = [s.store.createOutbound(), s.store.createOutbound()];
    const result = await run(["destinations", "--to", "nlpearl", "--jsonl"], { env: envFor(s) });
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).id),
    ).toEqual(ids);
  });

  it("says that Amplemarket documents no endpoint to list lead lists (exit 2)", async () => {
    const s = await simulator("amplemarket");
    const result = await run(["destinations", "--to", "amplemarket"], { env: envFor(s) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/documents no GET \/lead-lists \(list lead lists\) endpoint/);
    expect(result.stdout).toBe("");
  });
});

describe("leadbridge import --create-list", () => {
  const args = (...more: string[]) => [
    "import",
    SAMPLE,
    "--to",
    "instantly",
    "--create-list",
    "Webinar signups",
    "--default-country",
    "US",
    "--report",
    tmp.path("report.csv"),
    ...more,
  ];

  it("creates an Instantly list and imports into it; the same command again creates no second list", async () => {
    const s = await simulator("instantly");
    const first = await run(args("--progress", "none"), { env: envFor(s) });
    // Exit 0: every row is added or a repeat; an Instantly list takes a lead with a name and no usable email.
    expect(first.code).toBe(0);
    expect(s.store.listIds()).toHaveLength(1);
    const [id] = s.store.listIds();
    expect(s.store.described(id!).name).toBe("Webinar signups");
    const added = Number(/Imported: (\d+) of 300 leads added/.exec(first.stdout)?.[1]);
    expect(added).toBeGreaterThan(250);
    expect(s.store.leads({ listId: id! })).toHaveLength(added);
    expect(first.stderr).toContain(`Created Instantly list "Webinar signups" (${id})`);

    const again = await run(args("--json"), { env: envFor(s) });
    expect(JSON.parse(again.stdout)).toMatchObject({
      resumed: 300,
      counts: { added },
      lists: [{ id, name: "Webinar signups", added: 0 }],
    });
    expect(s.store.listIds()).toEqual([id]);
    expect(s.store.leads({ listId: id! })).toHaveLength(added);
  });

  it("an import killed mid-way resumes into the list it created", async () => {
    const s = await simulator("instantly", { delayMs: 50 });
    const more = ["--batch-size", "10", "--concurrency", "1", "--progress", "lines"];
    const child = spawn(process.execPath, [BIN, ...args(...more)], { cwd: tmp.dir, env: cleanEnv(envFor(s)) });
    const closed = new Promise((resolve) => child.on("close", resolve));
    const journal = tmp.path("report.journal.jsonl");
    await waitUntil(`${journal} has settled rows`, () => journalRecords(journal).some((r) => r.rows));
    child.kill("SIGKILL");
    await closed;
    const [id] = s.store.listIds();
    const before = s.store.leads({ listId: id! }).length;

    const resumed = await run(args(...more, "--json"), { env: envFor(s) });
    const summary = JSON.parse(resumed.stdout);
    expect(summary.lists).toEqual([{ id, name: "Webinar signups", added: expect.any(Number) }]);
    expect(summary.resumed).toBeGreaterThan(0);
    expect(s.store.listIds()).toEqual([id]);
    expect(s.store.leads({ listId: id! }).length).toBeGreaterThan(before);
    expect(s.store.leads({ listId: id! })).toHaveLength(summary.counts.added);
  });
});

describe("leadbridge import --overflow new-list", () => {
  it("puts 150,000 leads in three Amplemarket lists (60,000 / 60,000 / 30,000), nothing rejected; again, no fourth", async () => {
    const s = await simulator("amplemarket");
    const file = tmp.path("big.csv");
    const rows = Array.from({ length: 150_000 }, (_, i) => `lead${i}@example.com`);
    writeFileSync(file, `email\n${rows.join("\n")}\n`);
    const args = [
      "import",
      file,
      "--to",
      "amplemarket",
      "--type",
      "email",
      "--create-list",
      "Q4 leads",
      "--list-owner",
      "owner@example.com",
      "--overflow",
      "new-list",
      "--report",
      tmp.path("report.csv"),
      "--json",
    ];
    const result = await run(args, { env: envFor(s) });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.counts).toMatchObject({ added: 150_000, rejected: 0, failed: 0, unknown: 0 });
    const lists = s.store.lists().filter((list) => !list.deleted);
    expect(lists.map((list) => [list.name, list.type, list.leadCount])).toEqual([
      ["Q4 leads", "email", 60_000],
      ["Q4 leads (2)", "email", 60_000],
      ["Q4 leads (3)", "email", 30_000],
    ]);
    expect(summary.lists).toEqual(lists.map((list) => ({ id: list.id, name: list.name, added: list.leadCount })));
    // Every lead once, in input order across the lists.
    expect(lists.flatMap((list) => s.store.leads(list.id).map((lead) => lead.email))).toEqual(rows);

    const again = await run(args, { env: envFor(s) });
    expect(again.code).toBe(0);
    expect(s.store.lists().filter((list) => !list.deleted)).toHaveLength(3);
  });
});
