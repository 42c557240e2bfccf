// The `leadbridge` command: one ESM file with a shebang. Dependencies stay external (installed
// beside it); the simulators are imported lazily so that a plain import never loads them.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { bin: "src/bin.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  clean: true,
  banner: { js: "#!/usr/bin/env node" },
});
