// Classifies the changes between two bundled specs (after merge, overlay and filter: what users
// of the generated client get) as breaking, non-breaking or doc-only, per operation.
// The rule table, and why each direction differs, is in specs/README.md.
import { isDeepStrictEqual } from "node:util";
import { operationsOf } from "./filter.mjs";

export const LEVELS = ["doc", "non-breaking", "breaking"];
const rank = (level) => LEVELS.indexOf(level);

/** Convention (specs/README.md): breaking → major, or minor while the package is 0.x; additive → minor; doc → patch. */
export function bumpFor(level, version) {
  if (!level) return null;
  if (level === "doc") return "patch";
  if (level === "non-breaking") return "minor";
  return /^0\./.test(version) ? "minor" : "major";
}
export const highest = (levels) => levels.reduce((a, b) => (rank(b) > rank(a) ? b : a), null);

// Keys that only change documentation (JSDoc in the generated types, nothing a compiler checks).
const DOC_KEYS = new Set([
  "description",
  "summary",
  "title",
  "example",
  "examples",
  "externalDocs",
  "tags",
  "$comment",
]);
const isDocKey = (key) => DOC_KEYS.has(key) || key.startsWith("x-");
const LOWER_BOUNDS = ["minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"];
const UPPER_BOUNDS = ["maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"];

function lookup(root, ref) {
  if (!ref.startsWith("#/")) throw new Error(`external $ref ${ref} is not supported; bundle it first`);
  return ref
    .slice(2)
    .split("/")
    .reduce((node, part) => node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], root);
}

/** Follows a $ref chain; siblings of a $ref (OAS 3.1) override the target's. */
function deref(root, node, seen = []) {
  if (!node || typeof node !== "object" || typeof node.$ref !== "string") return { node, refs: seen };
  if (seen.includes(node.$ref)) return { node: {}, refs: seen };
  const { $ref, ...siblings } = node;
  const target = deref(root, lookup(root, $ref), [...seen, $ref]);
  return { node: { ...target.node, ...siblings }, refs: target.refs };
}

/** Resolves refs all the way down, leaving a cyclic ref as `{ $ref }` (for the catch-all comparison). */
function resolveDeep(root, node, stack = []) {
  if (Array.isArray(node)) return node.map((v) => resolveDeep(root, v, stack));
  if (!node || typeof node !== "object") return node;
  if (typeof node.$ref === "string") {
    if (stack.includes(node.$ref)) return { $ref: node.$ref };
    const { node: target } = deref(root, node);
    return resolveDeep(root, target, [...stack, node.$ref]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveDeep(root, v, stack)]));
}

const stripDocs = (node) => {
  if (Array.isArray(node)) return node.map(stripDocs);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => !isDocKey(k))
      .map(([k, v]) => [k, stripDocs(v)]),
  );
};

/** Sorts the arrays whose order means nothing (union branches, enums, required keys, types, parameters). */
const UNORDERED = new Set(["oneOf", "anyOf", "enum", "required", "type", "parameters"]);
function canonical(node, key) {
  if (Array.isArray(node)) {
    const items = node.map((v) => canonical(v));
    if (!UNORDERED.has(key)) return items;
    return items
      .map((v) => [JSON.stringify(v), v])
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([, v]) => v);
  }
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, canonical(v, k)]));
}

/** One schema, refs followed and `allOf` merged, with its types as a set ("null" included). */
function normalize(root, schema) {
  const { node, refs } = deref(root, schema);
  if (!node || typeof node !== "object") return { schema: node, refs };
  let merged = node;
  const allRefs = [...refs];
  if (Array.isArray(node.allOf)) {
    const { allOf, ...own } = node;
    merged = { properties: {}, required: [] };
    for (const part of allOf) {
      const p = normalize(root, part);
      allRefs.push(...p.refs);
      const { properties = {}, required = [], ...rest } = p.schema ?? {};
      merged = {
        ...rest,
        ...merged,
        properties: { ...merged.properties, ...properties },
        required: [...merged.required, ...required],
      };
    }
    merged = {
      ...merged,
      ...own,
      properties: { ...merged.properties, ...(own.properties ?? {}) },
      required: [...merged.required, ...(own.required ?? [])],
    };
    if (Object.keys(merged.properties).length === 0) delete merged.properties;
    if (merged.required.length === 0) delete merged.required;
  }
  const types = new Set([merged.type ?? []].flat());
  if (types.size === 0 && merged.properties) types.add("object");
  if (merged.nullable === true) types.add("null");
  let values = merged.enum ?? (merged.const !== undefined ? [merged.const] : undefined);
  if (values && merged.nullable === true && !values.includes(null)) values = [...values, null];
  return { schema: merged, types, values, refs: allRefs };
}

