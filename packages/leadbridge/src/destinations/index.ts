// `bridge.destinations()` and `bridge.createDestination()`: each vendor's list and create operations.
import type { ReadTransport } from "../adapters/adapter.js";
import type { VendorName } from "../adapters/index.js";
import { amplemarketDestinations } from "./amplemarket.js";
import { instantlyDestinations } from "./instantly.js";
import { nlpearlDestinations } from "./nlpearl.js";
import {
  type DestinationInfo,
  type DestinationOps,
  type DestinationsOptions,
  UnsupportedOperationError,
} from "./types.js";

export * from "./types.js";

/** By vendor; a vendor not here (a new one) has neither operation yet. */
const OPS: Partial<Record<VendorName, DestinationOps>> = {
  instantly: instantlyDestinations,
  amplemarket: amplemarketDestinations,
  nlpearl: nlpearlDestinations,
};

/** Every destination of `vendor`, page after page; `connect` is called once the iteration starts. */
export async function* listDestinations(
  vendor: VendorName,
  connect: () => Promise<ReadTransport>,
  options: DestinationsOptions,
): AsyncGenerator<DestinationInfo, void, undefined> {
  const ops = OPS[vendor];
  if (ops?.missing?.list) throw new UnsupportedOperationError(vendor, ops.missing.list, ops.missing.why);
  const list = ops?.list;
  if (!list) throw new UnsupportedOperationError(vendor, "list", "cannot list destinations");
  yield* list(await connect(), options);
}

export async function createDestinationAt(
  vendor: VendorName,
  connect: () => Promise<ReadTransport>,
  spec: { kind: string; name: string },
): Promise<DestinationInfo> {
  const create = OPS[vendor]?.create;
  if (!create) throw new UnsupportedOperationError(vendor, "create operation", `cannot create a ${spec.kind}`);
  return create(await connect(), spec);
}
