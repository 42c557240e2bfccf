// A lead as callers give it. Apart from lead.ts because each vendor's own fields come from its adapter
// (through the generated registry), and the adapters import lead.ts.
import type { VendorPassthroughs } from "./generated/vendors.js";
import type { LeadFields } from "./lead.js";

/**
 * One lead, in the same shape for every vendor (`LeadFields`), with each vendor's own fields under its name
 * (`lead.instantly`, `lead.nlpearl`, …: the adapter's `<Vendor>Passthrough`), sent to that vendor only.
 */
export interface Lead extends LeadFields, VendorPassthroughs {}

/** Input LeadBridge accepts: an array, any iterable, or an async iterable (a CSV stream), never buffered whole. */
export type LeadSource<L = Lead> = Iterable<L> | AsyncIterable<L>;