const fmt = (v) => JSON.stringify(v);

/** What identifies one branch of a union: its discriminator value, its ref's name, its shape. */
function branchInfo(root, parent, branch) {
  const ref = typeof branch?.$ref === "string" ? branch.$ref.split("/").at(-1) : undefined;
  const n = normalize(root, branch);
  const s = n.schema ?? {};
  const prop = parent.discriminator?.propertyName;
  let disc;
  if (prop) {
    const mapped = Object.entries(parent.discriminator.mapping ?? {}).find(([, target]) => target === branch?.$ref);
    const own = s.properties?.[prop] && normalize(root, s.properties[prop]).values;
    disc = mapped?.[0] ?? (own?.length === 1 ? own[0] : ref);
  }
  const types = [...(n.types ?? [])].sort().join(" | ") || "any";
  const core = [...(n.types ?? [])]
    .filter((t) => t !== "null")
    .sort()
    .join(" | ");
  const shape = s.required?.length ? `${types} with required ${[...s.required].sort().join(", ")}` : types;
  const label = disc !== undefined ? `${prop} ${fmt(disc)}` : (ref ?? shape);
  return { branch, ref, disc, shape, core, label };
}

/**
 * Pairs the branches of two unions by structure, strongest evidence first: the discriminator value,
 * then the ref's name, then type and required keys, then a type (null aside) only one branch on each side has.
 */
function matchBranches(ctx, sa, ua, sb, ub) {
  const A = ua.map((x) => branchInfo(ctx.before, sa, x));
  const B = ub.map((y) => branchInfo(ctx.after, sb, y));
  const pairs = [];
  const taken = new Set();
  const open = (list) => list.filter((b) => !taken.has(b));
  const passes = [(b) => (b.disc !== undefined ? fmt(b.disc) : undefined), (b) => b.ref, (b) => b.shape];
  for (const key of passes) {
    for (const x of open(A)) {
      const k = key(x);
      if (k === undefined) continue;
      const y = open(B).find((b) => key(b) === k);
      if (!y) continue;
      pairs.push([x, y]);
      taken.add(x).add(y);
    }
  }
  for (const x of open(A)) {
    const sameA = open(A).filter((b) => b.core === x.core);
    const sameB = open(B).filter((b) => b.core === x.core);
    if (sameA.length !== 1 || sameB.length !== 1) continue;
    pairs.push([x, sameB[0]]);
    taken.add(x).add(sameB[0]);
  }
  return { pairs, removed: open(A), added: open(B) };
}

/**
 * Compares two schemas in one direction: "request" (the client writes values of it) or
 * "response" (the client reads them). Pushes { level, where, message } to `out`.
 */
