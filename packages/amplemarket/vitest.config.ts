import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/prism-mock.setup.ts"],
    // A safety net for a loaded machine, not a speed goal.
    testTimeout: 60_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] },
  },
});
