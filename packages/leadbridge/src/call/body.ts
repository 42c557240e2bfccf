import type { Envelope, PreparedLead } from "../adapters/adapter.js";

const encoder = new TextEncoder();

/**
 * A batch's request body: `prefix` + the leads' JSON joined by commas + `suffix`, as UTF-8 bytes, built once
 * and sent as is on every attempt (`fetch` copies a byte body into its request). Empties each lead's JSON
 * string: left on the JS heap until the batch settles, the strings would be promoted to the old generation;
 * bytes outside the heap are freed with the batch.
 */
export function bodyOf(envelope: Envelope, batch: PreparedLead[]): Uint8Array {
  const head = encoder.encode(envelope.prefix);
  const tail = encoder.encode(envelope.suffix);
  let total = head.length + tail.length + (batch.length > 0 ? batch.length - 1 : 0);
  for (let i = 0; i < batch.length; i++) total += batch[i]!.bytes;
  const out = new Uint8Array(total);
  out.set(head, 0);
  let at = head.length;
  for (let i = 0; i < batch.length; i++) {
    const lead = batch[i]!;
    if (i > 0) out[at++] = 0x2c;
    at += encoder.encodeInto(lead.json, out.subarray(at)).written;
    lead.json = "";
  }
  out.set(tail, at);
  at += tail.length;
  return at === total ? out : out.subarray(0, at);
}