function compareSchema(ctx, a, b, dir, where, out, stack = []) {
  if (a === undefined && b === undefined) return;
  if (a === undefined || b === undefined) {
    const added = a === undefined;
    out.push({
      level: added === (dir === "request") ? "breaking" : "non-breaking",
      where,
      message: added ? "now has a schema (was any value)" : "no longer has a schema (any value)",
    });
    return;
  }
  const A = normalize(ctx.before, a);
  const B = normalize(ctx.after, b);
  // A recursive schema: stop once the same pair of components is being compared again.
  const pair = `${A.refs.at(-1)}|${B.refs.at(-1)}`;
  if (A.refs.length && B.refs.length && stack.includes(pair)) return;
  const next = A.refs.length && B.refs.length ? [...stack, pair] : stack;
  const sa = A.schema ?? {};
  const sb = B.schema ?? {};
  const push = (level, message, at = where) => out.push({ level, where: at, message });
  const req = dir === "request";

  // Types. A request may accept more; a response may promise less.
  const nonNull = (s) => [...s].filter((t) => t !== "null").sort();
  const [ta, tb] = [nonNull(A.types), nonNull(B.types)];
  if (!isDeepStrictEqual(ta, tb)) {
    const wider = (x, y) =>
      x.length === 0 || (y.length > 0 && y.every((t) => x.includes(t) || (t === "integer" && x.includes("number"))));
    const label = (t) => (t.length ? t.join(" | ") : "any");
    if (ta.length && tb.length && !wider(tb, ta) && !wider(ta, tb))
      push("breaking", `type changed from ${label(ta)} to ${label(tb)}`);
    else if (wider(tb, ta)) push(req ? "non-breaking" : "breaking", `type widened from ${label(ta)} to ${label(tb)}`);
    else push(req ? "breaking" : "non-breaking", `type narrowed from ${label(ta)} to ${label(tb)}`);
  }
  const [na, nb] = [A.types.has("null"), B.types.has("null")];
  if (na && !nb) push(req ? "breaking" : "non-breaking", "is no longer nullable");
  if (!na && nb) push(req ? "non-breaking" : "breaking", "may now be null");

  // Enums. Narrowed: breaking both ways (a request rejects the value; in a response the generated
  // literal union shrinks, so comparing with the removed value stops compiling). Widened: additive.
  const [va, vb] = [A.values, B.values];
  if (!isDeepStrictEqual(va, vb)) {
    if (va && !vb) push("non-breaking", "is no longer restricted to an enum");
    else if (!va && vb) push("breaking", `is now restricted to ${vb.map(fmt).join(", ")}`);
    else {
      const removed = va.filter((v) => !vb.some((w) => isDeepStrictEqual(v, w)));
      const added = vb.filter((v) => !va.some((w) => isDeepStrictEqual(v, w)));
      if (removed.length) push("breaking", `enum narrowed: removed ${removed.map(fmt).join(", ")}`);
      if (added.length)
        push(
          "non-breaking",
          `enum widened: added ${added.map(fmt).join(", ")}${req ? "" : " (readers may now receive it)"}`,
        );
    }
  }

  // Properties.
  const pa = sa.properties ?? {};
  const pb = sb.properties ?? {};
  const ra = new Set(sa.required ?? []);
  const rb = new Set(sb.required ?? []);
  const child = (name) => (where.endsWith(":") ? `${where} ${name}` : `${where}.${name}`);
  for (const name of Object.keys(pa)) {
    if (!(name in pb)) {
      push("breaking", req ? "field removed (code that sets it no longer compiles)" : "field removed", child(name));
      continue;
    }
    if (ra.has(name) && !rb.has(name))
      push(req ? "non-breaking" : "breaking", req ? "now optional" : "may now be absent", child(name));
    if (!ra.has(name) && rb.has(name))
      push(req ? "breaking" : "non-breaking", req ? "now required" : "now always present", child(name));
    compareSchema(ctx, pa[name], pb[name], dir, child(name), out, next);
  }
  for (const name of Object.keys(pb)) {
    if (name in pa) continue;
    if (req && rb.has(name)) push("breaking", "new required field", child(name));
    else push("non-breaking", req ? "new optional field" : "new field", child(name));
  }

  if (sa.items !== undefined || sb.items !== undefined)
    compareSchema(ctx, sa.items, sb.items, dir, `${where}[]`, out, next);

  // Maps: additionalProperties as a schema compares like items; `false` closes the object.
  const [xa, xb] = [sa.additionalProperties, sb.additionalProperties];
  if (typeof xa === "object" && typeof xb === "object") compareSchema(ctx, xa, xb, dir, `${where}{}`, out, next);
  else if (!isDeepStrictEqual(xa, xb)) {
    const closed = (x) => x === false;
    if (!closed(xa) && closed(xb)) push(req ? "breaking" : "non-breaking", "no longer allows extra fields");
    else if (closed(xa) && !closed(xb)) push(req ? "non-breaking" : "breaking", "now allows extra fields");
    else push("breaking", "additionalProperties changed");
  }

  // Unions: each branch is matched with its counterpart by structure (see matchBranches), so a
  // reorder is no change; a new branch widens what is written or read, a missing one narrows it.
  for (const key of ["oneOf", "anyOf"]) {
    const [ua, ub] = [sa[key] ?? [], sb[key] ?? []];
    if (ua.length === 0 && ub.length === 0) continue;
    const { pairs, removed, added } = matchBranches(ctx, sa, ua, sb, ub);
    for (const [x, y] of pairs) compareSchema(ctx, x.branch, y.branch, dir, `${where} (${y.label})`, out, next);
    for (const x of removed) push(req ? "breaking" : "non-breaking", `${key} alternative removed: ${x.label}`);
    for (const y of added)
      push(
        req ? "non-breaking" : "breaking",
        `new ${key} alternative: ${y.label}${req ? "" : " (readers may now receive it)"}`,
      );
  }

  // Constraints: invisible in the types, so only a request can break (the server rejects more).
  const bound = (key, tighter) => {
    if (sa[key] === sb[key]) return;
    const tightened = sb[key] !== undefined && (sa[key] === undefined || tighter(sb[key], sa[key]));
    push(req && tightened ? "breaking" : "non-breaking", `${key} ${sa[key] ?? "none"} → ${sb[key] ?? "none"}`);
  };
  for (const key of LOWER_BOUNDS) bound(key, (x, y) => x > y);
  for (const key of UPPER_BOUNDS) bound(key, (x, y) => x < y);
  for (const key of ["pattern", "format", "multipleOf", "uniqueItems"]) {
    if (isDeepStrictEqual(sa[key], sb[key])) continue;
    push(
      req && sb[key] !== undefined ? "breaking" : "non-breaking",
      `${key} ${fmt(sa[key] ?? "none")} → ${fmt(sb[key] ?? "none")}`,
    );
  }
  for (const key of ["default", "deprecated", "readOnly", "writeOnly"]) {
    if (!isDeepStrictEqual(sa[key], sb[key]))
      push("non-breaking", `${key} ${fmt(sa[key] ?? "none")} → ${fmt(sb[key] ?? "none")}`);
  }
  for (const key of ["description", "title", "example", "examples"]) {
    if (!isDeepStrictEqual(sa[key], sb[key])) push("doc", `${key} changed`);
  }
}

