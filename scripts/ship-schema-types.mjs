#!/usr/bin/env node
// Run by each vendor package's build (cwd: the package), after tsup: ships the generated types once,
// as dist/generated/schema.d.ts, which dist/index.d.ts and dist/index.d.cts both import.
// src/generated/schema.ts holds declarations only (interfaces, type aliases), so it is a valid .d.ts.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";

const source = "src/generated/schema.ts";
if (/^export (?:const|let|var|function|class|enum) /m.test(readFileSync(source, "utf8"))) {
  throw new Error(`${source} has runtime exports; it cannot ship as a .d.ts as is.`);
}
mkdirSync("dist/generated", { recursive: true });
copyFileSync(source, "dist/generated/schema.d.ts");
