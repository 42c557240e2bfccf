// ESM + CJS + types for the library; the `leadbridge-sim` command as one ESM file with a shebang.
import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    target: "node20",
    platform: "node",
    // The stores' `@internal` methods answer the HTTP routes; they (and the vendor types they use) stay out of the types.
    dts: { compilerOptions: { stripInternal: true } },
    clean: true,
    treeshake: true,
  },
  {
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
