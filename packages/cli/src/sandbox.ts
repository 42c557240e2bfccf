import type { Destination } from "leadbridge";
import type { VendorName } from "./vendors.js";

export interface Sandbox {
  url: string;
  /** Configuration for `createLeadBridge`: the simulator's own credentials, pointed at it. */
  config: Record<string, unknown>;
  /** Leads stored in the destination (or in `other`, of the same vendor) so far. */
  stored(other?: Destination): number;
  close(): Promise<void>;
}

/**
 * `--sandbox`: a simulator of the vendor, started in this process on loopback, with the destination
 * created in its store. Nothing leaves the machine and no credentials are needed. Loaded lazily so
 * that real imports never load the simulators.
 */
export async function startSandbox(vendor: VendorName, destination: Destination): Promise<Sandbox> {
  const { startSimulator } = await import("@leadbridge/simulators");
  const sim = await startSimulator({ vendor });
  try {
    sim.prepareDestination(destination);
  } catch (error) {
    await sim.close();
    throw error;
  }
  return {
    url: sim.url,
    config: { [vendor]: { ...sim.credentials, baseUrl: sim.url } },
    stored: (other = destination) => sim.storedCount(other),
    close: () => sim.close(),
  };
}
