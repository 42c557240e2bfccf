// The classifier on authentication (security schemes and requirements) and on oneOf/anyOf unions,
// and the words its summary uses. Companion to spec-diff.test.mjs (same small API).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { diffSpecs, summarize } from "../lib/spec-diff.mjs";
import { writeChangeset } from "../lib/update.mjs";

/** A small API: one operation writing a union, one reading one; `edit` changes it. */
function api(edit = () => {}) {
  const spec = {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    servers: [{ url: "https://api.example.com" }],
    security: [{ Bearer: [] }],
    paths: {
      "/leads": {
        post: {
          operationId: "addLead",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    contact: {
                      oneOf: [{ $ref: "#/components/schemas/Email" }, { $ref: "#/components/schemas/Phone" }],
                    },
                  },
                },
              },
            },
          },
          responses: {
            200: {
              description: "ok",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      id: { oneOf: [{ type: "integer" }, { type: "string" }, { type: "object", required: ["uuid"] }] },
                      source: {
                        anyOf: [
                          {
                            type: "object",
                            required: ["kind", "file"],
                            properties: { kind: { const: "csv" }, file: { type: "string" } },
                          },
                          {
                            type: "object",
                            required: ["kind", "url"],
                            properties: { kind: { const: "api" }, url: { type: "string" } },
                          },
                        ],
                        discriminator: { propertyName: "kind" },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      "/status": { get: { operationId: "status", security: [], responses: { 200: { description: "ok" } } } },
    },
    components: {
      securitySchemes: {
        Bearer: { type: "http", scheme: "bearer" },
        Unused: { type: "apiKey", in: "query", name: "k" },
      },
      schemas: {
        Email: { type: "object", required: ["email"], properties: { email: { type: "string" } } },
        Phone: { type: "object", required: ["phone"], properties: { phone: { type: "string" } } },
      },
    },
  };
  edit(spec, spec.components);
  return spec;
}

const diff = (edit) => diffSpecs(api(), api(edit));
const lines = (d) => [
  ...d.operations.flatMap((o) =>
    o.changes.map((c) => `${o.key} ${c.level}: ${[c.where, c.message].filter(Boolean).join(" ")}`),
  ),
  ...d.general.map((c) => `${c.level}: ${[c.where, c.message].filter(Boolean).join(" ")}`),
];
const post = (spec) => spec.paths["/leads"].post;
const responseProps = (spec) => post(spec).responses[200].content["application/json"].schema.properties;
const requestProps = (spec) => post(spec).requestBody.content["application/json"].schema.properties;

