// The vendors, as `pnpm generate` lists them (src/generated/vendors.ts, from specs/<vendor>/vendor.json):
// adding a vendor edits nothing here (docs/adding-a-vendor.md).
import type { VendorDescriptor } from "@leadbridge/instantly";
import { type Vendors, vendorAdapters, vendorDescriptors } from "../generated/vendors.js";
import type { OpenAdapter, Transport, ValidateContext } from "./adapter.js";

export type { Vendors };

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

export const adapters: Record<VendorName, CoreAdapter> = vendorAdapters;

/** The adapter of `vendor`, or undefined when no vendor has that name. */
export function adapterOf(vendor: unknown): CoreAdapter | undefined {
  return typeof vendor === "string" && Object.hasOwn(adapters, vendor) ? adapters[vendor as VendorName] : undefined;
}

/** Every vendor's descriptor (display name, credentials, destinations, limits), by vendor name. */
export const descriptors = vendorDescriptors satisfies Record<VendorName, VendorDescriptor>;
