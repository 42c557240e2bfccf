import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Reads specs/vendors.json from `root` (the repo by default; tests pass a temporary copy). */
export function loadVendors(root = repoRoot) {
  const config = JSON.parse(readFileSync(join(root, "specs/vendors.json"), "utf8"));
  return Object.entries(config.vendors).map(([name, vendor]) => ({
    name,
    ...vendor,
    specDir: join(root, "specs", name),
    packageDir: join(root, vendor.directory),
    generatedDir: join(root, vendor.directory, "src/generated"),
  }));
}

/** The facade package ({ package, directory }) whose public types re-use the vendor packages', if declared. */
export function loadFacade(root = repoRoot) {
  return JSON.parse(readFileSync(join(root, "specs/vendors.json"), "utf8")).facade ?? null;
}

/** `--root <dir>` (a copy of the repo, for tests) and the vendor names among a script's arguments. */
export function parseArgs(argv, flags = []) {
  const rootIndex = argv.indexOf("--root");
  const root = rootIndex >= 0 ? resolve(argv[rootIndex + 1]) : repoRoot;
  const valued = new Set(["--root", ...flags]);
  const names = argv.filter((a, i) => !a.startsWith("--") && !valued.has(argv[i - 1]));
  const value = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  return { root, names, value, has: (flag) => argv.includes(flag) };
}

/** Picks the vendors named on the command line, or all of them; unknown names are an error. */
export function selectVendors(vendors, names) {
  if (names.length === 0) return vendors;
  const known = new Map(vendors.map((v) => [v.name, v]));
  return names.map((name) => {
    const vendor = known.get(name);
    if (!vendor) throw new Error(`Unknown vendor "${name}". Known vendors: ${[...known.keys()].join(", ")}.`);
    return vendor;
  });
}
