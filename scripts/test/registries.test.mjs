// vendorExports: which names of a vendor's adapter or simulator file its package's index re-exports.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { vendorExports } from "../lib/registries.mjs";

const dir = mkdtempSync(join(tmpdir(), "leadbridge-registries-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("every exported name that starts with the vendor's, types marked, in source order; nothing else", () => {
  const file = join(dir, "acme.ts");
  writeFileSync(
    file,
    `import { AcmeImported } from "./elsewhere.js";
export { ACME_MAX, type AcmeLead, helper } from "./acme-store.js";
export type { AcmeSeed } from "./acme-store.js";
export interface AcmeDestination { vendor: "acme" }
export type AcmePassthrough = Record<string, string>;
export class AcmeStore {}
export const acme = {}, ACME_LIMIT = 1;
export function createAcme() {}
interface AcmePrivate {}
const AcmeHidden = 1;
export default AcmeHidden;
`,
  );
  expect(vendorExports(file, "acme")).toEqual([
    "ACME_MAX",
    "type AcmeLead",
    "type AcmeSeed",
    "type AcmeDestination",
    "type AcmePassthrough",
    "AcmeStore",
    "ACME_LIMIT",
  ]);
});
