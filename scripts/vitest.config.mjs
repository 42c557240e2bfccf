import { defineConfig } from "vitest/config";

// The tests of scripts/ (spec update flow, diff classifier, CI guard). Each copies the repo into a temp dir.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["test/**/*.test.mjs"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