const paramKey = (p) => `${p.in} parameter \`${p.name}\``;

function compareParameters(ctx, a, b, out) {
  const list = (root, item, op) => {
    const all = new Map();
    for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
      const { node } = deref(root, p);
      all.set(`${node.in}:${node.name}`, node);
    }
    return all;
  };
  const [pa, pb] = [list(ctx.before, a.item, a.operation), list(ctx.after, b.item, b.operation)];
  for (const [key, p] of pa) {
    const q = pb.get(key);
    if (!q) {
      out.push({ level: "breaking", where: paramKey(p), message: "parameter removed" });
      continue;
    }
    if (!p.required && q.required) out.push({ level: "breaking", where: paramKey(p), message: "now required" });
    if (p.required && !q.required) out.push({ level: "non-breaking", where: paramKey(p), message: "now optional" });
    compareSchema(ctx, p.schema, q.schema, "request", `${paramKey(p)}:`, out);
    if (p.description !== q.description) out.push({ level: "doc", where: paramKey(p), message: "description changed" });
  }
  for (const [key, q] of pb) {
    if (pa.has(key)) continue;
    out.push({
      level: q.required ? "breaking" : "non-breaking",
      where: paramKey(q),
      message: q.required ? "new required parameter" : "new optional parameter",
    });
  }
}

function compareContent(ctx, a = {}, b = {}, dir, where, out) {
  for (const type of Object.keys(a)) {
    if (!(type in b)) out.push({ level: "breaking", where, message: `${type} no longer offered` });
    else
      compareSchema(
        ctx,
        a[type]?.schema,
        b[type]?.schema,
        dir,
        type === "application/json" ? `${where}:` : `${where} (${type}):`,
        out,
      );
  }
  for (const type of Object.keys(b)) {
    if (!(type in a)) out.push({ level: "non-breaking", where, message: `${type} now offered` });
  }
}

// Authentication. A scheme's definition (components.securitySchemes) is compared once, in `general`,
// breaking when an operation uses it; what each operation requires (its own `security`, else the
// document's) is compared per operation.
const operationName = (o) => `\`${o.operation.operationId ?? o.key}\``;

/** A scheme in a user's words: how the credential is sent. */
function describeScheme(s) {
  if (s.type === "http") {
    const scheme = String(s.scheme ?? "").toLowerCase();
    if (scheme === "bearer") return "an HTTP bearer token (Authorization: Bearer …)";
    if (scheme === "basic") return "HTTP basic authentication (Authorization: Basic …)";
    return `HTTP ${s.scheme} authentication`;
  }
  if (s.type === "apiKey") return `an API key in the ${s.in === "query" ? "query parameter" : s.in} \`${s.name}\``;
  if (s.type === "oauth2") return `OAuth 2 (${Object.keys(s.flows ?? {}).join(", ")})`;
  if (s.type === "openIdConnect") return `OpenID Connect (${s.openIdConnectUrl})`;
  if (s.type === "mutualTLS") return "mutual TLS";
  return `a ${fmt(s.type)} scheme`;
}

