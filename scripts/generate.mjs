#!/usr/bin/env node
// pnpm generate [vendor...]        regenerate packages/<vendor>/src/generated from specs/<vendor>
// pnpm generate:check [vendor...]  regenerate into a temporary directory and diff against what is committed
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createTwoFilesPatch } from "diff";
import { generateVendor } from "./lib/generate-vendor.mjs";
import { loadVendors, repoRoot, selectVendors } from "./lib/vendors.mjs";

const args = process.argv.slice(2);
const check = args.includes("--check");
const rootIndex = args.indexOf("--root");
const root = rootIndex >= 0 ? args[rootIndex + 1] : repoRoot;
const names = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--root");

const vendors = selectVendors(loadVendors(root), names);
const started = performance.now();

if (!check) {
  for (const vendor of vendors) {
    const files = await generateVendor(vendor);
    rmSync(vendor.generatedDir, { recursive: true, force: true });
    mkdirSync(vendor.generatedDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(vendor.generatedDir, name), text);
    console.log(`generated ${relative(root, vendor.generatedDir)} (${Object.keys(files).join(", ")})`);
  }
  console.log(`done in ${Math.round(performance.now() - started)} ms`);
} else {
  const scratch = mkdtempSync(join(tmpdir(), "leadbridge-generate-"));
  let stale = 0;
  try {
    for (const vendor of vendors) {
      const files = await generateVendor(vendor);
      const committedDir = vendor.generatedDir;
      const committed = existsSync(committedDir) ? readdirSync(committedDir) : [];
      const where = relative(root, committedDir);
      for (const [name, fresh] of Object.entries(files)) {
        writeFileSync(join(scratch, `${vendor.name}-${name}`), fresh);
        const path = join(committedDir, name);
        const current = existsSync(path) ? readFileSync(path, "utf8") : "";
        if (current === fresh) continue;
        stale++;
        process.stdout.write(
          createTwoFilesPatch(
            `${where}/${name} (committed)`,
            `${where}/${name} (from specs/${vendor.name})`,
            current,
            fresh,
            "",
            "",
            { context: 2 },
          ),
        );
      }
      for (const name of committed.filter((n) => !(n in files))) {
        stale++;
        console.log(`${where}/${name} is committed but no longer generated`);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (stale > 0) {
    console.error(`\n✗ ${stale} generated file(s) disagree with specs/. Run \`pnpm generate\` and commit the result.`);
    process.exit(1);
  }
  console.log(
    `✓ generated code matches specs/ for ${vendors.map((v) => v.name).join(", ")} (${Math.round(performance.now() - started)} ms)`,
  );
}
