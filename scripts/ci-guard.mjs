#!/usr/bin/env node
// pnpm specs:guard [--base <ref>] [--root dir]
// Refuses a change under specs/ that was not regenerated, or not released with a changeset.
// "The change" is <base>..working tree, where base is (first that applies):
//   --base <ref> or $LEADBRIDGE_GUARD_BASE (a PR's target, given by the CI system);
//   the merge base with origin/main, when HEAD is not already on origin/main (a branch);
//   HEAD^ (CI on a fresh clone of main: the commit that just landed);
//   the empty tree when HEAD has no parent (the first commit: everything is new).
// A vendor is affected when a file under specs/<vendor>/ (its documents, overlay and vendor.json) or
// packages/<vendor>/src/generated/ changed.
// For each affected vendor: the generated code must match (else `pnpm generate <vendor>`); and if
// what users get (the generated openapi.yaml) changed, a changeset added in the range must name the
// package, pending changesets must give at least the bump the diff calls for, or the range must
// release the package (version bumped).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { generateVendor, staleGenerated } from "./lib/generate-vendor.mjs";
import { bumpFor, diffSpecs } from "./lib/spec-diff.mjs";
import { loadVendors, scriptArgs } from "./lib/vendors.mjs";

const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const BUMPS = ["patch", "minor", "major"];
const { root, values } = scriptArgs("pnpm specs:guard [--base ref] [--root dir]", {
  options: { base: { type: "string" } },
  positionals: false,
});
// maxBuffer: Instantly's generated openapi.yaml (1.8 MB) is over execFileSync's 1 MiB default.
const git = (...args) =>
  execFileSync("git", args, {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
  });
const tryGit = (...args) => {
  try {
    return git(...args).trim();
  } catch {
    return null;
  }
};
const show = (ref, path) => {
  if (ref === EMPTY_TREE) return null;
  try {
    return git("show", `${ref}:${path}`);
  } catch {
    return null;
  }
};

function resolveBase() {
  const given = values.base ?? process.env.LEADBRIDGE_GUARD_BASE;
  if (given) return { base: git("rev-parse", "--verify", `${given}^{commit}`).trim(), why: `given ${given}` };
  const head = git("rev-parse", "HEAD").trim();
  const upstream = tryGit("rev-parse", "--verify", "origin/main^{commit}");
  if (upstream && tryGit("merge-base", "--is-ancestor", "HEAD", "origin/main") === null) {
    return { base: git("merge-base", "HEAD", "origin/main").trim(), why: "merge base with origin/main" };
  }
  const parent = tryGit("rev-parse", "--verify", "HEAD^");
  if (parent) return { base: parent, why: `HEAD^ (the last commit, ${head.slice(0, 7)})` };
  if (tryGit("rev-parse", "--is-shallow-repository") === "true")
    return { base: null, why: "shallow clone without HEAD^" };
  return { base: EMPTY_TREE, why: "no parent: the first commit" };
}

const { base, why } = resolveBase();
if (!base) {
  console.log(`specs:guard: ${why}; cannot tell what changed. Fetch more history (git fetch --deepen=1) to check.`);
  process.exit(0);
}
const changed = [
  ...git("diff", "--name-only", base).split("\n"),
  ...git("ls-files", "--others", "--exclude-standard").split("\n"),
].filter(Boolean);

/** The bumps pending changesets give `pkg`: { file, bump, inRange }. */
function changesetBumps(pkg) {
  const dir = join(root, ".changeset");
  if (!existsSync(dir)) return [];
  const bumps = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "README.md")) {
    const file = `.changeset/${name}`;
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(root, file), "utf8"))?.[1] ?? "";
    const releases = parse(front) ?? {};
    if (releases[pkg]) bumps.push({ file, bump: releases[pkg], inRange: changed.includes(file) });
  }
  return bumps;
}

const failures = [];
const notes = [];
for (const vendor of loadVendors(root)) {
  // Generated files count too, so a spec edit and its regeneration landing as two commits are still caught.
  const generated = `${relative(root, vendor.generatedDir)}/`;
  const specFiles = changed.filter((f) => f.startsWith(`specs/${vendor.name}/`) || f.startsWith(generated));
  // specs/<vendor>/ holds the vendor's declaration (vendor.json) too.
  if (specFiles.length === 0) continue;
  const what = specFiles.join(", ");

  // 1. Regenerated?
  let files;
  try {
    files = await generateVendor(vendor);
  } catch (error) {
    failures.push(
      `${vendor.name}: specs/${vendor.name} does not generate (${error.message.split("\n")[0]}). Fix it, then run \`pnpm generate ${vendor.name}\`.`,
    );
    continue;
  }
  const stale = staleGenerated(vendor, files);
  if (stale.length) {
    failures.push(
      `${vendor.name}: ${what} changed but ${stale.map((f) => `${relative(root, vendor.generatedDir)}/${f.name}`).join(", ")} ` +
        `was not regenerated. Run \`pnpm generate ${vendor.name}\` and commit the result.`,
    );
    continue;
  }

  // 2. Released? Only if what users get changed.
  const generatedPath = relative(root, join(vendor.generatedDir, "openapi.yaml"));
  const before = show(base, generatedPath);
  const now = readFileSync(join(root, generatedPath), "utf8");
  const pkg = JSON.parse(readFileSync(join(vendor.packageDir, "package.json"), "utf8"));
  const level = before ? diffSpecs(parse(before), parse(now)).level : "non-breaking";
  if (before === now || !level) {
    notes.push(
      `${vendor.name}: ${what} changed, but the generated spec did not (e.g. outside the declared operations): no release needed.`,
    );
    continue;
  }
  const required = bumpFor(level, pkg.version);
  const versionBefore = show(base, relative(root, join(vendor.packageDir, "package.json")));
  if (versionBefore && JSON.parse(versionBefore).version !== pkg.version) {
    notes.push(`${vendor.name}: released in this range (${JSON.parse(versionBefore).version} → ${pkg.version}).`);
    continue;
  }
  // The range must describe its change (a changeset of its own); the release bump is the highest of
  // all pending changesets for the package, since `changeset version` combines them.
  const bumps = changesetBumps(pkg.name);
  if (!bumps.some((b) => b.inRange)) {
    failures.push(
      `${vendor.name}: ${what} changed what ${pkg.name} users get (${level}), but no changeset in this range names ${pkg.name}. ` +
        `Run \`pnpm specs:update ${vendor.name}\` (writes one from the diff) or \`pnpm changeset\` (at least ${required}).`,
    );
    continue;
  }
  const given = bumps.reduce((a, b) => (BUMPS.indexOf(b.bump) > BUMPS.indexOf(a.bump) ? b : a));
  if (BUMPS.indexOf(given.bump) < BUMPS.indexOf(required)) {
    failures.push(
      `${vendor.name}: the change is ${level}, which needs a ${required} bump of ${pkg.name} ` +
        `(0.x: breaking → minor), but the highest pending changeset, ${given.file}, gives ${given.bump}. See \`pnpm specs:diff\`; edit the changeset or run \`pnpm changeset\`.`,
    );
    continue;
  }
  notes.push(`${vendor.name}: regenerated; ${given.file} releases ${pkg.name} (${given.bump}, ${level} change).`);
}

console.log(`specs:guard: comparing with ${base === EMPTY_TREE ? "the empty tree" : base.slice(0, 7)} (${why})`);
for (const note of notes) console.log(`✓ ${note}`);
if (failures.length) {
  for (const failure of failures) console.error(`✗ ${failure}`);
  process.exit(1);
}
console.log("✓ every spec change is regenerated and released");
