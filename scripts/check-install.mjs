#!/usr/bin/env node
// Packs each vendor package, installs it alone into an empty project, and proves it works
// there from `import` and `require` (against prism mock of the spec the package ships),
// and that its types compile, and reject a wrong payload, on TypeScript 5.9 and 7 (see `consumer`).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
// Run with tsx: it imports the TypeScript source of packages/testing.
import { startPrism } from "../packages/prism/src/index.ts";
import { inScratch, installAlone, pack, run, TYPESCRIPT_CONSUMER } from "./lib/pack.mjs";
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

// A consumer of each package, type-checked with `skipLibCheck: false` on TypeScript 5.9 and the
// 7.x `npm i typescript` installs today, under nodenext in a CommonJS package (`npm init -y`),
// nodenext in an ESM package, and bundler. Each uses the client and has a wrong payload marked
// @ts-expect-error: were the client `any` (a broken .d.cts), the unused directive fails the check.
const consumer = {
  instantly: `import { createInstantlyClient, paginate, unwrap, type InstantlyErrorBody } from "@leadbridge/instantly";
const client = createInstantlyClient({ apiKey: "k" });
export async function consume(): Promise<number> {
  const added = unwrap(await client.POST("/api/v2/leads/add", { body: { campaign_id: "c", leads: [{ email: "a@example.com" }] } }));
  for await (const campaign of paginate(client, "/api/v2/campaigns", { query: { limit: 100 } })) {
    const name: string = campaign.name;
    void name;
  }
  // @ts-expect-error a wrong payload: email is a string
  await client.POST("/api/v2/leads/add", { body: { campaign_id: "c", leads: [{ email: 42 }] } });
  return added.leads_uploaded;
}
export const isError = (e: InstantlyErrorBody) => e;
`,
  amplemarket: `import { createAmplemarketClient, unwrap, type AmplemarketErrorBody } from "@leadbridge/amplemarket";
const client = createAmplemarketClient({ apiKey: "k" });
export async function consume() {
  const params = { path: { id: "l1" } };
  const added = unwrap(await client.POST("/lead-lists/{id}/leads", { params, body: { type: "email", leads: [{ email: "a@example.com" }] } }));
  // @ts-expect-error a wrong payload: email is a string
  await client.POST("/lead-lists/{id}/leads", { params, body: { type: "email", leads: [{ email: 42 }] } });
  return added;
}
export const isError = (e: AmplemarketErrorBody) => e;
`,
  nlpearl: `import { createNlpearlClient, unwrap, type NlpearlErrorBody } from "@leadbridge/nlpearl";
const client = createNlpearlClient({ accountId: "a", secretKey: "s" });
export async function consume(): Promise<boolean> {
  const params = { path: { pearlId: "p" } };
  const added = unwrap(await client.POST("/v2/Outbound/{pearlId}/Leads/Add", { params, body: { leads: [{ phoneNumber: "+14155550100" }] } }));
  // @ts-expect-error a wrong payload: phoneNumber is a string
  await client.POST("/v2/Outbound/{pearlId}/Leads/Add", { params, body: { leads: [{ phoneNumber: 14155550100 }] } });
  return added;
}
export const isError = (e: NlpearlErrorBody) => e;
`,
};
const setups = {
  "nodenext-cjs": { type: "commonjs", compilerOptions: { module: "nodenext" } },
  "nodenext-esm": { type: "module", compilerOptions: { module: "nodenext" } },
  bundler: { type: "module", compilerOptions: { module: "esnext", moduleResolution: "bundler" } },
};

function writeTypeMatrix(project, vendor) {
  for (const [name, { type, compilerOptions }] of Object.entries(setups)) {
    const dir = join(project, name);
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${name}`, version: "1.0.0", type }));
    writeFileSync(join(dir, "index.ts"), consumer[vendor.name]);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          ...compilerOptions,
          target: "es2022",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
        },
        files: ["index.ts"],
      }),
    );
  }
}

/** Type-checks every setup on both compilers; throws with the compiler's output on the first failure. */
function checkTypeMatrix(project) {
  const checked = [];
  for (const [ts, bin] of [
    ["5.9", "typescript/bin/tsc"],
    ["7", "typescript7/bin/tsc"],
  ]) {
    const tsc = join(project, "node_modules", bin);
    for (const name of Object.keys(setups)) {
      try {
        run(process.execPath, [tsc, "-p", "."], join(project, name));
      } catch (error) {
        error.message = `TypeScript ${ts}, ${name}: ${error.message}`;
        throw error;
      }
      checked.push(`TS ${ts} ${name}`);
    }
  }
  return checked;
}

const failures = await inScratch("leadbridge-install-", async (scratch) => {
  let failed = 0;
  for (const vendor of loadVendors()) {
    const [factory, options, method, path, init] = smoke[vendor.name];
    const project = join(scratch, vendor.name);
    installAlone(project, [pack(vendor.packageDir, scratch), ...TYPESCRIPT_CONSUMER]);

    const call = `const client = ${factory}({ ...${JSON.stringify(options)}, baseUrl: process.env.API_URL });
const { data, response } = await client.${method}(${JSON.stringify(path)}, ${JSON.stringify(init)});
if (!response.ok || data === undefined) throw new Error("call failed: " + response.status);
console.log("ok", response.status);`;
    writeFileSync(join(project, "esm.mjs"), `import { ${factory} } from "${vendor.package}";\n${call}\n`);
    writeFileSync(
      join(project, "cjs.cjs"),
      `const { ${factory} } = require("${vendor.package}");\n(async () => {\n${call}\n})().catch((e) => { console.error(e); process.exit(1); });\n`,
    );
    writeTypeMatrix(project, vendor);
    const spec = join(project, "node_modules", vendor.package, "src/generated/openapi.yaml");
    const prism = await startPrism({ mode: "mock", spec });
    try {
      for (const file of ["esm.mjs", "cjs.cjs"]) run(process.execPath, [file], project, { API_URL: prism.url });
      const checked = checkTypeMatrix(project);
      console.log(
        `✓ ${vendor.package}: packed, installed alone, works from import and require; types: ${checked.join(", ")} (wrong payloads rejected in each)`,
      );
    } catch (error) {
      failed++;
      console.error(`✗ ${vendor.package}: ${error.message}\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    } finally {
      await prism.close();
    }
  }
  return failed;
});
process.exit(failures ? 1 : 0);