/** What a client must do to satisfy a scheme (`description`, `bearerFormat` and `x-*` only document it). */
const lowerScheme = (s) => (typeof s.scheme === "string" ? { ...s, scheme: s.scheme.toLowerCase() } : s);
const schemeContract = (s) => {
  const { bearerFormat: _hint, ...rest } = stripDocs(s);
  return lowerScheme(rest);
};

/** An operation's security requirement: its alternatives (any one suffices), each scheme → scopes. */
function requirementOf(spec, operation) {
  const list = operation.security ?? spec.security ?? [];
  const alternatives = list.map((alt) => new Map(Object.entries(alt ?? {}).map(([n, scopes]) => [n, scopes ?? []])));
  return { alternatives, required: alternatives.length > 0 && alternatives.every((alt) => alt.size > 0) };
}
const altKey = (alt) => [...alt.keys()].sort().join(" + ");
const altLabel = (alt) =>
  [...alt.keys()]
    .sort()
    .map((n) => `\`${n}\``)
    .join(" + ");

function compareSecurity(ctx, a, b, out) {
  const A = requirementOf(ctx.before, a.operation);
  const B = requirementOf(ctx.after, b.operation);
  const push = (level, message) => out.push({ level, where: "security", message });
  if (!A.required && B.required) {
    push("breaking", `now requires authentication: ${B.alternatives.map(altLabel).join(" or ")}`);
    return;
  }
  if (A.required && !B.required) {
    push("non-breaking", "no longer requires authentication");
    return;
  }
  // Both required: a dropped alternative rejects the clients using it; both optional: nothing breaks.
  const [ka, kb] = [
    new Map(A.alternatives.map((x) => [altKey(x), x])),
    new Map(B.alternatives.map((x) => [altKey(x), x])),
  ];
  for (const [key, alt] of ka) {
    if (!kb.has(key)) push(A.required ? "breaking" : "non-breaking", `no longer accepts ${altLabel(alt)}`);
  }
  for (const [key, alt] of kb) {
    if (!ka.has(key)) {
      push("non-breaking", `now also accepts ${altLabel(alt)}`);
      continue;
    }
    for (const [name, scopes] of alt) {
      const before = ka.get(key).get(name) ?? [];
      const more = scopes.filter((x) => !before.includes(x));
      const fewer = before.filter((x) => !scopes.includes(x));
      if (more.length)
        push(A.required ? "breaking" : "non-breaking", `\`${name}\` now needs scope(s) ${more.join(", ")}`);
      if (fewer.length) push("non-breaking", `\`${name}\` no longer needs scope(s) ${fewer.join(", ")}`);
    }
  }
}

