import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each file starts its own simulators and Prism proxies; Prism takes seconds to boot on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
