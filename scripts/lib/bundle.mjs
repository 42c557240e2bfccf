import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { openapiOverlay } from "openapi-format";
import { parse } from "yaml";
import { filterOperations } from "./filter.mjs";

const readYaml = (path) => parse(readFileSync(path, "utf8"));
/** A vendor document as published: JSON (Instantly's whole API) or YAML (doc-page extracts). */
export const readDocument = (path) =>
  path.endsWith(".json")
    ? JSON.parse(readFileSync(path, "utf8"))
    : parse(readFileSync(path, "utf8"), { maxAliasCount: -1 });

/**
 * Merges a vendor's documents into one. NLPearl publishes one document per
 * endpoint, each repeating the shared components; identical repeats collapse,
 * while two different definitions under one name are an error, not a silent pick.
 */
export function mergeDocuments(documents, names) {
  const [first] = documents;
  const merged = { ...first, paths: {}, components: {} };
  const origin = new Map();
  documents.forEach((doc, i) => {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (merged.paths[path]) throw new Error(`${names[i]}: path ${path} is also defined in ${origin.get(path)}.`);
      merged.paths[path] = item;
      origin.set(path, names[i]);
    }
    for (const [section, entries] of Object.entries(doc.components ?? {})) {
      merged.components[section] ??= {};
      for (const [name, value] of Object.entries(entries)) {
        const existing = merged.components[section][name];
        const key = `components.${section}.${name}`;
        if (existing !== undefined && !isDeepStrictEqual(existing, value)) {
          throw new Error(`${names[i]}: ${key} differs from the one in ${origin.get(key)}.`);
        }
        merged.components[section][name] = value;
        origin.set(key, origin.get(key) ?? names[i]);
      }
    }
    if (doc.tags) {
      const seen = new Set((merged.tags ?? []).map((t) => t.name));
      merged.tags = [...(merged.tags ?? []), ...doc.tags.filter((t) => !seen.has(t.name))];
    }
  });
  return merged;
}

/** Applies an OpenAPI Overlay 1.0 document; an action that matches nothing fails loudly. */
export async function applyOverlay(spec, overlay, overlayName, problems) {
  const { data, resultData } = await openapiOverlay(structuredClone(spec), { overlaySet: overlay });
  if (resultData.totalUnusedActions > 0) {
    if (problems) {
      for (const a of resultData.unusedActions) problems.push(`${overlayName}: action matched nothing: ${a.target}`);
      return data;
    }
    const unused = resultData.unusedActions.map((a) => `  - ${a.target}: ${a.description ?? ""}`).join("\n");
    throw new Error(
      `${overlayName}: ${resultData.totalUnusedActions} action(s) matched nothing in the vendor spec. ` +
        `The vendor may have fixed or moved what they patched; update or remove them:\n${unused}`,
    );
  }
  return data;
}

/** The file a document is read from: its declared file, or until that is first fetched, its `bootstrap`. */
export const documentFile = (specDir, d) => (d.bootstrap && !existsSync(join(specDir, d.file)) ? d.bootstrap : d.file);

/**
 * The one spec a vendor's package is generated from: its documents merged, our overlay
 * applied, then filtered to the operations declared in specs/<vendor>/vendor.json.
 * With `problems` (an array), an unused overlay action or a declared operation the spec
 * lacks is recorded there instead of thrown, so `specs:diff` can still show the change.
 */
export async function bundleVendorSpec(vendor, { problems } = {}) {
  const files = vendor.documents.map((d) => documentFile(vendor.specDir, d));
  const documents = files.map((file) => readDocument(join(vendor.specDir, file)));
  let spec = documents.length === 1 ? documents[0] : mergeDocuments(documents, files);
  if (vendor.overlay) {
    const overlay = readYaml(join(vendor.specDir, vendor.overlay));
    spec = await applyOverlay(spec, overlay, `specs/${vendor.name}/${vendor.overlay}`, problems);
  }
  const filtered = filterOperations(spec, vendor.operations);
  if (filtered.missing.length > 0) {
    const message =
      `specs/${vendor.name}/vendor.json declares ${vendor.name} operation(s) the spec no longer has: ${filtered.missing.join(", ")}. ` +
      "The vendor removed or renamed them (a breaking change); update `operations` in its vendor.json deliberately.";
    if (!problems) throw new Error(message);
    problems.push(message);
  }
  return filtered.spec;
}
