#!/usr/bin/env node
// node scripts/bench/consumer-types.mjs   (after `pnpm build`)
// Issue #11's size and type-check goals, measured, not asserted:
// - each vendor package's tarball (packed and unpacked), as `pnpm pack` makes it;
// - a consumer's `tsc --noEmit` (skipLibCheck false, nodenext) on a file that calls every operation
//   of the whole Instantly client, on TypeScript 5.9 and 7 (goal: under 3 s on these machines).
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { METHODS } from "../lib/filter.mjs";
import { inScratch, installAlone, pack, run, TYPESCRIPT_CONSUMER } from "../lib/pack.mjs";
import { loadVendors } from "../lib/vendors.mjs";

const RUNS = 3;
const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

await inScratch("leadbridge-bench-types-", async (scratch) => {
  let instantlyTarball;
  for (const vendor of loadVendors()) {
    const tarball = pack(vendor.packageDir, join(scratch, vendor.name));
    const listing = run("tar", ["-tvzf", tarball], scratch)
      .trim()
      .split("\n")
      .map((line) => Number(line.split(/\s+/)[2]));
    console.log(
      `${vendor.package}: tarball ${kB(statSync(tarball).size)}, unpacked ${kB(listing.reduce((a, b) => a + b, 0))} in ${listing.length} files`,
    );
    if (vendor.name === "instantly") instantlyTarball = tarball;
  }

  const project = join(scratch, "consumer");
  installAlone(project, [instantlyTarball, ...TYPESCRIPT_CONSUMER], {
    name: "consumer",
    version: "1.0.0",
    type: "module",
  });
  const spec = parse(
    readFileSync(join(project, "node_modules/@leadbridge/instantly/src/generated/openapi.yaml"), "utf8"),
    {
      maxAliasCount: -1,
    },
  );
  const calls = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS)
      if (item[method]) calls.push(`  await client.${method.toUpperCase()}(${JSON.stringify(path)}, init);`);
  }
  writeFileSync(
    join(project, "index.ts"),
    `import { createInstantlyClient } from "@leadbridge/instantly";\nconst client = createInstantlyClient({ apiKey: "k" });\n// Every operation of the client: each call makes the compiler resolve its path, method and types.\nexport async function everyOperation(init: never) {\n${calls.join("\n")}\n}\n`,
  );
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
        target: "es2022",
      },
      files: ["index.ts"],
    }),
  );
  console.log(`consumer: index.ts calls all ${calls.length} operations of @leadbridge/instantly`);
  for (const [label, bin] of [
    ["TypeScript 5.9", "typescript/bin/tsc"],
    ["TypeScript 7", "typescript7/bin/tsc"],
  ]) {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      run(process.execPath, [join(project, "node_modules", bin), "-p", "."], project);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${label}: tsc --noEmit ${(times[Math.floor(RUNS / 2)] / 1000).toFixed(2)} s median of ${RUNS} (${times.map((t) => (t / 1000).toFixed(2)).join(", ")} s), wall incl. start-up`,
    );
  }
});
