// Issue 13 items 2 and 10, through the built CLI: version, help, national phone numbers, no sandbox journal.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CAMPAIGN, readCsv, run, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.remove());
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

describe("version and help", () => {
  it("-V and --version print the version", async () => {
    for (const flag of ["-V", "--version"]) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    }
  });

  it("top-level --help shows examples and the environment variables", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("-V, --version");
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("leadbridge import leads.csv --to instantly");
    expect(r.stdout).toContain("Environment:");
    for (const name of [
      "INSTANTLY_API_KEY",
      "AMPLEMARKET_API_KEY",
      "NLPEARL_ACCOUNT_ID + NLPEARL_SECRET_KEY",
      "LEADBRIDGE_<VENDOR>_BASE_URL",
      "LEADBRIDGE_DEFAULT_COUNTRY",
    ]) {
      expect(r.stdout).toContain(name);
    }
  });
});

describe("the sandbox", () => {
  it("writes nothing into the working directory: no journal, no .leadbridge/", async () => {
    const dir = tempDir();
    try {
      writeFileSync(dir.path("leads.csv"), "Email\na@example.com\nb@example.com\n");
      const r = await run(["import", "leads.csv", "--to", "instantly", "--campaign", CAMPAIGN, "--sandbox"], {
        cwd: dir.dir,
      });
      expect(r.stdout).toContain("2 of 2 leads added");
      expect(r.code).toBe(0);
      expect(readdirSync(dir.dir)).toEqual(["leads.csv"]);
      // With --report, the report only: a real import would keep its journal beside it.
      const again = await run(
        ["import", "leads.csv", "--to", "instantly", "--campaign", CAMPAIGN, "--sandbox", "--report", "r.csv"],
        { cwd: dir.dir },
      );
      expect(again.code).toBe(0);
      expect(readdirSync(dir.dir).sort()).toEqual(["leads.csv", "r.csv"]);
    } finally {
      dir.remove();
    }
  });
});

describe("national phone numbers (no --default-country)", () => {
  const file = tmp.path("national.csv");
  writeFileSync(
    file,
    "Email,Phone\na@example.com,(415) 555-1000\nb@example.com,+1 415 555 1001\nc@example.com,(415) 555-1002\n",
  );
  const args = ["import", file, "--to", "nlpearl", "--pearl", "p1", "--sandbox"];

  it("are invalid with a hint naming the flag and the variable, and the summary counts them", async () => {
    const report = tmp.path("national-report.csv");
    const r = await run([...args, "--report", report]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("1 of 3 leads added");
    expect(r.stdout).toContain(
      "2 rows were not sent because the phone number has no country code: --default-country <CC> (or LEADBRIDGE_DEFAULT_COUNTRY) would have saved up to 2 of them.",
    );
    const rows = readCsv(readFileSync(report, "utf8"));
    expect(rows.map((row) => row.row)).toEqual(["2", "4"]);
    for (const row of rows) {
      expect(row.reason).toContain("--default-country");
      expect(row.reason).toContain("LEADBRIDGE_DEFAULT_COUNTRY");
      expect(row.reason).not.toContain("defaultCountry");
    }
    const json = JSON.parse((await run([...args, "--json"])).stdout);
    expect(json.noCountryCode).toBe(2);
  });

  it("LEADBRIDGE_DEFAULT_COUNTRY reads them as that country's numbers; the flag wins over it", async () => {
    const env = await run([...args, "--quiet"], { env: { LEADBRIDGE_DEFAULT_COUNTRY: "us" } });
    expect(env.stdout).toContain("3 leads: 3 added.");
    expect(env.code).toBe(0);
    // GB does not make a US national number valid: the flag was used, not the variable.
    const flag = await run([...args, "--quiet", "--default-country", "GB"], {
      env: { LEADBRIDGE_DEFAULT_COUNTRY: "US" },
    });
    expect(flag.stdout).toContain("1 added");
    expect(flag.code).toBe(1);
  });

  it("a malformed LEADBRIDGE_DEFAULT_COUNTRY is a usage error naming it", async () => {
    const r = await run(args, { env: { LEADBRIDGE_DEFAULT_COUNTRY: "USA" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("LEADBRIDGE_DEFAULT_COUNTRY=USA: use a two-letter ISO country code");
  });
});