/** Scheme definitions added, removed or changed, each naming the operations that use it. */
function compareSchemes(before, after, opsA, opsB) {
  const [sa, sb] = [before.components?.securitySchemes ?? {}, after.components?.securitySchemes ?? {}];
  const users = (spec, ops, name) =>
    [...ops.values()].filter((o) => requirementOf(spec, o.operation).alternatives.some((alt) => alt.has(name)));
  const usedBy = (list, total) =>
    list.length === 0
      ? "used by no operation"
      : list.length === total && total > 5
        ? `used by all ${total} operations`
        : list.length > 5
          ? `used by ${list.length} operations`
          : `used by ${list.map(operationName).join(", ")}`;
  const out = [];
  const push = (level, name, message) => out.push({ level, where: `security scheme \`${name}\``, message });
  for (const [name, x] of Object.entries(sa)) {
    const used = users(before, opsA, name);
    const note = usedBy(used, opsA.size);
    const y = sb[name];
    if (y === undefined) {
      push(used.length ? "breaking" : "non-breaking", name, `removed (${note})`);
      continue;
    }
    const { node: dx } = deref(before, x);
    const { node: dy } = deref(after, y);
    if (!isDeepStrictEqual(schemeContract(dx), schemeContract(dy))) {
      const [was, now] = [describeScheme(dx), describeScheme(dy)];
      const what =
        was === now
          ? `${was}: its ${Object.keys({ ...dx, ...dy })
              .filter((k) => !isDeepStrictEqual(dx[k], dy[k]))
              .map((k) => `\`${k}\``)
              .join(", ")} changed`
          : `was ${was}, now ${now}`;
      push(used.length ? "breaking" : "non-breaking", name, `${what} (${note})`);
    } else if (!isDeepStrictEqual(lowerScheme(dx), lowerScheme(dy))) push("doc", name, "documentation changed");
  }
  for (const [name, y] of Object.entries(sb)) {
    if (name in sa) continue;
    const { node } = deref(after, y);
    push("non-breaking", name, `added: ${describeScheme(node)} (${usedBy(users(after, opsB, name), opsB.size)})`);
  }
  return out;
}

function compareOperation(ctx, a, b) {
  const out = [];
  const [oa, ob] = [a.operation, b.operation];
  if (oa.operationId !== ob.operationId) {
    out.push({
      level: "breaking",
      where: "operationId",
      message: `renamed from ${fmt(oa.operationId ?? null)} to ${fmt(ob.operationId ?? null)} (the \`operations\` key in the types)`,
    });
  }
  for (const key of ["summary", "description"]) {
    if (oa[key] !== ob[key]) out.push({ level: "doc", where: "", message: `operation ${key} changed` });
  }
  if (!oa.deprecated && ob.deprecated) out.push({ level: "non-breaking", where: "", message: "deprecated" });
  compareParameters(ctx, a, b, out);
  compareSecurity(ctx, a, b, out);

  const { node: rba } = deref(ctx.before, oa.requestBody);
  const { node: rbb } = deref(ctx.after, ob.requestBody);
  if (rba && !rbb) out.push({ level: "breaking", where: "request body", message: "removed" });
  else if (!rba && rbb)
    out.push({
      level: rbb.required ? "breaking" : "non-breaking",
      where: "request body",
      message: rbb.required ? "new required request body" : "new optional request body",
    });
  else if (rba && rbb) {
    if (!rba.required && rbb.required) out.push({ level: "breaking", where: "request body", message: "now required" });
    if (rba.required && !rbb.required)
      out.push({ level: "non-breaking", where: "request body", message: "now optional" });
    compareContent(ctx, rba.content, rbb.content, "request", "request body", out);
  }

  const [sa, sb] = [oa.responses ?? {}, ob.responses ?? {}];
  for (const code of Object.keys(sa)) {
    if (!(code in sb)) {
      out.push({ level: "breaking", where: `response ${code}`, message: "no longer documented (its type is gone)" });
      continue;
    }
    const { node: x } = deref(ctx.before, sa[code]);
    const { node: y } = deref(ctx.after, sb[code]);
    compareContent(ctx, x?.content, y?.content, "response", `response ${code}`, out);
  }
  for (const code of Object.keys(sb))
    if (!(code in sa)) out.push({ level: "non-breaking", where: `response ${code}`, message: "newly documented" });

  const seen = new Set();
  const unique = out.filter((c) => {
    const key = `${c.level}|${c.where}|${c.message}`;
    return seen.has(key) ? false : seen.add(key);
  });
  out.length = 0;
  out.push(...unique);
  // The catch-all: anything the rules above did not name still counts, so nothing slips through.
  // (Security is compared in full by compareSecurity; the order of a union's branches or of an enum is not a change.)
  const raw = (root, x) =>
    canonical(
      resolveDeep(root, {
        ...x.operation,
        security: undefined,
        parameters: [...(x.item.parameters ?? []), ...(x.operation.parameters ?? [])],
      }),
    );
  const [rawA, rawB] = [raw(ctx.before, a), raw(ctx.after, b)];
  if (!isDeepStrictEqual(rawA, rawB)) {
    if (!isDeepStrictEqual(stripDocs(rawA), stripDocs(rawB))) {
      if (!out.some((c) => c.level !== "doc")) {
        out.push({
          level: "breaking",
          where: "",
          message:
            "changed in a way the classifier does not know (unclassified: review, and lower the changeset's bump if harmless)",
        });
      }
    } else if (out.length === 0) out.push({ level: "doc", where: "", message: "documentation changed" });
  }
  return out;
}

/**
 * Diffs two bundled specs. Returns { level, operations: [{ key, operationId, status, changes }], general }
 * where level is the highest of all changes (null when nothing changed).
 */
