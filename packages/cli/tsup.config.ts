// The `leadbridge` command: one ESM file with a shebang. Dependencies stay external (installed
// beside it); the simulators are imported lazily so that a plain import never loads them. The private
// @leadbridge/prism (a devDependency, so tsup bundles it) is inlined: the published CLI never names it.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { bin: "src/bin.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  clean: true,
  banner: { js: "#!/usr/bin/env node" },
});
