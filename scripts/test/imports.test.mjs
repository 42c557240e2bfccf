// The scripts' own modules import each other in one direction only (issue 10: no import circles).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { expect, test } from "vitest";
import { repoRoot } from "./helpers.mjs";

/** Local imports of every .mjs under scripts/ (tests excluded), as a graph of absolute paths. */
function graph() {
  const files = [
    ...readdirSync(join(repoRoot, "scripts")).map((f) => join(repoRoot, "scripts", f)),
    ...readdirSync(join(repoRoot, "scripts/lib")).map((f) => join(repoRoot, "scripts/lib", f)),
  ].filter((f) => f.endsWith(".mjs"));
  const edges = new Map();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gm)].map(
      (m) => m[1],
    );
    edges.set(
      file,
      specifiers.map((s) => resolve(dirname(file), s)),
    );
  }
  return edges;
}

function cycles(edges) {
  const found = [];
  const state = new Map();
  const visit = (node, path) => {
    if (state.get(node) === "done") return;
    if (state.get(node) === "active") {
      found.push([...path.slice(path.indexOf(node)), node].map((f) => f.slice(repoRoot.length + 1)));
      return;
    }
    state.set(node, "active");
    for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, "done");
  };
  for (const node of edges.keys()) visit(node, []);
  return found;
}

test("scripts/ has no import circles", () => {
  const edges = graph();
  expect(edges.get(join(repoRoot, "scripts/lib/update.mjs"))?.length).toBeGreaterThan(0);
  expect(cycles(edges)).toEqual([]);
});
