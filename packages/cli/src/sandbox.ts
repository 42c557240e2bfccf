import type { Destination } from "leadbridge";
import type { VendorName } from "./vendors.js";

export interface Sandbox {
  url: string;
  /** Configuration for `createLeadBridge`: the simulator's own credentials, pointed at it. */
  config: Record<string, unknown>;
  /** Leads stored in the destination so far. */
  stored(): number;
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
  let stored: () => number;
  if (destination.vendor === "instantly" && sim.vendor === "instantly") {
    const store = (sim as Awaited<ReturnType<typeof startSimulator<"instantly">>>).store;
    if (destination.campaignId !== undefined) {
      store.createCampaign(destination.campaignId);
      stored = () => store.leads({ campaignId: destination.campaignId! }).length;
    } else {
      store.createList(destination.listId!);
      stored = () => store.leads({ listId: destination.listId! }).length;
    }
  } else if (destination.vendor === "amplemarket") {
    const store = (sim as Awaited<ReturnType<typeof startSimulator<"amplemarket">>>).store;
    store.createList({ type: destination.type, id: destination.listId });
    stored = () => store.leads(destination.listId).length;
  } else if (destination.vendor === "nlpearl") {
    const store = (sim as Awaited<ReturnType<typeof startSimulator<"nlpearl">>>).store;
    store.createOutbound(destination.pearlId);
    stored = () => store.leads(destination.pearlId).length;
  } else {
    throw new Error(`no sandbox for ${vendor}`);
  }
  return {
    url: sim.url,
    config: { [vendor]: { ...sim.credentials, baseUrl: sim.url } },
    stored: () => stored(),
    close: () => sim.close(),
  };
}
