import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

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

/**
 * A script's command line, parsed by `node:util`'s parseArgs: its own `options`, `--root <dir>` (a copy of
 * the repo, for tests) and `--help`; vendor names as positionals when `positionals` is set. A bad flag
 * prints the error and `usage` and exits 2; `--help` prints `usage` and exits 0.
 */
export function scriptArgs(usage, { options = {}, positionals = true, argv = process.argv.slice(2) } = {}) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, root: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: positionals,
    });
  } catch (error) {
    console.error(`${error.message}\n\nusage: ${usage}`);
    process.exit(2);
  }
  if (parsed.values.help) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  const root = parsed.values.root ? resolve(parsed.values.root) : repoRoot;
  return { root, names: parsed.positionals, values: parsed.values };
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
