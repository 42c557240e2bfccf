// Build of every vendor package: ESM + CJS + types. The shared packages/vendor-kit source is
// imported by relative path, so esbuild and the .d.ts bundler inline it: the published
// package depends on openapi-fetch alone.
//
// The generated types (1.5 MB for Instantly's whole API) ship once: both index.d.ts and
// index.d.cts import them from dist/generated/schema.d.ts, a copy of src/generated/schema.ts
// (declarations only: interfaces and type aliases), instead of each inlining them. The copy is
// made by the package's build script after tsup, whose .d.ts step clears dist of declarations.
import { defineConfig } from "tsup";

const schema = /\/generated\/schema\.js$/;

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  target: "es2022",
  dts: true,
  external: [schema],
  clean: true,
  treeshake: true,
});
