#!/usr/bin/env node
// Packs @leadbridge/cli and the workspace packages it depends on, installs the CLI alone with npm
// into an empty project (siblings from their tarballs, everything else from the registry), and
// checks what a user gets: a lean node_modules without Prism, a LICENSE in every tarball, siblings
// by semver range, `-V`, a working sandbox that leaves no journal, and `mock` and `import --redis` saying what to install.
// Prints one JSON line with the measurements; exits 1 on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inScratch, installAlone, pack, run } from "./lib/pack.mjs";

export const MAX_INSTALL_BYTES = 25 * 1024 * 1024;
const root = fileURLToPath(new URL("..", import.meta.url));
const CAMPAIGN = "019e0e3e-b690-71a9-b399-fbf49894dded";

/** The workspace packages a package depends on, transitively, by directory. */
function workspaceClosure(name, byName, seen = new Map()) {
  const pkg = byName.get(name);
  if (!pkg || seen.has(name)) return seen;
  seen.set(name, pkg);
  for (const [dep, spec] of Object.entries(pkg.json.dependencies ?? {})) {
    if (spec.startsWith("workspace:")) workspaceClosure(dep, byName, seen);
  }
  return seen;
}

/** Bytes of every file under `dir` (symbolic links counted as links) and the packages in it. */
function measure(dir) {
  let bytes = 0;
  let packages = 0;
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (!entry.isDirectory()) {
        bytes += lstatSync(full).size;
        continue;
      }
      // A package is a folder of node_modules, or of a @scope in it, with a package.json.
      const inModules = basename(path) === "node_modules" || basename(dirname(path)) === "node_modules";
      if (inModules && !entry.name.startsWith(".") && existsSync(join(full, "package.json"))) packages++;
      walk(full);
    }
  };
  walk(dir);
  return { bytes, packages };
}

function withoutNodePath(env) {
  const { NODE_PATH: _, ...rest } = env;
  return rest;
}

export function checkCliInstall() {
  const failures = [];
  const check = (ok, what) => {
    if (!ok) failures.push(what);
  };
  const byName = new Map();
  for (const dir of readdirSync(join(root, "packages"))) {
    const file = join(root, "packages", dir, "package.json");
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, "utf8"));
      byName.set(json.name, { dir: join(root, "packages", dir), json });
    }
  }
  const packs = workspaceClosure("@leadbridge/cli", byName);
  return inScratch("leadbridge-cli-install-", (scratch) => {
    const tarballs = join(scratch, "tarballs");
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    const files = [];
    for (const [name, pkg] of packs) {
      check(!pkg.json.private, `${name} is private but @leadbridge/cli depends on it`);
      const tarball = pack(pkg.dir, tarballs);
      files.push(basename(tarball));
      const listing = run("tar", ["tzf", tarball], scratch).split("\n");
      check(listing.includes("package/LICENSE"), `${name}: the tarball has no LICENSE`);
      if (listing.includes("package/LICENSE")) {
        const packed = run("tar", ["xzf", tarball, "-O", "package/LICENSE"], scratch);
        check(packed === license, `${name}: its LICENSE is not the repository's`);
      }
      const manifest = JSON.parse(run("tar", ["xzf", tarball, "-O", "package/package.json"], scratch));
      for (const [dep, spec] of Object.entries(manifest.dependencies ?? {})) {
        if (!byName.has(dep)) continue;
        check(/^[~^]\d/.test(spec), `${name} depends on ${dep}@${spec}: not a semver range`);
      }
    }

    const project = join(scratch, "project");
    installAlone(
      project,
      files.map((f) => join(tarballs, f)),
    );
    // Only the CLI is what the user asked for: the siblings' tarballs stand in for the registry.
    const nodeModules = join(project, "node_modules");
    const { bytes, packages } = measure(nodeModules);
    check(bytes < MAX_INSTALL_BYTES, `node_modules is ${(bytes / 1e6).toFixed(1)} MB, over 25 MiB`);
    check(!existsSync(join(nodeModules, "@stoplight")), "Prism (@stoplight/*) was installed");

    const bin = join(nodeModules, ".bin", "leadbridge");
    // A time limit so that a `mock` that found Prism (and so serves until Ctrl-C) fails the check, not hangs it.
    const cli = (args, cwd = project, env = {}) =>
      spawnSync(bin, args, {
        cwd,
        encoding: "utf8",
        // Without pnpm's NODE_PATH (set when the tests run through pnpm): it would find the workspace's packages.
        env: { ...withoutNodePath(process.env), NO_COLOR: "1", ...env },
        timeout: 120_000,
        killSignal: "SIGINT",
      });
    const version = cli(["-V"]);
    check(
      version.status === 0 && version.stdout.trim() === packs.get("@leadbridge/cli").json.version,
      `leadbridge -V printed ${JSON.stringify(version.stdout)} (exit ${version.status})`,
    );

    const work = join(scratch, "work");
    mkdirSync(work);
    writeFileSync(join(work, "leads.csv"), "Email,First Name\na@example.com,Ann\nb@example.com,Bo\n");
    const sandbox = cli(["import", "leads.csv", "--to", "instantly", "--campaign", CAMPAIGN, "--sandbox"], work);
    check(
      sandbox.status === 0 && /2 of 2 leads added/.test(sandbox.stdout),
      `the sandbox import failed (exit ${sandbox.status}): ${sandbox.stdout}${sandbox.stderr}`,
    );
    check(
      readdirSync(work).join() === "leads.csv",
      `the sandbox left files in the working directory: ${readdirSync(work).join(", ")}`,
    );

    const mock = cli(["mock"], work);
    check(
      mock.status === 2 && mock.stderr.includes("npm install --save-dev @stoplight/prism-cli@~5.14"),
      `leadbridge mock without Prism: exit ${mock.status}, ${mock.stderr}`,
    );
    check(!existsSync(join(nodeModules, "ioredis")), "ioredis was installed (it is an optional peer, for --redis)");
    const redis = cli(
      ["import", "leads.csv", "--to", "instantly", "--campaign", CAMPAIGN, "--redis", "redis://:pw@127.0.0.1:9"],
      work,
      { INSTANTLY_API_KEY: "not-a-key" },
    );
    check(
      redis.status === 2 && redis.stderr.includes("npm install @leadbridge/redis ioredis") && !/pw@/.test(redis.stderr),
      `leadbridge import --redis without @leadbridge/redis: exit ${redis.status}, ${redis.stderr}`,
    );
    return { bytes, packages, tarballs: files, failures };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = checkCliInstall();
  console.log(JSON.stringify(result));
  for (const failure of result.failures) console.error(`✗ ${failure}`);
  if (!result.failures.length) {
    console.error(
      `✓ @leadbridge/cli installs alone in ${(result.bytes / 1e6).toFixed(1)} MB (${result.packages} packages), without Prism`,
    );
  }
  process.exit(result.failures.length ? 1 : 0);
}
