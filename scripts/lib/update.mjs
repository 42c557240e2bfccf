// The steps of `pnpm specs:update` and `pnpm specs:diff`: fetch each vendor document from its
// declared source, compare the bundle users get before and after, and write the changeset.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { bundleVendorSpec } from "./bundle.mjs";
import { extractOpenApiYaml } from "./doc-page.mjs";
import { bumpFor, operationCounts, summarize } from "./spec-diff.mjs";
import { VENDOR_FILE } from "./vendors.mjs";

/** A source location: an http(s) URL, a file: URL, or a path (relative to the repo root). */
export async function readSource(location, root) {
  if (/^https?:\/\//.test(location)) {
    const response = await fetch(location, { headers: { accept: "application/json, text/markdown, */*" } });
    if (!response.ok) throw new Error(`${location}: HTTP ${response.status} ${response.statusText}`);
    return response.text();
  }
  const path = location.startsWith("file:")
    ? fileURLToPath(location)
    : isAbsolute(location)
      ? location
      : resolve(root, location);
  return readFileSync(path, "utf8");
}

/**
 * The text to commit for one document, exactly as the vendor published it:
 * - "doc-page": the ````yaml OpenAPI block of a documentation page (NLPearl, Amplemarket);
 * - "openapi": the whole OpenAPI document, JSON or YAML, byte for byte (Instantly's api_v2.json);
 * - "hand-written": nothing to fetch (returns null).
 */
export async function fetchDocument(document, root) {
  const { kind, location } = document.source ?? {};
  if (kind === "hand-written") return null;
  if (!location) throw new Error(`${document.file}: source.location is missing in its vendor.json`);
  const text = await readSource(location, root);
  if (kind === "doc-page") return extractOpenApiYaml(text, location);
  if (kind === "openapi") {
    let doc;
    try {
      doc = document.file.endsWith(".json") ? JSON.parse(text) : parse(text, { maxAliasCount: -1 });
    } catch (error) {
      throw new Error(
        `${location}: not a ${document.file.endsWith(".json") ? "JSON" : "YAML"} document (${error.message})`,
      );
    }
    if (!/^3\./.test(String(doc?.openapi))) throw new Error(`${location}: not an OpenAPI 3.x document`);
    return text;
  }
  throw new Error(`${document.file}: unknown source kind ${JSON.stringify(kind)} (doc-page | openapi | hand-written)`);
}

/** The bundle users have now: the committed generated openapi.yaml (or, if none, one bundled from specs/). */
export async function committedBundle(vendor) {
  const path = join(vendor.generatedDir, "openapi.yaml");
  if (existsSync(path)) return parse(readFileSync(path, "utf8"), { maxAliasCount: -1 });
  return bundleVendorSpec(vendor, { problems: [] });
}

const SPEC_FILE = /\.(ya?ml|json)$/;

/**
 * Fetches every document of `vendor` into `intoDir` (a copy of specs/<vendor>), returning
 * { changed: [file], removed: [file] }. Files no longer declared in its vendor.json are removed,
 * so switching a vendor to a new source (Instantly's doc page → its whole JSON) lands in one update.
 */
export async function fetchVendor(vendor, root, intoDir) {
  if (intoDir !== vendor.specDir) {
    mkdirSync(intoDir, { recursive: true });
    if (existsSync(vendor.specDir)) cpSync(vendor.specDir, intoDir, { recursive: true });
  }
  const changed = [];
  for (const document of vendor.documents) {
    const text = await fetchDocument(document, root);
    if (text === null) continue;
    const path = join(intoDir, document.file);
    if (existsSync(path) && readFileSync(path, "utf8") === text) continue;
    writeFileSync(path, text);
    changed.push(document.file);
  }
  const declared = new Set([...vendor.documents.map((d) => d.file), vendor.overlay, VENDOR_FILE]);
  const removed = readdirSync(intoDir).filter((f) => SPEC_FILE.test(f) && !declared.has(f));
  for (const file of removed) rmSync(join(intoDir, file));
  return { changed, removed };
}

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

/** The packages a vendor's spec change releases: the vendor package, and the facade when its types re-use them. */
export function releasesFor(vendor, level, root, facade) {
  const own = readJson(join(vendor.packageDir, "package.json"));
  const releases = [{ name: own.name, bump: bumpFor(level, own.version), version: own.version }];
  const facadeJson = facade && join(root, facade.directory, "package.json");
  if (level && level !== "doc" && facadeJson && existsSync(facadeJson)) {
    const pkg = readJson(facadeJson);
    const deps = { ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies };
    if (own.name in deps) releases.push({ name: pkg.name, bump: bumpFor(level, pkg.version), version: pkg.version });
  }
  return releases;
}

/** Writes `.changeset/<vendor>-spec-<hash>.md` in the changesets format; its text is the reviewer's summary. */
export function writeChangeset(root, vendor, releases, diff, { changed = [], removed = [] } = {}) {
  const front = releases.map((r) => `${JSON.stringify(r.name)}: ${r.bump}`).join("\n");
  const files = [...changed, ...removed.map((f) => `${f} (removed)`)]
    .map((f) => `specs/${vendor.name}/${f}`)
    .join(", ");
  const counts = operationCounts(diff);
  const headline = {
    breaking: `**Breaking:** ${vendor.name}'s published API changed incompatibly for the operations this package exposes`,
    "non-breaking": `${vendor.name}'s published API changed compatibly in the operations this package exposes: code using it keeps compiling and working`,
    doc: `${vendor.name}'s published API documentation changed; the types are unchanged`,
  }[diff.level].concat(counts ? ` (${counts}).` : ".");
  const body = [
    headline,
    "",
    summarize(diff),
    "",
    `Updated by \`pnpm specs:update ${vendor.name}\`${files ? ` (${files})` : ""}.`,
  ].join("\n");
  const hash = createHash("sha256").update(front).update(body).digest("hex").slice(0, 8);
  const path = join(root, ".changeset", `${vendor.name}-spec-${hash}.md`);
  mkdirSync(join(root, ".changeset"), { recursive: true });
  writeFileSync(path, `---\n${front}\n---\n\n${body}\n`);
  return relative(root, path);
}
