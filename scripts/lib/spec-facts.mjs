// The facts a vendor's spec states that code needs as values, not only as types: its production server,
// the `maxItems` of arrays and the `enum` values in each operation's JSON request body. Emitted as
// src/generated/facts.ts beside the types, so descriptors import them instead of retyping them.
import { METHODS } from "./filter.mjs";

/** The schema a local `$ref` points at (`#/components/schemas/X`), or the schema itself. */
function deref(spec, schema, seen) {
  let node = schema;
  while (node && typeof node.$ref === "string") {
    if (seen.has(node.$ref)) return null;
    seen = new Set(seen).add(node.$ref);
    const parts = node.$ref
      .replace(/^#\//, "")
      .split("/")
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    node = parts.reduce((at, key) => at?.[key], spec);
  }
  return node ? { node, seen } : null;
}

/**
 * Walks a request body schema, calling `visit(path, schema)` on every schema reached: `path` names it
 * from the body (`leads`, `leads[].status`; "" for the body itself). A `$ref` already on the way is a
 * cycle and is not entered again; allOf/oneOf/anyOf branches are walked at the same path.
 */
function walk(spec, schema, path, visit, seen = new Set()) {
  const resolved = deref(spec, schema, seen);
  if (!resolved) return;
  const { node } = resolved;
  visit(path, node);
  for (const key of ["allOf", "oneOf", "anyOf"])
    for (const branch of node[key] ?? []) walk(spec, branch, path, visit, resolved.seen);
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    walk(spec, property, path ? `${path}.${name}` : name, visit, resolved.seen);
  }
  if (node.items) walk(spec, node.items, `${path}[]`, visit, resolved.seen);
}

const jsonMedia = (content = {}) => Object.keys(content).find((type) => /^application\/(.+\+)?json\b/.test(type));

/**
 * { productionServerUrl, maxItems, enums }: maxItems and enums are keyed by operationId (or
 * "METHOD /path" where the spec names none), then by the value's path in the request body.
 * A path reached twice with different facts (two oneOf branches disagreeing) is left out: no single fact.
 */
export function specFacts(spec) {
  const server = spec.servers?.[0]?.url;
  const maxItems = {};
  const enums = {};
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      const body = deref(spec, operation.requestBody, new Set())?.node;
      const media = jsonMedia(body?.content);
      if (!media) continue;
      const key = operation.operationId ?? `${method.toUpperCase()} ${path}`;
      const found = { maxItems: new Map(), enums: new Map() };
      walk(spec, body.content[media].schema, "", (at, schema) => {
        if (typeof schema.maxItems === "number") note(found.maxItems, at, schema.maxItems);
        if (Array.isArray(schema.enum))
          note(
            found.enums,
            at,
            schema.enum.filter((v) => v !== null),
          );
      });
      collect(maxItems, key, found.maxItems);
      collect(enums, key, found.enums);
    }
  }
  return { productionServerUrl: server, maxItems, enums };
}

const CONFLICT = Symbol("conflict");
function note(map, path, value) {
  if (!map.has(path)) map.set(path, value);
  else if (JSON.stringify(map.get(path)) !== JSON.stringify(value)) map.set(path, CONFLICT);
}
function collect(into, key, map) {
  const entries = [...map].filter(([, v]) => v !== CONFLICT);
  if (entries.length > 0) into[key] = Object.fromEntries(entries);
}

/** The TypeScript module of `specFacts(spec)`: plain `as const` values, so they type as their literals. */
export function factsModule({ productionServerUrl, maxItems, enums }) {
  const literal = (v) => (Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(", ")}]` : JSON.stringify(v));
  // One line per path: `"leads[].status": [1, 10, 100],`.
  const value = (byOperation) => {
    const lines = Object.entries(byOperation).map(([operation, byPath]) => {
      const paths = Object.entries(byPath).map(([path, v]) => `    ${JSON.stringify(path)}: ${literal(v)},`);
      return [`  ${JSON.stringify(operation)}: {`, ...paths, "  },"].join("\n");
    });
    return lines.length ? `{\n${lines.join("\n")}\n}` : "{}";
  };
  return [
    "/** The vendor's production server, the first of the spec's `servers`. */",
    `export const productionServerUrl = ${JSON.stringify(productionServerUrl)};`,
    "",
    "/** Per operation (its operationId), the `maxItems` of the arrays in its JSON request body, by path (`leads`, `items[].accounts`). */",
    `export const requestBodyMaxItems = ${value(maxItems)} as const;`,
    "",
    "/** Per operation (its operationId), the `enum` values of the fields in its JSON request body, by path (`type`, `leads[].status`). */",
    `export const requestBodyEnums = ${value(enums)} as const;`,
    "",
  ].join("\n");
}