export function diffSpecs(before, after) {
  const ctx = { before, after };
  const opsA = new Map(operationsOf(before).map((o) => [o.key, { ...o, item: before.paths[o.path] }]));
  const opsB = new Map(operationsOf(after).map((o) => [o.key, { ...o, item: after.paths[o.path] }]));
  const operations = [];
  for (const [key, a] of opsA) {
    const b = opsB.get(key);
    if (!b) {
      operations.push({
        key,
        operationId: a.operation.operationId,
        status: "removed",
        changes: [{ level: "breaking", where: "", message: "operation removed by the vendor" }],
      });
      continue;
    }
    const changes = compareOperation(ctx, a, b);
    if (changes.length) operations.push({ key, operationId: b.operation.operationId, status: "changed", changes });
  }
  for (const [key, b] of opsB) {
    if (!opsA.has(key))
      operations.push({
        key,
        operationId: b.operation.operationId,
        status: "added",
        changes: [{ level: "non-breaking", where: "", message: "new operation" }],
      });
  }
  const general = compareSchemes(before, after, opsA, opsB);
  const server = (s) => s.servers?.[0]?.url;
  if (server(before) !== server(after))
    general.push({
      level: "non-breaking",
      where: "",
      message: `default server ${fmt(server(before))} → ${fmt(server(after))}`,
    });
  // Security is compared above (schemes) and per operation (requirements).
  const top = (s) => ({ ...s, paths: undefined, components: undefined, servers: undefined, security: undefined });
  const [topA, topB] = [top(before), top(after)];
  const [codeA, codeB] = [stripDocs({ ...topA, info: undefined }), stripDocs({ ...topB, info: undefined })];
  if (!isDeepStrictEqual(codeA, codeB)) {
    const fields = Object.keys({ ...codeA, ...codeB }).filter((k) => !isDeepStrictEqual(codeA[k], codeB[k]));
    general.push({
      level: "breaking",
      where: "",
      message: `top-level ${fields.map((f) => `\`${f}\``).join(", ")} changed (unclassified: review)`,
    });
  } else if (!isDeepStrictEqual(topA, topB)) {
    const fields = [...new Set([...Object.keys(topA), ...Object.keys(topB)])].flatMap((k) =>
      isDeepStrictEqual(topA[k], topB[k])
        ? []
        : k === "info"
          ? Object.keys({ ...topA.info, ...topB.info })
              .filter((f) => !isDeepStrictEqual(topA.info?.[f], topB.info?.[f]))
              .map((f) => `info.${f}`)
          : [k],
    );
    general.push({
      level: "doc",
      where: "",
      message: `the API's documentation changed (${fields.join(", ")}); the types are unchanged`,
    });
  }
  // Components no operation reaches are pruned by the filter; the rest are compared through the operations.
  const level = highest([...operations.flatMap((o) => o.changes), ...general].map((c) => c.level));
  return { level, operations, general };
}

/** "5 operations added, 8 changed": what the diff did to the operations, for a changeset's first line. */
export function operationCounts(diff) {
  const count = (status) => diff.operations.filter((o) => o.status === status).length;
  const parts = ["added", "removed", "changed"].map((s) => [count(s), s]).filter(([n]) => n > 0);
  return parts.map(([n, s], i) => (i === 0 ? `${n} operation${n === 1 ? "" : "s"} ${s}` : `${n} ${s}`)).join(", ");
}

const icon = { breaking: "BREAKING", "non-breaking": "non-breaking", doc: "doc" };
const verdicts = { breaking: "**breaking**", "non-breaking": "compatible", doc: "documentation only" };

/** A reviewer's summary in Markdown: one heading per operation, one bullet per change, breaking first. */
export function summarize(diff, { title } = {}) {
  const lines = [];
  if (title) lines.push(title, "");
  if (!diff.level) return [...lines, "No change in the operations this package exposes."].join("\n");
  const order = (c) => -rank(c.level);
  for (const op of diff.operations) {
    const name = op.operationId ? `\`${op.operationId}\` (${op.key})` : `\`${op.key}\``;
    const level = highest(op.changes.map((c) => c.level));
    const verdict = op.status === "changed" ? verdicts[level] : `**${op.status}**`;
    lines.push(`- ${name}: ${verdict}`);
    if (op.status !== "changed") continue;
    for (const c of [...op.changes].sort((x, y) => order(x) - order(y))) {
      lines.push(`  - ${icon[c.level]}: ${c.where ? `\`${c.where}\` ` : ""}${c.message}`);
    }
  }
  for (const c of diff.general) lines.push(`- ${icon[c.level]}: ${c.where ? `${c.where} ` : ""}${c.message}`);
  return lines.join("\n");
}
