import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The simulators are read from source, so tests never depend on a stale build of them.
    alias: { "@leadbridge/simulators": fileURLToPath(new URL("../simulators/src/index.ts", import.meta.url)) },
  },
  test: {
    globalSetup: ["./test/setup/prism-mocks.ts"],
    setupFiles: ["./test/setup/canary.ts"],
    testTimeout: 60_000,
    // timeouts.test.ts forces garbage collections: a timeout must fire whatever the collector frees.
    execArgv: ["--expose-gc"],
    hookTimeout: 60_000,
  },
});
