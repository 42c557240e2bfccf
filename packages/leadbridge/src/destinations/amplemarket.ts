// Amplemarket's destinations: lead lists. Creating one is documented (POST /lead-lists); listing them is not
// (no stored page documents a GET /lead-lists), so `list` says so instead of guessing an endpoint.
import { type AmplemarketLeadList, createAmplemarketClient } from "@leadbridge/amplemarket";
import type { ReadTransport } from "../adapters/adapter.js";
import { ConfigurationError } from "../errors.js";
import { dataOf } from "../reads.js";
import type { AmplemarketNewList, DestinationInfo, DestinationOps } from "./types.js";

export const amplemarketDestinations: DestinationOps = {
  missing: {
    list: "GET /lead-lists (list lead lists)",
    why: "cannot list lead lists (pass the id of a list you know, or create one)",
  },
  create: (transport, spec) => createList(transport, spec as AmplemarketNewList),
};

/** `POST /lead-lists` with no leads (the spec requires the array, not any lead in it). */
export async function createList(transport: ReadTransport, spec: AmplemarketNewList): Promise<DestinationInfo> {
  const { kind, name, type, owner, shared, visible, options } = spec;
  if (kind !== "list") throw new ConfigurationError(`Amplemarket creates lead lists only (kind "list"), not "${kind}"`);
  if (typeof owner !== "string" || owner === "")
    throw new ConfigurationError("an Amplemarket list needs an owner (the owner's email)", { vendor: "amplemarket" });
  const client = createAmplemarketClient({ apiKey: transport.token, ...transport });
  const body = {
    name,
    type,
    owner,
    shared: shared ?? false,
    ...(visible !== undefined ? { visible } : {}),
    ...(options !== undefined ? { options } : {}),
    leads: [],
  };
  return infoOf(await dataOf(transport.redactor, "amplemarket", client.POST("/lead-lists", { body })), name, type);
}

/** A list's settings, to create its overflow lists alike (`GET /lead-lists/{id}`, one entry). */
export async function readList(transport: ReadTransport, id: string): Promise<AmplemarketLeadList> {
  const client = createAmplemarketClient({ apiKey: transport.token, ...transport });
  return dataOf(
    transport.redactor,
    "amplemarket",
    client.GET("/lead-lists/{id}", { params: { path: { id }, query: { "page[size]": 1 } } }),
  );
}

function infoOf(list: AmplemarketLeadList, name: string, type: string): DestinationInfo {
  if (!list?.id) throw new ConfigurationError("Amplemarket answered the list's creation without its id");
  return {
    vendor: "amplemarket",
    kind: "list",
    id: list.id,
    name: list.name ?? name,
    ...(list.status ? { status: list.status } : {}),
    type: list.type ?? type,
  };
}
