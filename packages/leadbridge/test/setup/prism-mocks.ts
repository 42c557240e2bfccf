// One `prism mock` per vendor, from the spec each vendor package ships, for the whole run.
import { createRequire } from "node:module";
import { startPrism } from "@leadbridge/testing";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    prismMocks: { instantly: string; amplemarket: string; nlpearl: string };
  }
}

const require = createRequire(import.meta.url);
const spec = (pkg: string) => require.resolve(`${pkg}/openapi.yaml`);

export default async function setup(project: TestProject) {
  const servers = await Promise.all([
    startPrism({ mode: "mock", spec: spec("@leadbridge/instantly") }),
    startPrism({ mode: "mock", spec: spec("@leadbridge/amplemarket") }),
    startPrism({ mode: "mock", spec: spec("@leadbridge/nlpearl") }),
  ]);
  const [instantly, amplemarket, nlpearl] = servers.map((s) => s.url) as [string, string, string];
  project.provide("prismMocks", { instantly, amplemarket, nlpearl });
  return () => Promise.all(servers.map((s) => s.close()));
}
