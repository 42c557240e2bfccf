import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // End-to-end tests spawn the built CLI and simulators; the machine is shared and has 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
