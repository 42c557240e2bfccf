import { startPrism } from "@leadbridge/prism";
import type {} from "vitest";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the `prism mock` started from the package's bundled spec. */
    prismMockUrl: string;
  }
}

/**
 * A vitest globalSetup that serves `spec` with `prism mock` for the whole test run,
 * and stops it afterwards, whether the tests passed or not.
 */
export function prismMockGlobalSetup(spec: string) {
  return async function setup(project: TestProject) {
    const prism = await startPrism({ mode: "mock", spec, quiet: true });
    project.provide("prismMockUrl", prism.url);
    return () => prism.close();
  };
}
