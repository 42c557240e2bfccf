// NLPearl: a lead is read by its id (`GET /v1/Outbound/{id}/Lead/{leadId}`), else by its external id
// (`GET /v2/Outbound/{id}/Lead/External/{externalId}`), else found by phone through Search Leads
// (`POST /v1/Outbound/{id}/Leads`, `searchInput`), then read by id for its last call.
import { createNlpearlClient, type NlpearlLeadView, paginate } from "@leadbridge/nlpearl";
import { InvalidLead } from "../adapters/adapter.js";
import { phone } from "../adapters/fields.js";
import { given, readError, translated } from "../reads.js";
import { type Check, cannotCheck, type LeadReader, type ReaderFactory } from "./reader.js";
import type { NlpearlLeadState, VerifyInput } from "./types.js";

/** Leads looked up at once: NLPearl has one lead per request, so a few are in flight together. */
const AT_ONCE = 8;
const PAGE = 100;

export const nlpearlReader: ReaderFactory = (destination, transport, context): LeadReader => {
  const { pearlId } = destination as { pearlId: string };
  const client = createNlpearlClient({ ...transport });

  /** The lead view, or undefined when NLPearl says there is no such lead (it documents no 404: a 400 or 404). */
  async function view(
    request: Promise<{ data?: NlpearlLeadView; error?: unknown; response: Response }>,
  ): Promise<NlpearlLeadView | undefined> {
    const { data, error, response } = await request;
    if (response.status === 404 || response.status === 400) return undefined;
    if (error !== undefined || !response.ok)
      throw readError(transport.redactor, "NLPearl", response.status, error, response.headers);
    return data;
  }

  const byId = (leadId: string) =>
    view(client.GET("/v1/Outbound/{outboundId}/Lead/{leadId}", { params: { path: { outboundId: pearlId, leadId } } }));

  async function checkOne(lead: VerifyInput): Promise<Check> {
    const id = given(lead.vendorLeadId);
    if (id) {
      const found = await byId(id);
      return found
        ? present(found, "found by its lead id")
        : { verified: "missing", reason: `no lead ${id} in this pearl` };
    }
    const externalId = given(lead.externalId);
    if (externalId) {
      const found = await view(
        client.GET("/v2/Outbound/{pearlId}/Lead/External/{externalId}", { params: { path: { pearlId, externalId } } }),
      );
      return found
        ? present(found, "found by its external id")
        : { verified: "missing", reason: "no lead with this external id in this pearl" };
    }
    const number = phoneOf(lead);
    if (typeof number !== "string") return number;
    const digits = number.replace(/\D/g, "");
    const matches: { id?: string | null; created?: string }[] = [];
    const pages = paginate(client, "/v1/Outbound/{outboundId}/Leads", {
      path: { outboundId: pearlId },
      body: { searchInput: digits, limit: PAGE },
    });
    for await (const found of translated(transport.redactor, "NLPearl", pages))
      if ((found.phoneNumber ?? "").replace(/\D/g, "") === digits) matches.push(found);
    if (matches.length === 0) return { verified: "missing", reason: "no lead with this phone number in this pearl" };
    // The latest lead with this number: the one this import added, if NLPearl holds several.
    const latest = matches.reduce((a, b) => ((b.created ?? "") >= (a.created ?? "") ? b : a));
    const found = latest.id ? await byId(latest.id) : undefined;
    const how =
      matches.length > 1 ? `found by phone number (${matches.length} leads have it)` : "found by phone number";
    const check = found ? present(found, how) : { verified: "present" as const, reason: how };
    return { ...check, matches: matches.length, vendorLeadId: latest.id ?? undefined };
  }

  return {
    chunkSize: AT_ONCE,
    check: (leads) => Promise.all(leads.map(checkOne)),
  };

  /** The lead's phone number as the import sent it (E.164), or why it cannot be looked up. */
  function phoneOf(lead: VerifyInput): string | Check {
    try {
      const number = phone({ phone: lead.phone }, context.defaultCountry);
      if (number) return number;
    } catch (error) {
      if (error instanceof InvalidLead) return cannotCheck(`its phone number cannot be looked up: ${error.reason}`);
      throw error;
    }
    return cannotCheck("no lead id, external id or phone number to look it up by");
  }
};

function present(lead: NlpearlLeadView, reason: string): Check {
  const state: NlpearlLeadState = {};
  if (lead.status !== undefined) state.status = lead.status;
  if (Array.isArray(lead.callsId)) state.calls = lead.callsId.length;
  if (lead.lastCall) {
    state.lastCall = {};
    if (lead.lastCall.status !== undefined) state.lastCall.status = lead.lastCall.status;
    if (lead.lastCall.startTime) state.lastCall.startTime = lead.lastCall.startTime;
  }
  return { verified: "present", reason, vendorLeadId: lead.id ?? undefined, nlpearl: state };
}
