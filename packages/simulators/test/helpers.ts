import { createRequire } from "node:module";
import { type PrismServer, startPrism } from "@leadbridge/testing";
import { afterAll, expect } from "vitest";
import { type Simulator, type SimulatorOptions, startSimulator, type Vendor } from "../src/index.js";

const require = createRequire(import.meta.url);

/** The bundled spec each vendor package ships; the simulators must satisfy it. */
export function specOf(vendor: Vendor): string {
  return require.resolve(`@leadbridge/${vendor}/openapi.yaml`);
}

export interface Proxied<V extends Vendor> {
  sim: Simulator<V>;
  /** `prism proxy --errors` in front of the simulator: point clients here. */
  prism: PrismServer;
}

/**
 * Starts a simulator and a validating `prism proxy --errors` in front of it, both stopped after
 * the file's tests. Prism answers 500 with `sl-violations` when a response breaks the spec, and
 * lists undocumented statuses in `sl-violations` as warnings.
 */
export async function proxied<V extends Vendor>(options: SimulatorOptions<V>): Promise<Proxied<V>> {
  const sim = await startSimulator(options);
  const prism = await startPrism({ mode: "proxy", spec: specOf(options.vendor), upstream: sim.url, errors: true });
  afterAll(async () => {
    await prism.close();
    await sim.close();
  });
  return { sim, prism };
}

/** A simulator on its own, closed after the file's tests. */
export async function direct<V extends Vendor>(options: SimulatorOptions<V>): Promise<Simulator<V>> {
  const sim = await startSimulator(options);
  afterAll(() => sim.close());
  return sim;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Prism's own answers (request violations, its 401, its violation 500s) are problem+json; the simulators never send that. */
export function expectFromSimulator(response: Response): void {
  expect(response.headers.get("content-type") ?? "").not.toMatch(/problem\+json/);
}
