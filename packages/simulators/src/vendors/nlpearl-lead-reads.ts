// NLPearl's lead reads: Get Lead (v1, by id) and Get Lead Via External ID (v2). NLPearl documents no 404
// for either; an unknown lead is the 400 ValidationProblemDetails its update answers for one.
import type { Reply, Route } from "../plumbing.js";
import { invalid } from "./nlpearl-checks.js";
import { type NlpearlStore, viewOf } from "./nlpearl-store.js";

export function leadReadRoutes(store: NlpearlStore): Route[] {
  return [
    {
      method: "GET",
      pattern: /^\/v1\/Outbound\/(?<outboundId>[^/]+)\/Lead\/(?<leadId>[^/]+)$/,
      handle({ params }): Reply {
        const lead = store.lead(params.outboundId!, params.leadId!);
        if (lead) return { status: 200, body: viewOf(lead) };
        return invalid({ leadId: [`Lead '${params.leadId}' was not found in outbound '${params.outboundId}'.`] });
      },
    },
    {
      method: "GET",
      pattern: /^\/v2\/Outbound\/(?<pearlId>[^/]+)\/Lead\/External\/(?<externalId>[^/]+)$/,
      handle({ params }): Reply {
        // The latest lead with this external id: NLPearl does not deduplicate, so there may be several.
        const lead = store.leads(params.pearlId!).findLast((candidate) => candidate.externalId === params.externalId);
        if (lead) return { status: 200, body: viewOf(lead) };
        return invalid({ externalId: [`No lead with external id '${params.externalId}' in '${params.pearlId}'.`] });
      },
    },
  ];
}