describe("security", () => {
  test("the scheme the operations use changes from HTTP bearer to an API-key header: breaking, and summarized", () => {
    const d = diff((_s, c) => (c.securitySchemes.Bearer = { type: "apiKey", in: "header", name: "X-API-Key" }));
    expect(d.level).toBe("breaking");
    expect(lines(d)).toEqual([
      "breaking: security scheme `Bearer` was an HTTP bearer token (Authorization: Bearer …), now an API key in the header `X-API-Key` (used by `addLead`)",
    ]);
    expect(summarize(d)).toContain("BREAKING: security scheme `Bearer` was an HTTP bearer token");
  });

  test.each([
    [
      "the header's name",
      (c) => (c.securitySchemes.Unused = { type: "apiKey", in: "header", name: "k" }),
      "non-breaking",
    ],
    ["an API key's name", (c) => (c.securitySchemes.Unused.name = "key"), "non-breaking"],
  ])("a scheme no operation uses changes (%s): not breaking", (_name, edit, level) => {
    const d = diff((_s, c) => edit(c));
    expect(d.level).toBe(level);
    expect(lines(d)[0]).toMatch(/^non-breaking: security scheme `Unused` .*\(used by no operation\)$/);
  });

  test("a used scheme's name or location changes: breaking", () => {
    const before = api((_s, c) => {
      c.securitySchemes.Bearer = { type: "apiKey", in: "header", name: "X-Key" };
    });
    const renamed = api((_s, c) => {
      c.securitySchemes.Bearer = { type: "apiKey", in: "header", name: "X-Api-Key" };
    });
    const moved = api((_s, c) => {
      c.securitySchemes.Bearer = { type: "apiKey", in: "query", name: "X-Key" };
    });
    expect(diffSpecs(before, renamed).general.map((c) => `${c.level}: ${c.message}`)).toEqual([
      "breaking: was an API key in the header `X-Key`, now an API key in the header `X-Api-Key` (used by `addLead`)",
    ]);
    expect(diffSpecs(before, moved).level).toBe("breaking");
  });

  test("a used scheme removed: breaking; an unused one: not; a new one: not", () => {
    const removed = diff((s, c) => {
      delete c.securitySchemes.Bearer;
      s.security = [];
    });
    expect(removed.level).toBe("breaking");
    expect(lines(removed)).toContain("breaking: security scheme `Bearer` removed (used by `addLead`)");
    expect(diff((_s, c) => delete c.securitySchemes.Unused).level).toBe("non-breaking");
    const added = diff((_s, c) => (c.securitySchemes.Key = { type: "apiKey", in: "header", name: "X-Key" }));
    expect(lines(added)).toEqual([
      "non-breaking: security scheme `Key` added: an API key in the header `X-Key` (used by no operation)",
    ]);
  });

  test("the bearer scheme's case, its bearerFormat or description: no break", () => {
    expect(diff((_s, c) => (c.securitySchemes.Bearer.scheme = "Bearer")).level).toBeNull();
    expect(diff((_s, c) => (c.securitySchemes.Bearer.description = "Your API key")).level).toBe("doc");
    expect(diff((_s, c) => (c.securitySchemes.Bearer.bearerFormat = "JWT")).level).toBe("doc");
  });

  test("global security: an operation that needed none now needs some (breaking); one that needed some, none", () => {
    const required = diff((s) => delete s.paths["/status"].get.security);
    expect(lines(required)).toEqual(["GET /status breaking: security now requires authentication: `Bearer`"]);
    const anonymous = diff((s) => (s.security = []));
    expect(lines(anonymous)).toEqual(["POST /leads non-breaking: security no longer requires authentication"]);
  });

  test("per-operation security: a new alternative is additive, a dropped one breaks, more scopes break", () => {
    const more = diff((s) => (post(s).security = [{ Bearer: [] }, { Unused: [] }]));
    expect(lines(more)).toEqual(["POST /leads non-breaking: security now also accepts `Unused`"]);
    const swapped = diff((s) => (post(s).security = [{ Unused: [] }]));
    expect(lines(swapped)).toEqual([
      "POST /leads breaking: security no longer accepts `Bearer`",
      "POST /leads non-breaking: security now also accepts `Unused`",
    ]);
    const both = diff((s) => (post(s).security = [{ Bearer: [], Unused: [] }]));
    expect(both.level).toBe("breaking");
    const scoped = diffSpecs(
      api((s) => (post(s).security = [{ Bearer: ["leads:write"] }])),
      api((s) => (post(s).security = [{ Bearer: ["leads:write", "leads:admin"] }])),
    );
    expect(lines(scoped)).toEqual(["POST /leads breaking: security `Bearer` now needs scope(s) leads:admin"]);
  });

  test("the same requirement spelled per operation instead of globally: no change", () => {
    expect(diff((s) => (post(s).security = [{ Bearer: [] }])).level).toBeNull();
  });
});

