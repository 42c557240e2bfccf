import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/prism-mock.setup.ts"],
    // The spec-derived contract cases (~1,000) are independent requests to one Prism: keep it busy.
    maxConcurrency: 20,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] },
  },
});
