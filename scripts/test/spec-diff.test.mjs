// The classifier's rule table (specs/README.md), on OpenAPI 3.0 and 3.1 documents alike.
import { describe, expect, test } from "vitest";
import { filterOperations } from "../lib/filter.mjs";
import { bumpFor, diffSpecs, summarize } from "../lib/spec-diff.mjs";

/** A small API in either version; `nullable` is spelled the version's way. */
function api(version, edit = () => {}) {
  const nullableString = version === "3.0.3" ? { type: "string", nullable: true } : { type: ["string", "null"] };
  const spec = {
    openapi: version,
    info: { title: "t", version: "1" },
    servers: [{ url: "https://api.example.com" }],
    paths: {
      "/lists/{id}/leads": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        post: {
          operationId: "addLeads",
          parameters: [{ name: "dryRun", in: "query", schema: { type: "boolean" } }],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/AddLeads" } } },
          },
          responses: {
            200: {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Result" } } },
            },
          },
        },
      },
      "/leads": { get: { operationId: "listLeads", responses: { 200: { description: "ok" } } } },
    },
    components: {
      schemas: {
        AddLeads: {
          type: "object",
          required: ["leads"],
          properties: {
            leads: { type: "array", maxItems: 100, items: { $ref: "#/components/schemas/Lead" } },
            kind: { type: "string", enum: ["a", "b"] },
          },
        },
        Lead: {
          type: "object",
          properties: {
            email: { type: "string" },
            note: nullableString,
            manager: { $ref: "#/components/schemas/Lead" },
          },
        },
        Result: {
          type: "object",
          properties: {
            added: { type: "integer" },
            status: { type: "string", enum: ["ok", "partial"] },
            id: nullableString,
          },
        },
      },
    },
  };
  edit(spec.components.schemas, spec);
  return spec;
}

const changes = (diff) =>
  diff.operations.flatMap((o) => o.changes.map((c) => `${c.level}: ${[c.where, c.message].filter(Boolean).join(" ")}`));

