// Contract cases derived from a bundled vendor spec, so a spec update tests its new operations with
// no new code: for every operation a valid request (the spec's examples, else a minimal valid body
// sampled from its schema, the way Prism samples), its documented success and error statuses, and
// invalid requests built from the body schema's own constraints (required, enum, maxItems, format).
import { readFileSync } from "node:fs";
import { sample } from "@stoplight/json-schema-sampler";
import { parse } from "yaml";

// biome-ignore lint/suspicious/noExplicitAny: a parsed OpenAPI document is untyped JSON.
type Json = any;

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const FORMATS = new Set(["uuid", "email", "date-time", "date", "uri", "ipv4"]);
/** Above this, building an over-long array costs more than the case is worth. */
const MAX_ITEMS_CHECKED = 10_000;

export interface SpecOperation {
  /** "POST /api/v2/leads/add" */
  key: string;
  method: string;
  path: string;
  operation: Json;
  /** Path-level and operation-level parameters, dereferenced. */
  parameters: Json[];
}

export interface ContractRequest {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown> };
  body?: unknown;
  headers: Record<string, string>;
  parseAs: "json" | "text";
}

export interface InvalidCase {
  name: string;
  body: unknown;
  /** Where Prism must report the violation, e.g. ["request", "body", "leads"]. */
  location: string[];
}

export const loadSpec = (file: string): Json => parse(readFileSync(file, "utf8"), { maxAliasCount: -1 });

const pointer = (spec: Json, ref: string): Json =>
  ref
    .replace(/^#\//, "")
    .split("/")
    .reduce((node, part) => node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], spec);

export function deref(spec: Json, node: Json): Json {
  let out = node;
  for (let i = 0; out?.$ref && i < 32; i++) out = pointer(spec, out.$ref);
  return out;
}

/** Every operation of the spec, in document order. */
export function operationsOf(spec: Json): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      const byKey = new Map<string, Json>();
      for (const p of [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(spec, p))) {
        byKey.set(`${p.in}:${p.name}`, p);
      }
      out.push({ key: `${method.toUpperCase()} ${path}`, method, path, operation, parameters: [...byKey.values()] });
    }
  }
  return out;
}

/**
 * A sample of `schema` (its examples where it has them), by Prism's own sampler. An object that
 * pairs `properties` with an `anyOf`/`oneOf` of `required` lists ("campaign_id or list_id") is
 * sampled with its first branch merged in, which the sampler alone would sample instead.
 */
function sampled(spec: Json, raw: Json): unknown {
  const schema = deref(spec, raw) ?? {};
  const branch = schema.properties && schema.example === undefined && deref(spec, (schema.anyOf ?? schema.oneOf)?.[0]);
  if (!branch) return sample(schema, { skipReadOnly: true, quiet: true }, spec);
  const { anyOf: _a, oneOf: _o, ...rest } = schema;
  return sample(
    {
      ...rest,
      properties: { ...branch.properties, ...rest.properties },
      required: [...(rest.required ?? []), ...(branch.required ?? [])],
    },
    { skipReadOnly: true, quiet: true },
    spec,
  );
}

function exampleOf(spec: Json, holder: Json): unknown {
  if (holder.example !== undefined) return holder.example;
  const first = holder.examples && Object.values<Json>(holder.examples)[0];
  if (first !== undefined) return deref(spec, first).value;
  return sampled(spec, holder.schema);
}

const jsonMedia = (content: Json) =>
  content && Object.keys(content).find((type) => /^application\/(.+\+)?json$|^\*\/\*$/.test(type));

/** The numeric statuses an operation documents, as numbers. */
const statusesOf = (op: SpecOperation) =>
  Object.keys(op.operation.responses ?? {})
    .filter((s) => /^\d{3}$/.test(s))
    .map(Number);

/** The first documented 2xx. */
export const successStatus = (op: SpecOperation): number | undefined => statusesOf(op).find((s) => s >= 200 && s < 300);

