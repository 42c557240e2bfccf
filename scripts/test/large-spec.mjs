// A whole vendor API of a few hundred paths and several MB: Instantly's published document (with
// the "additive" edit) grown by synthetic resources, for the large-spec test and scripts/bench/large-spec.mjs.
import { instantlyNextDocument } from "./fixtures/instantly-next.mjs";

const words = "lead campaign list email verification status workspace account sequence reply bounce".split(" ");
const prose = (i, n) => Array.from({ length: n }, (_, k) => words[(i * 7 + k) % words.length]).join(" ");

/** `root`'s Instantly document, "additive" edit, plus `paths` resource paths (4 operations each) and their schemas. */
export function largeInstantlySpec(root, { paths = 200, properties = 40 } = {}) {
  const spec = instantlyNextDocument(root, "additive");
  for (let i = 0; i < paths; i++) {
    const name = `Resource${i}`;
    spec.components.schemas[name] = {
      type: "object",
      description: prose(i, 40),
      required: ["id"],
      properties: Object.fromEntries(
        Array.from({ length: properties }, (_, p) => [
          `field_${p}`,
          p % 5 === 0
            ? { type: "string", enum: ["alpha", "beta", "gamma", "delta"], description: prose(i + p, 25) }
            : p % 7 === 0
              ? {
                  type: "array",
                  items: { $ref: `#/components/schemas/Resource${(i + 1) % paths}` },
                  description: prose(p, 20),
                }
              : { type: ["string", "null"], description: prose(i + p, 25), example: prose(p, 3) },
        ]),
      ),
    };
    const ref = { $ref: `#/components/schemas/${name}` };
    const json = (schema) => ({ "application/json": { schema } });
    spec.paths[`/api/v2/resource-${i}`] = {
      get: {
        operationId: `list${name}`,
        summary: prose(i, 6),
        description: prose(i, 60),
        parameters: [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } }],
        responses: { 200: { description: "ok", content: json({ type: "array", items: ref }) } },
      },
      post: {
        operationId: `create${name}`,
        summary: prose(i, 6),
        description: prose(i, 60),
        requestBody: { required: true, content: json(ref) },
        responses: { 200: { description: "ok", content: json(ref) } },
      },
    };
    spec.paths[`/api/v2/resource-${i}/{id}`] = {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      patch: {
        operationId: `update${name}`,
        summary: prose(i, 6),
        requestBody: { content: json(ref) },
        responses: { 200: { description: "ok", content: json(ref) } },
      },
      delete: {
        operationId: `delete${name}`,
        summary: prose(i, 6),
        responses: { 200: { description: "ok", content: json(ref) } },
      },
    };
  }
  return spec;
}
