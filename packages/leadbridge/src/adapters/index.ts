// The one table of vendors. Adding a vendor: a spec folder, a client package, an adapter, and a line here.
import type { AnyAdapter } from "./adapter.js";
import { type AmplemarketConfig, type AmplemarketDestination, amplemarket } from "./amplemarket.js";
import { type InstantlyConfig, type InstantlyDestination, instantly } from "./instantly.js";
import { type NlpearlConfig, type NlpearlDestination, nlpearl } from "./nlpearl.js";

export const adapters = { instantly, amplemarket, nlpearl } as const satisfies Record<string, AnyAdapter>;

/** Each vendor's destination and config, by vendor name. */
export interface Vendors {
  instantly: { destination: InstantlyDestination; config: InstantlyConfig };
  amplemarket: { destination: AmplemarketDestination; config: AmplemarketConfig };
  nlpearl: { destination: NlpearlDestination; config: NlpearlConfig };
}

export type VendorName = keyof Vendors;
export type Destination = Vendors[VendorName]["destination"];
export type VendorConfigs = { [V in VendorName]?: Vendors[V]["config"] };
