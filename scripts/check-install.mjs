#!/usr/bin/env node
// Packs each vendor package, installs it alone into an empty project, and proves it works
// there from `import` and `require` (against prism mock of the spec the package ships),
// and that its types compile for ESM and CJS consumers.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// Run with tsx: it imports the TypeScript source of packages/testing.
import { startPrism } from "../packages/testing/src/prism.ts";
import { loadVendors } from "./lib/vendors.mjs";

// One real call per vendor: [factory, options, method, path, request init].
const smoke = {
  instantly: [
    "createInstantlyClient",
    { apiKey: "k" },
    "POST",
    "/api/v2/leads/add",
    { body: { campaign_id: "019e0e3e-b690-71a9-b399-fbf49894dded", leads: [{ email: "a@example.com" }] } },
  ],
  amplemarket: [
    "createAmplemarketClient",
    { apiKey: "k" },
    "POST",
    "/lead-lists/{id}/leads",
    { params: { path: { id: "l1" } }, body: { type: "email", leads: [{ email: "a@example.com" }] } },
  ],
  nlpearl: [
    "createNlpearlClient",
    { accountId: "a", secretKey: "s" },
    "POST",
    "/v2/Outbound/{pearlId}/Leads/Add",
    { params: { path: { pearlId: "p" } }, body: { leads: [{ phoneNumber: "+14155550100" }] } },
  ],
};

const run = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });

const scratch = mkdtempSync(join(tmpdir(), "leadbridge-install-"));
let failures = 0;
try {
  for (const vendor of loadVendors()) {
    const [factory, options, method, path, init] = smoke[vendor.name];
    const project = join(scratch, vendor.name);
    mkdirSync(project);
    run("pnpm", ["pack", "--pack-destination", project], vendor.packageDir);
    const tarball = readdirSync(project).find((f) => f.endsWith(".tgz"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--silent", `./${tarball}`, "typescript@5.9", "@types/node@20"],
      project,
    );

    const call = `const client = ${factory}({ ...${JSON.stringify(options)}, baseUrl: process.env.API_URL });
const { data, response } = await client.${method}(${JSON.stringify(path)}, ${JSON.stringify(init)});
if (!response.ok || data === undefined) throw new Error("call failed: " + response.status);
console.log("ok", response.status);`;
    writeFileSync(join(project, "esm.mjs"), `import { ${factory} } from "${vendor.package}";\n${call}\n`);
    writeFileSync(
      join(project, "cjs.cjs"),
      `const { ${factory} } = require("${vendor.package}");\n(async () => {\n${call}\n})().catch((e) => { console.error(e); process.exit(1); });\n`,
    );
    const typed = `import { ${factory}, type paths } from "${vendor.package}";
const client = ${factory}(${JSON.stringify(options)});
type Path = keyof paths;
const path: Path = ${JSON.stringify(path)};
// @ts-expect-error a path the vendor does not have
const wrong: Path = "/not/a/path";
void client; void path; void wrong;
`;
    writeFileSync(join(project, "types.mts"), typed);
    writeFileSync(join(project, "types.cts"), typed);
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "node16",
          moduleResolution: "node16",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
        },
        files: ["types.mts", "types.cts"],
      }),
    );

    const spec = join(project, "node_modules", vendor.package, "src/generated/openapi.yaml");
    const prism = await startPrism({ mode: "mock", spec });
    try {
      for (const file of ["esm.mjs", "cjs.cjs"]) run(process.execPath, [file], project, { API_URL: prism.url });
      run(process.execPath, [join(project, "node_modules/typescript/bin/tsc"), "-p", "."], project);
      console.log(
        `✓ ${vendor.package}: packed, installed alone, works from import and require, types compile (node16 ESM + CJS)`,
      );
    } catch (error) {
      failures++;
      console.error(`✗ ${vendor.package}: ${error.message}\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    } finally {
      await prism.close();
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
