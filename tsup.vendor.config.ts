// Build of every vendor package: ESM + CJS + types. The shared packages/vendor-kit source is
// imported by relative path, so esbuild and the .d.ts bundler inline it: the published
// package depends on openapi-fetch alone.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  target: "es2022",
  dts: true,
  clean: true,
  treeshake: true,
});
