// The one table of vendors. Adding a vendor: a spec folder, a client package, an adapter, and a line here.
import { descriptor as amplemarketDescriptor } from "@leadbridge/amplemarket";
import { descriptor as instantlyDescriptor, type VendorDescriptor } from "@leadbridge/instantly";
import { descriptor as nlpearlDescriptor } from "@leadbridge/nlpearl";
import type { OpenAdapter, Transport, ValidateContext } from "./adapter.js";
import { type AmplemarketConfig, type AmplemarketDestination, amplemarket } from "./amplemarket.js";
import { type InstantlyConfig, type InstantlyDestination, instantly } from "./instantly.js";
import { type NlpearlConfig, type NlpearlDestination, nlpearl } from "./nlpearl.js";

/** Each vendor's destination and config, by vendor name. */
export interface Vendors {
  instantly: { destination: InstantlyDestination; config: InstantlyConfig };
  amplemarket: { destination: AmplemarketDestination; config: AmplemarketConfig };
  nlpearl: { destination: NlpearlDestination; config: NlpearlConfig };
}

export type VendorName = keyof Vendors;
export type Destination = Vendors[VendorName]["destination"];
export type VendorConfigs = { [V in VendorName]?: Vendors[V]["config"] };

/** Any vendor's adapter as the core uses it: the destination is the union, the mapped lead opaque. */
export interface CoreAdapter {
  readonly descriptor: VendorDescriptor<VendorName>;
  readonly destinationKeys: readonly string[];
  checkDestination(destination: Destination): string | undefined;
  open(destination: Destination, transport: Transport | undefined, context: ValidateContext): OpenAdapter<unknown>;
}

export const adapters: Record<VendorName, CoreAdapter> = { instantly, amplemarket, nlpearl };

/** The adapter of `vendor`, or undefined when no vendor has that name. */
export function adapterOf(vendor: unknown): CoreAdapter | undefined {
  return typeof vendor === "string" && Object.hasOwn(adapters, vendor) ? adapters[vendor as VendorName] : undefined;
}

/** Every vendor's descriptor (display name, credentials, destinations, limits), by vendor name. */
export const descriptors = {
  instantly: instantlyDescriptor,
  amplemarket: amplemarketDescriptor,
  nlpearl: nlpearlDescriptor,
} as const satisfies Record<VendorName, VendorDescriptor>;
