// docs/adding-a-vendor.md is complete: a copy of the repo plus the fictional fourth vendor of
// fixtures/fourth-vendor (its spec folder, package, adapter and simulator files, and nothing else)
// installs, generates and builds; the CLI imports a CSV into the vendor's simulator and the facade adds
// leads to it; and the only other files that changed are generated ones.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { repoRoot } from "./helpers.mjs";

const fixture = join(repoRoot, "fixtures/fourth-vendor");

/** What `pnpm generate` and `pnpm install` write when a vendor is added: the only changes allowed outside the fixture. */
const GENERATED = [
  "packages/cli/package.json",
  "packages/leadbridge/package.json",
  "packages/leadbridge/src/generated/vendors.ts",
  "packages/simulators/package.json",
  "packages/leadbridge/src/generated/exports.ts",
  "packages/simulators/src/generated/descriptors.ts",
  "packages/simulators/src/generated/exports.ts",
  "packages/simulators/src/generated/vendors.ts",
  "pnpm-lock.yaml",
];
/** The vendor package's own generated files (inside the fixture's folder, so counted with it). */
const VENDOR_GENERATED = ["facts.ts", "openapi.yaml", "schema.ts"].map((f) => `packages/acme/src/generated/${f}`);

let root;
/** Runs a command in the copy; its output is the error's message when it fails. */
function sh(command, args) {
  try {
    return execFileSync(command, args, {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "", FORCE_COLOR: "0", NO_COLOR: "1", TURBO_TELEMETRY_DISABLED: "1" },
    });
  } catch (error) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${error.stdout}\n${error.stderr}`);
  }
}

/** Every file under `dir`, relative to it (the fixture's README aside). */
function filesUnder(dir, at = dir) {
  return readdirSync(at).flatMap((name) => {
    const path = join(at, name);
    if (statSync(path).isDirectory()) return filesUnder(dir, path);
    return path === join(dir, "README.md") ? [] : [relative(dir, path)];
  });
}
const fixtureFiles = filesUnder(fixture).sort();

beforeAll(() => {
  const started = performance.now();
  root = mkdtempSync(join(tmpdir(), "leadbridge-fourth-vendor-"));
  // The working tree's tracked files (uncommitted edits included), committed in the copy as its baseline.
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" }).split("\0");
  for (const file of tracked.filter((f) => f && !f.startsWith("fixtures/"))) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    try {
      cpSync(join(repoRoot, file), join(root, file));
    } catch (error) {
      if (error.code !== "ENOENT") throw error; // deleted in the working tree, not yet committed
    }
  }
  sh("git", ["init", "-q"]);
  sh("git", ["add", "-A"]);
  sh("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", "baseline"]);
  for (const file of fixtureFiles) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(fixture, file), join(root, file));
  }
  // What docs/adding-a-vendor.md says to run.
  sh("pnpm", ["install", "--prefer-offline"]);
  sh("pnpm", ["generate"]);
  sh("pnpm", ["install", "--prefer-offline"]); // links the vendor package into the facade's dependencies
  // Build what a new vendor changes; the other packages' builds are the repo's own (copied when built).
  const rebuilt = ["@leadbridge/acme", "leadbridge", "@leadbridge/simulators", "@leadbridge/cli"];
  for (const dir of ["instantly", "nlpearl", "amplemarket", "prism"]) {
    const dist = join(repoRoot, "packages", dir, "dist");
    if (existsSync(dist)) cpSync(dist, join(root, "packages", dir, "dist"), { recursive: true });
    else rebuilt.unshift(dir === "prism" ? "@leadbridge/prism" : `@leadbridge/${dir}`);
  }
  sh("pnpm", ["-r", ...rebuilt.flatMap((name) => ["--filter", name]), "run", "build"]);
  console.log(`fourth vendor: copied, installed, generated and built in ${Math.round(performance.now() - started)} ms`);
}, 600_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test("the CLI lists the vendor and imports a CSV into its simulator: every lead added", () => {
  const bin = join(root, "packages/cli/dist/bin.js");
  expect(sh(process.execPath, [bin, "--help"])).toContain("Acme");
  const importHelp = sh(process.execPath, [bin, "import", "--help"]);
  expect(importHelp).toContain("--audience");
  writeFileSync(
    join(root, "leads.csv"),
    "email,first_name\nada@example.com,Ada\ngrace@example.com,Grace\nalan@example.com,Alan\n",
  );
  const out = sh(process.execPath, [bin, "import", "leads.csv", "--to", "acme", "--audience", "a1", "--sandbox"]);
  expect(out).toContain("Imported: 3 of 3 leads added to Acme audience a1");
  expect(out).toContain("the simulator stored 3 leads");
  expect(out).not.toMatch(/\b(rejected|failed|invalid|unknown)\b/i);
});

test("the facade adds leads for the vendor against its simulator", () => {
  const script = `
    import { createLeadBridge, descriptors } from "leadbridge";
    import { AcmeStore, startSimulator } from "@leadbridge/simulators";
    const sim = await startSimulator({ vendor: "acme" });
    const destination = { vendor: "acme", audienceId: "a1" };
    sim.prepareDestination(destination);
    const bridge = createLeadBridge({ acme: { ...sim.credentials, baseUrl: sim.url } });
    const report = await bridge.addLeads(destination, [
      { email: "ada@example.com" }, { email: "ADA@example.com" }, { email: "grace@example.com" }, { firstName: "No email" },
    ]);
    const store = sim.store instanceof AcmeStore;
    console.log(JSON.stringify({ names: Object.keys(descriptors), counts: report.counts, stored: sim.storedCount(destination), store }));
    await sim.close();
  `;
  writeFileSync(join(root, "packages/cli/facade-check.mjs"), script);
  const result = JSON.parse(sh(process.execPath, ["packages/cli/facade-check.mjs"]));
  rmSync(join(root, "packages/cli/facade-check.mjs"));
  expect(result.names).toContain("acme");
  expect(result.stored).toBe(2);
  expect(result.counts).toMatchObject({ added: 2, duplicate: 1, invalid: 1 });
  // The vendor's public names are exported by both packages, listed by the generated registries.
  expect(result.store).toBe(true);
  const types = readFileSync(join(root, "packages/leadbridge/dist/index.d.ts"), "utf8");
  expect(types).toMatch(/export \{[^}]*\bAcmeDestination\b/);
  expect(types).toMatch(/export \{[^}]*\bAcmeConfig\b/);
});

test("nothing changed but the fixture's files and generated ones", () => {
  const changed = sh("git", ["status", "--porcelain", "--untracked-files=all"])
    .split("\n")
    .filter(Boolean)
    .map((line) => line.slice(3))
    .filter((file) => file !== "leads.csv" && !file.startsWith(".leadbridge/") && !/^leads-report\./.test(file));
  expect(changed.sort()).toEqual([...new Set([...fixtureFiles, ...VENDOR_GENERATED, ...GENERATED])].sort());
});
