import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@leadbridge/simulators": fileURLToPath(new URL("../../packages/simulators/src/index.ts", import.meta.url)),
    },
  },
  test: {
    testTimeout: 300_000,
    hookTimeout: 60_000,
    // Worker processes, a simulator and redis-server each: one file at a time on a 2-core machine.
    fileParallelism: false,
  },
});
