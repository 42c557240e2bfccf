import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Each vendor's declaration, in its own folder: specs/<vendor>/vendor.json. */
export const VENDOR_FILE = "vendor.json";

/** specs/<name>/vendor.json under `root`. */
export const vendorFile = (root, name) => join(root, "specs", name, VENDOR_FILE);

/**
 * Every vendor declared under `root`'s specs/ (the repo by default; tests pass a temporary copy): each
 * folder holding a vendor.json. Nothing else lists the vendors. Their order (the CLI's help and choices,
 * the facade's `descriptors`) is each vendor.json's optional `order`, then the name.
 */
export function loadVendors(root = repoRoot) {
  const names = readdirSync(join(root, "specs"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(vendorFile(root, entry.name)))
    .map((entry) => entry.name);
  const declared = names.map((name) => [name, JSON.parse(readFileSync(vendorFile(root, name), "utf8"))]);
  const rank = ([name, vendor]) => [vendor.order ?? Number.POSITIVE_INFINITY, name];
  declared.sort((a, b) => {
    const [[oa, na], [ob, nb]] = [rank(a), rank(b)];
    return oa !== ob ? oa - ob : na < nb ? -1 : na > nb ? 1 : 0;
  });
  return declared.map(([name, vendor]) => {
    return {
      name,
      ...vendor,
      specDir: join(root, "specs", name),
      packageDir: join(root, vendor.directory),
      generatedDir: join(root, vendor.directory, "src/generated"),
    };
  });
}

/** The facade package ({ package, directory }) whose public types re-use the vendor packages' (specs/facade.json). */
export function loadFacade(root = repoRoot) {
  const path = join(root, "specs/facade.json");
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null;
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