describe("oneOf / anyOf branches are matched by structure, not position", () => {
  test("a reorder is no change", () => {
    const d = diff((s) => {
      responseProps(s).id.oneOf.reverse();
      responseProps(s).source.anyOf.reverse();
      requestProps(s).contact.oneOf.reverse();
    });
    expect(lines(d)).toEqual([]);
    expect(d.level).toBeNull();
  });

  test("reordered enum values, required keys or parameters are no change either", () => {
    const before = api((s, c) => {
      post(s).parameters = [
        { name: "dryRun", in: "query", schema: { type: "boolean" } },
        { name: "source", in: "query", schema: { type: "string", enum: ["csv", "api", "form"] } },
      ];
      c.schemas.Email.required = ["email", "name"];
      c.schemas.Email.properties.name = { type: "string" };
    });
    const after = structuredClone(before);
    post(after).parameters.reverse();
    post(after).parameters[0].schema.enum.reverse();
    after.components.schemas.Email.required.reverse();
    expect(lines(diffSpecs(before, after))).toEqual([]);
  });

  test("removing the middle branch of a response oneOf narrows what the client receives: non-breaking", () => {
    const d = diff((s) => responseProps(s).id.oneOf.splice(1, 1));
    expect(lines(d)).toEqual(["POST /leads non-breaking: response 200: id oneOf alternative removed: string"]);
  });

  test("a new response branch is breaking; in a request it is additive, and a removed one breaks", () => {
    expect(lines(diff((s) => responseProps(s).id.oneOf.push({ type: "boolean" })))).toEqual([
      "POST /leads breaking: response 200: id new oneOf alternative: boolean (readers may now receive it)",
    ]);
    const spec = (edit) =>
      diff((s, c) => {
        c.schemas.Linkedin = { type: "object", required: ["url"], properties: { url: { type: "string" } } };
        edit(s);
      });
    expect(lines(spec((s) => requestProps(s).contact.oneOf.push({ $ref: "#/components/schemas/Linkedin" })))).toEqual([
      "POST /leads non-breaking: request body: contact new oneOf alternative: Linkedin",
    ]);
    expect(lines(diff((s) => requestProps(s).contact.oneOf.shift()))).toEqual([
      "POST /leads breaking: request body: contact oneOf alternative removed: Email",
    ]);
  });

  test("a changed branch is compared with its match, named by its ref or discriminator value", () => {
    const ref = diff((s, c) => {
      requestProps(s).contact.oneOf.reverse();
      c.schemas.Phone.properties.country = { type: "string" };
    });
    expect(lines(ref)).toEqual(["POST /leads non-breaking: request body: contact (Phone).country new optional field"]);
    const disc = diff((s) => {
      const source = responseProps(s).source;
      source.anyOf.reverse();
      source.anyOf[0].properties.url = { type: "integer" };
    });
    expect(lines(disc)).toEqual([
      'POST /leads breaking: response 200: source (kind "api").url type changed from string to integer',
    ]);
  });
});

describe("summary wording", () => {
  test("a change to the document's info reads as one plain sentence", () => {
    const d = diff((s) => (s.info.description = "The API."));
    expect(d.level).toBe("doc");
    const text = summarize(d);
    expect(text).not.toMatch(/document document/);
    expect(text).toContain("- doc: the API's documentation changed (info.description); the types are unchanged");
  });

  test("each changed operation names its verdict", () => {
    const text = summarize(diff((s) => responseProps(s).id.oneOf.push({ type: "boolean" })));
    expect(text).toContain("- `addLead` (POST /leads): **breaking**");
  });

  test("a changeset for a loosened constraint says the change is compatible, not that features were gained", () => {
    const d = diffSpecs(
      api((s) => (requestProps(s).contact.maxProperties = 1)),
      api((s) => (requestProps(s).contact.maxProperties = 2)),
    );
    expect(d.level).toBe("non-breaking");
    const root = mkdtempSync(join(tmpdir(), "leadbridge-changeset-"));
    try {
      const file = writeChangeset(root, { name: "acme" }, [{ name: "@leadbridge/acme", bump: "minor" }], d);
      const text = readFileSync(join(root, file), "utf8");
      expect(text).not.toMatch(/gained features/);
      expect(text).toContain("acme's published API changed compatibly");
      expect(text).toContain(
        "- `addLead` (POST /leads): compatible\n  - non-breaking: `request body: contact` maxProperties 1 → 2",
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