describe.each(["3.0.3", "3.1.0"])("OpenAPI %s", (version) => {
  const diff = (edit) => diffSpecs(api(version), api(version, edit));

  test("no change, including a recursive schema, is no change", () => {
    expect(diff(() => {}).level).toBeNull();
  });

  test.each([
    [
      "new optional request field",
      (s) => (s.Lead.properties.phone = { type: "string" }),
      "non-breaking: request body: leads[].phone new optional field",
    ],
    [
      "new required request field",
      (s) => {
        s.Lead.properties.phone = { type: "string" };
        s.Lead.required = ["phone"];
      },
      "breaking: request body: leads[].phone new required field",
    ],
    [
      "request field made required",
      (s) => (s.Lead.required = ["email"]),
      "breaking: request body: leads[].email now required",
    ],
    [
      "removed request field",
      (s) => delete s.Lead.properties.email,
      "breaking: request body: leads[].email field removed (code that sets it no longer compiles)",
    ],
    ["removed response field", (s) => delete s.Result.properties.added, "breaking: response 200: added field removed"],
    [
      "new response field",
      (s) => (s.Result.properties.skipped = { type: "integer" }),
      "non-breaking: response 200: skipped new field",
    ],
    [
      "narrowed request enum",
      (s) => (s.AddLeads.properties.kind.enum = ["a"]),
      'breaking: request body: kind enum narrowed: removed "b"',
    ],
    [
      "widened request enum",
      (s) => (s.AddLeads.properties.kind.enum = ["a", "b", "c"]),
      'non-breaking: request body: kind enum widened: added "c"',
    ],
    [
      "narrowed response enum",
      (s) => (s.Result.properties.status.enum = ["ok"]),
      'breaking: response 200: status enum narrowed: removed "partial"',
    ],
    [
      "widened response enum",
      (s) => (s.Result.properties.status.enum = ["ok", "partial", "failed"]),
      'non-breaking: response 200: status enum widened: added "failed" (readers may now receive it)',
    ],
    [
      "changed type",
      (s) => (s.Result.properties.added = { type: "string" }),
      "breaking: response 200: added type changed from integer to string",
    ],
    [
      "response field may now be null",
      (s) =>
        (s.Result.properties.added =
          version === "3.0.3" ? { type: "integer", nullable: true } : { type: ["integer", "null"] }),
      "breaking: response 200: added may now be null",
    ],
    [
      "request field no longer nullable",
      (s) => (s.Lead.properties.note = { type: "string" }),
      "breaking: request body: leads[].note is no longer nullable",
    ],
    [
      "tighter request constraint",
      (s) => (s.AddLeads.properties.leads.maxItems = 50),
      "breaking: request body: leads maxItems 100 → 50",
    ],
    [
      "looser request constraint",
      (s) => (s.AddLeads.properties.leads.maxItems = 500),
      "non-breaking: request body: leads maxItems 100 → 500",
    ],
    [
      "description only",
      (s) => (s.Lead.properties.email.description = "The email."),
      "doc: request body: leads[].email description changed",
    ],
  ])("%s", (_name, edit, expected) => {
    const result = diff(edit);
    expect(changes(result)).toEqual([expected]);
    expect(result.level).toBe(expected.split(":")[0]);
  });

  test("parameters: removed optional, new required, new optional", () => {
    const removed = diff((_s, spec) => (spec.paths["/lists/{id}/leads"].post.parameters = []));
    expect(changes(removed)).toEqual(["breaking: query parameter `dryRun` parameter removed"]);
    const added = diff((_s, spec) =>
      spec.paths["/lists/{id}/leads"].post.parameters.push({
        name: "source",
        in: "query",
        required: true,
        schema: { type: "string" },
      }),
    );
    expect(changes(added)).toEqual(["breaking: query parameter `source` new required parameter"]);
    const optional = diff((_s, spec) =>
      spec.paths["/lists/{id}/leads"].post.parameters.push({ name: "source", in: "query", schema: { type: "string" } }),
    );
    expect(changes(optional)).toEqual(["non-breaking: query parameter `source` new optional parameter"]);
  });

  test("operations: removed is breaking, added is not, renamed operationId is breaking", () => {
    const removed = diff((_s, spec) => delete spec.paths["/leads"]);
    expect(removed.level).toBe("breaking");
    expect(summarize(removed)).toContain("- `listLeads` (GET /leads): **removed**");
    const added = diff(
      (_s, spec) =>
        (spec.paths["/lists"] = { get: { operationId: "lists", responses: { 200: { description: "ok" } } } }),
    );
    expect(changes(added)).toEqual(["non-breaking: new operation"]);
    const renamed = diff((_s, spec) => (spec.paths["/leads"].get.operationId = "getLeads"));
    expect(changes(renamed)[0]).toMatch(/^breaking: operationId renamed from "listLeads" to "getLeads"/);
  });

  test("a change the rules do not name is still reported, as breaking to review", () => {
    const callbacks = { done: { "{$request.query.url}": { post: { responses: { 200: { description: "ok" } } } } } };
    const result = diff((_s, spec) => (spec.paths["/leads"].get.callbacks = callbacks));
    expect(result.level).toBe("breaking");
    expect(changes(result)[0]).toMatch(/unclassified/);
  });

  test("the declared subset: a declared operation the vendor removed is reported, never dropped silently", () => {
    const declared = ["POST /lists/{id}/leads", "listLeads"];
    const before = filterOperations(api(version), declared).spec;
    const filtered = filterOperations(
      api(version, (_s, spec) => delete spec.paths["/leads"]),
      declared,
    );
    expect(filtered.missing).toEqual(["listLeads"]);
    expect(summarize(diffSpecs(before, filtered.spec))).toContain("**removed**");
    // The filter keeps what the declared operations reach and drops the rest.
    const only = filterOperations(api(version), ["listLeads"]).spec;
    expect(Object.keys(only.paths)).toEqual(["/leads"]);
    expect(only.components).toEqual({});
  });
});

test("bump convention: breaking is major from 1.0, minor while 0.x; additions minor; doc patch", () => {
  expect(bumpFor("breaking", "0.3.1")).toBe("minor");
  expect(bumpFor("breaking", "1.2.0")).toBe("major");
  expect(bumpFor("non-breaking", "0.3.1")).toBe("minor");
  expect(bumpFor("doc", "1.2.0")).toBe("patch");
  expect(bumpFor(null, "1.2.0")).toBeNull();
});