/** Every documented 4xx and 5xx. */
export const errorStatuses = (op: SpecOperation): number[] => statusesOf(op).filter((s) => s >= 400);

/** Whether the documented answer for `status` has a body. */
export const hasBody = (op: SpecOperation, status: number) =>
  Object.keys(op.operation.responses?.[String(status)]?.content ?? {}).length > 0;

/** A valid request: every path parameter, the required query and header parameters, and a body. */
export function validRequest(spec: Json, op: SpecOperation): ContractRequest {
  const params: ContractRequest["params"] = { path: {}, query: {}, header: {} };
  for (const p of op.parameters) {
    if (p.in === "path" || (p.required && (p.in === "query" || p.in === "header"))) {
      params[p.in as "path" | "query" | "header"][p.name] = exampleOf(spec, p);
    }
  }
  const request: ContractRequest = { params, headers: {}, parseAs: "json" };
  const body = deref(spec, op.operation.requestBody);
  const media = jsonMedia(body?.content);
  if (media) request.body = exampleOf(spec, body.content[media]);
  const ok = successStatus(op);
  const answers = Object.keys(op.operation.responses?.[String(ok)]?.content ?? {});
  if (answers.length > 0 && !jsonMedia(op.operation.responses[String(ok)].content)) {
    request.headers.Accept = answers[0]!;
    request.parseAs = "text";
  }
  return request;
}

/** The top-level object schema of the JSON body, with `allOf` parts merged. */
function bodySchema(spec: Json, op: SpecOperation): Json {
  const body = deref(spec, op.operation.requestBody);
  const media = jsonMedia(body?.content);
  const schema = media && deref(spec, body.content[media].schema);
  if (!schema) return undefined;
  const parts = [schema, ...(schema.allOf ?? []).map((s: Json) => deref(spec, s))];
  return {
    properties: Object.assign({}, ...parts.map((s) => s.properties ?? {})),
    required: parts.flatMap((s) => s.required ?? []),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const types = (schema: Json): string[] => [schema?.type ?? []].flat();

/**
 * Requests the body schema itself forbids, one constraint each: a required property missing, a
 * value outside an enum, more items than `maxItems`, a string that is not its declared `format`.
 */
export function invalidBodies(spec: Json, op: SpecOperation, valid: unknown): InvalidCase[] {
  const schema = bodySchema(spec, op);
  if (!schema || !isObject(valid)) return [];
  const cases: InvalidCase[] = [];
  const at = (name: string) => ["request", "body", name];
  for (const name of schema.required) {
    const { [name]: _dropped, ...body } = valid;
    cases.push({ name: `without required ${name}`, body, location: ["request", "body"] });
  }
  for (const [name, raw] of Object.entries<Json>(schema.properties)) {
    const property = deref(spec, raw);
    if (!property || property.readOnly) continue;
    if (Array.isArray(property.enum)) {
      const outside = types(property).includes("string") || typeof property.enum[0] === "string" ? "¬enum" : 987_654;
      if (!property.enum.includes(outside)) {
        cases.push({ name: `${name} outside its enum`, body: { ...valid, [name]: outside }, location: at(name) });
      }
    }
    if (typeof property.maxItems === "number" && property.maxItems <= MAX_ITEMS_CHECKED) {
      const item =
        Array.isArray(valid[name]) && valid[name].length > 0 ? valid[name][0] : sampled(spec, property.items);
      const tooMany = Array.from({ length: property.maxItems + 1 }, () => item);
      cases.push({
        name: `${name} over maxItems ${property.maxItems}`,
        body: { ...valid, [name]: tooMany },
        location: at(name),
      });
    }
    if (FORMATS.has(property.format) && types(property).includes("string")) {
      const wrong = `not-a-${property.format}`;
      cases.push({ name: `${name} not a ${property.format}`, body: { ...valid, [name]: wrong }, location: at(name) });
    }
  }
  return cases;
}
