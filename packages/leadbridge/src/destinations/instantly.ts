// Instantly's destinations: campaigns (GET /api/v2/campaigns) and lead lists (GET/POST /api/v2/lead-lists).
import { createInstantlyClient, paginate } from "@leadbridge/instantly";
import { ConfigurationError } from "../errors.js";
import { dataOf, matches, translated } from "../reads.js";
import type { DestinationInfo, DestinationOps, InstantlyNewList } from "./types.js";

/** The most items a page of Instantly's lists may hold. */
const PAGE = 100;

export const instantlyDestinations: DestinationOps = {
  async *list(transport, { search }) {
    const client = createInstantlyClient({ apiKey: transport.token, ...transport });
    const query = { limit: PAGE, ...(search ? { search } : {}) };
    for await (const c of translated(
      transport.redactor,
      "instantly",
      paginate(client, "/api/v2/campaigns", { query }),
    )) {
      if (matches(c.name, search))
        yield { vendor: "instantly", kind: "campaign", id: c.id, name: c.name, status: String(c.status) };
    }
    for await (const l of translated(
      transport.redactor,
      "instantly",
      paginate(client, "/api/v2/lead-lists", { query }),
    )) {
      if (matches(l.name, search)) yield { vendor: "instantly", kind: "list", id: l.id, name: l.name };
    }
  },

  async create(transport, spec) {
    const { kind, name, hasEnrichmentTask, ownedBy } = spec as InstantlyNewList;
    if (kind !== "list") throw new ConfigurationError(`Instantly creates lead lists only (kind "list"), not "${kind}"`);
    const client = createInstantlyClient({ apiKey: transport.token, ...transport });
    const body = {
      name,
      ...(hasEnrichmentTask !== undefined ? { has_enrichment_task: hasEnrichmentTask } : {}),
      ...(ownedBy !== undefined ? { owned_by: ownedBy } : {}),
    };
    const list = await dataOf(transport.redactor, "instantly", client.POST("/api/v2/lead-lists", { body }));
    return { vendor: "instantly", kind: "list", id: list.id, name: list.name } satisfies DestinationInfo;
  },
};
