// Packing workspace packages as `pnpm pack` publishes them and installing them alone, as a user would,
// for the install checks (check-install, check-cli-install) and the consumer-types benchmark.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The compilers a consumer type-checks with: TypeScript 5.9 (`typescript`) and the 7.x `npm i typescript` installs (`typescript7`). */
export const TYPESCRIPT_CONSUMER = ["typescript@5.9", "typescript7@npm:typescript@7", "@types/node@20"];

/** Runs a command to completion; returns its stdout, or throws with its stdout and stderr on the error. */
export const run = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });

/** Packs the package in `packageDir` into `into` with `pnpm pack`; returns the tarball's path. */
export function pack(packageDir, into) {
  mkdirSync(into, { recursive: true });
  const before = new Set(readdirSync(into));
  run("pnpm", ["pack", "--pack-destination", into], packageDir);
  const tarball = readdirSync(into).find((f) => f.endsWith(".tgz") && !before.has(f));
  if (!tarball) throw new Error(`pnpm pack in ${packageDir} wrote no tarball to ${into}`);
  return join(into, tarball);
}

/** Makes `dir` an empty npm project and installs `specs` (tarball paths, registry specs) into it with npm. */
export function installAlone(dir, specs, manifest = { name: "consumer", private: true }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest));
  run("npm", ["install", "--no-audit", "--no-fund", "--silent", ...specs], dir);
}

/** Calls `work(dir)` with a fresh temporary directory, removed once `work` returns or its promise settles. */
export function inScratch(prefix, work) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let result;
  try {
    result = work(dir);
  } catch (error) {
    remove();
    throw error;
  }
  if (result instanceof Promise) return result.finally(remove);
  remove();
  return result;
}
