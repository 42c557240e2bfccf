import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each file starts its own simulators and Prism proxies; Prism takes seconds to boot on 2 cores.
    // Tests that start `prism proxy` on Instantly's whole 2.4 MB spec wait for it to read the spec:
    // a safety net for a loaded machine, not a speed goal.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
