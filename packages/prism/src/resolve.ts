import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Prism is an optional peer dependency: `npm i @leadbridge/cli` does not pull its ~90 MB. */
export const PRISM_PACKAGE = "@stoplight/prism-cli";

/** Prism is installed neither beside the caller nor in the working directory's project. */
export class PrismNotInstalledError extends Error {
  override name = "PrismNotInstalledError";
  constructor(
    /** What to install: `@stoplight/prism-cli@<range>`. */
    readonly packageSpec: string,
  ) {
    super(`${PRISM_PACKAGE} is not installed`);
  }
}

/**
 * Prism's entry point: beside this code (the CLI's bundle, a project or global install), else in the
 * working directory's project (a global CLI with Prism installed locally).
 * Missing: a PrismNotInstalledError naming `range`, for the caller to say what to install.
 */
export function resolvePrismBin(range: string, cwd = process.cwd()): string {
  for (const base of [import.meta.url, join(cwd, "package.json")]) {
    try {
      return join(dirname(createRequire(base).resolve(`${PRISM_PACKAGE}/package.json`)), "dist/index.js");
    } catch {
      // not installed there
    }
  }
  throw new PrismNotInstalledError(`${PRISM_PACKAGE}@${range}`);
}
