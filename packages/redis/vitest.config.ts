import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The simulators are read from source, so tests never depend on a stale build of them.
    alias: { "@leadbridge/simulators": fileURLToPath(new URL("../simulators/src/index.ts", import.meta.url)) },
  },
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
