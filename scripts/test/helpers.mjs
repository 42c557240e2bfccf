// Test helpers: a throwaway copy of the repo to run the update flow in, pointed at fixture sources.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { vendorFile } from "../lib/vendors.mjs";
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const fixtures = join(repoRoot, "scripts/test/fixtures");
/**
 * The shared sources of truth (vendor docs and specs), beside the clone in CI (`<repo>/../shared`);
 * LEADBRIDGE_SHARED_DIR points elsewhere (a worktree whose parent has no shared/).
 */
export const sharedDir = resolve(process.env.LEADBRIDGE_SHARED_DIR ?? join(repoRoot, "../shared"));
const skip = (src) => !["node_modules", "dist", ".turbo"].includes(basename(src));

/**
 * Copies specs/, scripts/, .changeset/, the given packages (sources only) and the facade's
 * package.json into a temp dir; node_modules are symlinked to the real ones.
 */
export function copyRepo(packages = []) {
  const root = mkdtempSync(join(tmpdir(), "leadbridge-specs-test-"));
  for (const dir of ["specs", "scripts", ".changeset"])
    cpSync(join(repoRoot, dir), join(root, dir), { recursive: true, filter: skip });
  for (const file of ["package.json", "tsconfig.base.json"]) cpSync(join(repoRoot, file), join(root, file));
  symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"), "dir");
  for (const pkg of packages) {
    cpSync(join(repoRoot, "packages", pkg), join(root, "packages", pkg), { recursive: true, filter: skip });
    if (existsSync(join(repoRoot, "packages", pkg, "node_modules"))) {
      symlinkSync(join(repoRoot, "packages", pkg, "node_modules"), join(root, "packages", pkg, "node_modules"), "dir");
    }
  }
  const facade = join(repoRoot, "packages/leadbridge/package.json");
  if (existsSync(facade)) {
    mkdirSync(join(root, "packages/leadbridge"), { recursive: true });
    cpSync(facade, join(root, "packages/leadbridge/package.json"));
  }
  return root;
}

/** Edits the copy's specs/<vendor>/vendor.json through `edit(declaration)`; returns the declaration. */
export function editVendor(root, vendor, edit) {
  const path = vendorFile(root, vendor);
  const declaration = JSON.parse(readFileSync(path, "utf8"));
  edit(declaration);
  writeFileSync(path, `${JSON.stringify(declaration, null, 2)}\n`);
  return declaration;
}

/** Rewrites the vendor's sources in the copy's specs/<vendor>/vendor.json to the fixture files of `dir`. */
export function pointSourcesAt(root, vendor, dir) {
  const files = readdirSync(dir);
  return editVendor(root, vendor, (declaration) => {
    for (const document of declaration.documents) {
      if (document.source?.kind === "hand-written") continue;
      const stem = document.file.replace(/\.(ya?ml|json)$/, "");
      const match = files.find((f) => f === document.file || f.replace(/\.md$/, "") === stem);
      if (!match) throw new Error(`no fixture for ${vendor}/${document.file} in ${dir}`);
      document.source.location = join(dir, match);
    }
  });
}

/** Runs a root script (`node scripts/<script>`) in the copy; returns { status, stdout, stderr, ms }. */
export function run(root, script, args = [], options = {}) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(root, "scripts", script), ...args, "--root", root], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

/** Frontmatter and body of a changeset file. */
export function readChangeset(path) {
  const text = readFileSync(path, "utf8");
  const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  const releases = Object.fromEntries(
    front
      .split("\n")
      .map((l) => l.split(": "))
      .map(([k, v]) => [JSON.parse(k), v]),
  );
  return { releases, body: body.trim() };
}
