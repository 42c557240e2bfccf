// The facts generated beside the types (src/generated/facts.ts) and `pnpm generate:check` catching them stale.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { descriptor as amplemarket } from "../../packages/amplemarket/src/descriptor.ts";
import { descriptor as instantly } from "../../packages/instantly/src/descriptor.ts";
import { descriptor as nlpearl } from "../../packages/nlpearl/src/descriptor.ts";
import { specFacts } from "../lib/spec-facts.mjs";
import { copyRepo, run } from "./helpers.mjs";

const body = (schema) => ({ content: { "application/json": { schema } } });

describe("specFacts", () => {
  const spec = {
    servers: [{ url: "https://api.example.com" }, { url: "https://sandbox.example.com" }],
    paths: {
      "/leads": {
        post: {
          operationId: "addLeads",
          requestBody: { $ref: "#/components/requestBodies/Leads" },
        },
        put: {
          requestBody: body({
            oneOf: [
              { type: "object", properties: { kind: { enum: ["a", "b"] } } },
              { type: "object", properties: { kind: { enum: ["c"] } } },
            ],
          }),
        },
      },
      "/notes": {
        post: { operationId: "addNote", requestBody: { content: { "text/plain": { schema: { enum: ["x"] } } } } },
      },
    },
    components: {
      requestBodies: { Leads: body({ $ref: "#/components/schemas/Leads" }) },
      schemas: {
        Leads: {
          allOf: [
            {
              type: "object",
              properties: { leads: { type: "array", maxItems: 500, items: { $ref: "#/components/schemas/Lead" } } },
            },
            { type: "object", properties: { mode: { type: "string", enum: ["fast", "safe", null] } } },
          ],
        },
        Lead: {
          type: "object",
          properties: {
            status: { type: "integer", enum: [1, 2] },
            tags: { type: "array", maxItems: 10, items: { type: "string", enum: ["hot", "cold"] } },
            referrer: { $ref: "#/components/schemas/Lead" },
          },
        },
      },
    },
  };

  test("reads maxItems and enums through $refs, allOf and array items, keyed by operation then path; a recursive $ref is walked once", () => {
    const facts = specFacts(spec);
    expect(facts.productionServerUrl).toBe("https://api.example.com");
    expect(facts.maxItems).toEqual({ addLeads: { leads: 500, "leads[].tags": 10 } });
    expect(facts.enums.addLeads).toEqual({
      mode: ["fast", "safe"],
      "leads[].status": [1, 2],
      "leads[].tags[]": ["hot", "cold"],
    });
  });

  test("leaves out a path whose branches disagree, and bodies that are not JSON", () => {
    const facts = specFacts(spec);
    expect(facts.enums["PUT /leads"]).toBeUndefined();
    expect(facts.enums.addNote).toBeUndefined();
  });
});

describe("the vendor descriptors read the generated facts", () => {
  test("with the values the vendors document", () => {
    expect(instantly.maxLeadsPerRequest).toBe(1000);
    expect(amplemarket.maxLeadsPerRequest).toBe(10_000);
    expect(nlpearl.maxLeadsPerRequest).toBe(50_000);
    const type = amplemarket.destinations[0].fields.find((f) => f.option === "type");
    expect([...type.values].sort()).toEqual(["email", "linkedin", "titles_and_company"]);
    expect(instantly.productionServer).toBe("https://api.instantly.ai");
  });
});

describe("pnpm generate:check", () => {
  let root;
  beforeAll(() => {
    root = copyRepo(["amplemarket"]);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const generated = () => join(root, "packages/amplemarket/src/generated");

  test("passes on what `pnpm generate` wrote", () => {
    const check = run(root, "generate.mjs", ["--check", "amplemarket"]);
    expect(check.stdout).toMatch(/✓ generated code matches specs\/ for amplemarket/);
    expect(check.status).toBe(0);
  });

  test("fails on a fact edited by hand, showing the difference", () => {
    const facts = join(generated(), "facts.ts");
    const fresh = readFileSync(facts, "utf8");
    writeFileSync(facts, fresh.replace('"leads": 10000', '"leads": 20000'));
    const check = run(root, "generate.mjs", ["--check", "amplemarket"]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain("packages/amplemarket/src/generated/facts.ts (committed)");
    expect(check.stdout).toMatch(/^-\s+"leads": 20000,$/m);
    expect(check.stdout).toMatch(/^\+\s+"leads": 10000,$/m);
    expect(check.stderr).toMatch(/1 generated file\(s\) disagree with specs\//);
    writeFileSync(facts, fresh);
  });

  test("fails on a file no longer generated, and `pnpm generate` removes it", () => {
    writeFileSync(
      join(generated(), "server.ts"),
      'export const productionServerUrl = "https://api.amplemarket.com";\n',
    );
    const check = run(root, "generate.mjs", ["--check", "amplemarket"]);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/server\.ts is committed but no longer generated/);
    expect(run(root, "generate.mjs", ["amplemarket"]).status).toBe(0);
    expect(run(root, "generate.mjs", ["--check", "amplemarket"]).status).toBe(0);
  });

  test("refuses an unknown flag with the usage, and prints it for --help", () => {
    const bad = run(root, "generate.mjs", ["--chek"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--chek'[\s\S]*usage: pnpm generate \[--check\] \[vendor\.\.\.\]/);
    const help = run(root, "generate.mjs", ["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: pnpm generate/);
  });
});
