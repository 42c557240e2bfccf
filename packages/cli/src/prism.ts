// The Prism launcher lives in the private @leadbridge/prism package, bundled into the CLI at build time;
// the CLI adds only what a user reads when Prism is missing.
import { PRISM_PACKAGE, PrismNotInstalledError, resolvePrismBin as resolveBin } from "@leadbridge/prism";
import { UsageError } from "./errors.js";

export { freePort, PRISM_PACKAGE, type PrismProcess, type SpawnPrismOptions, spawnPrism } from "@leadbridge/prism";

/**
 * Prism's entry point: beside the CLI (a project or global install), else in the working directory's
 * project (a global CLI with Prism installed locally). Missing: a UsageError saying what to install.
 */
export function resolvePrismBin(range: string, cwd = process.cwd()): string {
  try {
    return resolveBin(range, cwd);
  } catch (error) {
    if (!(error instanceof PrismNotInstalledError)) throw error;
    const spec = error.packageSpec;
    throw new UsageError(
      `leadbridge mock needs Prism (${PRISM_PACKAGE}), which is not installed. It is an optional dependency, so that installing the CLI to import leads stays small.`,
      `Install it where @leadbridge/cli is installed: npm install --save-dev ${spec} (in your project), or npm install --global ${spec} (for a global leadbridge). Then run leadbridge mock again.`,
    );
  }
}
