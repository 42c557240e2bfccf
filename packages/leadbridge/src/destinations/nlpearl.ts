// NLPearl's destinations: its outbound pearls (GET /v2/Pearl, one unpaged array of every pearl).
import { createNlpearlClient } from "@leadbridge/nlpearl";
import { dataOf, matches } from "../reads.js";
import type { DestinationOps } from "./types.js";

/** PearlApiView.type: "1 - Inbound, 2 - Outbound" (the spec's description). Leads go to outbound pearls only. */
const OUTBOUND = 2;

export const nlpearlDestinations: DestinationOps = {
  async *list(transport, { search }) {
    const client = createNlpearlClient({ ...transport });
    const pearls = await dataOf(transport.redactor, "nlpearl", client.GET("/v2/Pearl", {}));
    for (const pearl of pearls ?? []) {
      if (pearl.type !== OUTBOUND || !pearl.id) continue;
      const name = pearl.name ?? "";
      if (!matches(name, search)) continue;
      yield {
        vendor: "nlpearl",
        kind: "pearl",
        id: pearl.id,
        name,
        ...(pearl.status !== undefined ? { status: String(pearl.status) } : {}),
      };
    }
  },
};
