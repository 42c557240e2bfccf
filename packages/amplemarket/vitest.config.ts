import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/prism-mock.setup.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] },
  },
});
