// The declared-subset step of the bundle: keep the operations a package exposes, and the
// components they reach, so a whole-API vendor spec yields types for the lead operations only.

export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** "POST /a/{b}" or an operationId → a matcher over (method, path, operation). */
function matcherOf(declared) {
  const m = /^([A-Za-z]+)\s+(\/\S*)$/.exec(declared);
  if (m && METHODS.includes(m[1].toLowerCase())) {
    const [method, path] = [m[1].toLowerCase(), m[2]];
    return (meth, p) => meth === method && p === path;
  }
  return (_meth, _p, op) => op?.operationId === declared;
}

/** Every operation of a spec as { key: "POST /path", method, path, operation }. */
export function operationsOf(spec) {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      if (item?.[method]) out.push({ key: `${method.toUpperCase()} ${path}`, method, path, operation: item[method] });
    }
  }
  return out;
}

function collectRefs(node, into) {
  if (Array.isArray(node)) for (const v of node) collectRefs(v, into);
  else if (node && typeof node === "object") {
    if (typeof node.$ref === "string") into.add(node.$ref);
    for (const v of Object.values(node)) collectRefs(v, into);
  }
}

/**
 * Keeps the declared operations (and their path-level fields) and the components they reach.
 * Security schemes are kept whole: they are named by `security`, not referenced.
 * Returns { spec, missing }: the declared entries that matched no operation.
 */
export function filterOperations(spec, declared) {
  if (!declared) return { spec, missing: [] };
  const matchers = declared.map((d) => ({ declared: d, match: matcherOf(d), hits: 0 }));
  const paths = {};
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    const kept = {};
    let any = false;
    for (const [key, value] of Object.entries(item ?? {})) {
      if (!METHODS.includes(key)) {
        kept[key] = value;
        continue;
      }
      const hit = matchers.filter((m) => m.match(key, path, value));
      for (const m of hit) m.hits++;
      if (hit.length > 0) {
        kept[key] = value;
        any = true;
      }
    }
    if (any) paths[path] = kept;
  }
  const { webhooks: _dropped, ...rest } = spec;
  const out = { ...rest, paths };
  if (spec.components) out.components = pruneComponents(out, spec.components);
  return { spec: out, missing: matchers.filter((m) => m.hits === 0).map((m) => m.declared) };
}

/** The components reachable from everything outside `components` (transitively), in their original order. */
function pruneComponents(spec, components) {
  const reached = new Set();
  const queue = new Set();
  const { components: _c, ...outside } = spec;
  collectRefs(outside, queue);
  while (queue.size > 0) {
    const [ref] = queue;
    queue.delete(ref);
    if (reached.has(ref)) continue;
    reached.add(ref);
    const m = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
    const target = m && components[m[1]]?.[m[2].replace(/~1/g, "/").replace(/~0/g, "~")];
    if (target !== undefined) collectRefs(target, queue);
  }
  const out = {};
  for (const [section, entries] of Object.entries(components)) {
    if (section === "securitySchemes" || !entries || typeof entries !== "object") {
      out[section] = entries;
      continue;
    }
    const kept = Object.fromEntries(
      Object.entries(entries).filter(([name]) =>
        reached.has(`#/components/${section}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`),
      ),
    );
    if (Object.keys(kept).length > 0) out[section] = kept;
  }
  return out;
}
