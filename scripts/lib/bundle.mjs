import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { openapiOverlay } from "openapi-format";
import { parse } from "yaml";

const readYaml = (path) => parse(readFileSync(path, "utf8"));

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
export async function applyOverlay(spec, overlay, overlayName) {
  const { data, resultData } = await openapiOverlay(structuredClone(spec), { overlaySet: overlay });
  if (resultData.totalUnusedActions > 0) {
    const unused = resultData.unusedActions.map((a) => `  - ${a.target}: ${a.description ?? ""}`).join("\n");
    throw new Error(
      `${overlayName}: ${resultData.totalUnusedActions} action(s) matched nothing in the vendor spec. ` +
        `The vendor may have fixed or moved what they patched; update or remove them:\n${unused}`,
    );
  }
  return data;
}

/** The one spec a vendor's package is generated from: its documents, merged, with our overlay applied. */
export async function bundleVendorSpec(vendor) {
  const files = vendor.documents.map((d) => d.file);
  const documents = files.map((file) => readYaml(join(vendor.specDir, file)));
  const merged = documents.length === 1 ? documents[0] : mergeDocuments(documents, files);
  if (!vendor.overlay) return merged;
  const overlay = readYaml(join(vendor.specDir, vendor.overlay));
  return applyOverlay(merged, overlay, `specs/${vendor.name}/${vendor.overlay}`);
}
