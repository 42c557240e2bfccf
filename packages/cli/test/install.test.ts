// Issue 13 item 9: `npm i @leadbridge/cli` alone, from the packed tarballs (scripts/check-cli-install.mjs).
import { describe, expect, it } from "vitest";
// @ts-expect-error a plain .mjs script, without types
import { checkCliInstall, MAX_INSTALL_BYTES } from "../../../scripts/check-cli-install.mjs";

describe("the packed CLI, installed alone with npm", () => {
  it("is lean (no Prism), has a LICENSE and semver sibling ranges in every tarball, and works", () => {
    const result = checkCliInstall() as { bytes: number; packages: number; failures: string[] };
    expect(result.failures).toEqual([]);
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.bytes).toBeLessThan(MAX_INSTALL_BYTES);
  }, 300_000);
});
