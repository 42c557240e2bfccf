// Amplemarket: no lead search and no lead ids, so the list's entries are read once, page after page
// (`GET /lead-lists/{id}`), and each lead is looked up by the list's own identity (the same keys the
// import deduplicates by: email, LinkedIn profile, or title and company, by the list's type).
import { type AmplemarketLeadListType, createAmplemarketClient, paginate } from "@leadbridge/amplemarket";
import { fieldValues, InvalidLead } from "../adapters/adapter.js";
import { amplemarket } from "../adapters/amplemarket.js";
import { FieldReader } from "../adapters/fields.js";
import { ApiError } from "../errors.js";
import { dataOf, given, translated } from "../reads.js";
import { type Check, cannotCheck, type LeadReader, type ReaderFactory } from "./reader.js";
import type { VerifyInput } from "./types.js";

/** Entries per page: the documented default ("up to 100"). */
const PAGE = 100;
const VENDOR = { vendor: "amplemarket" };
const TYPES = fieldValues(amplemarket.descriptor, "type");

export const amplemarketReader: ReaderFactory = (destination, transport, context): LeadReader => {
  const { listId, type: listType } = destination as { listId: string; type?: AmplemarketLeadListType };
  const client = createAmplemarketClient({ apiKey: transport.token, ...transport });
  let index: Promise<{ keys: Set<string>; entries: number; identity: (lead: unknown) => string[] }> | undefined;

  async function read() {
    const type =
      listType ??
      (
        await dataOf(
          transport.redactor,
          "Amplemarket",
          client.GET("/lead-lists/{id}", { params: { path: { id: listId }, query: { "page[size]": 1 } } }),
        )
      ).type;
    if (!TYPES.includes(type as AmplemarketLeadListType))
      throw new ApiError(
        `Amplemarket: lead list ${listId} has type ${JSON.stringify(type)}, not one of ${TYPES.join(", ")}`,
        VENDOR,
      );
    const destination = { vendor: "amplemarket", listId, type: type as AmplemarketLeadListType } as const;
    const opened = amplemarket.open(destination, undefined, context);
    const identity = (lead: unknown) => {
      const found: string[] = [];
      opened.keys(lead as never, (_, value) => {
        found.push(value);
        return true;
      });
      return found;
    };
    const keys = new Set<string>();
    let entries = 0;
    const pages = paginate(client, "/lead-lists/{id}", { path: { id: listId }, query: { "page[size]": PAGE } });
    for await (const entry of translated(transport.redactor, "Amplemarket", pages)) {
      entries++;
      for (const key of identity(entry)) keys.add(key);
    }
    return {
      keys,
      entries,
      identity: (lead: unknown) => identity(opened.toVendorLead(lead, new FieldReader(opened.needs))),
    };
  }

  return {
    chunkSize: 1000,
    async check(leads) {
      index ??= read();
      const { keys, entries, identity } = await index;
      return leads.map((lead): Check => {
        let found: string[];
        try {
          found = identity(fieldsOf(lead));
        } catch (error) {
          if (error instanceof InvalidLead) return cannotCheck(`it cannot be looked up in this list: ${error.reason}`);
          throw error;
        }
        if (found.length === 0) return cannotCheck("it has none of the fields this list identifies leads by");
        return found.some((key) => keys.has(key))
          ? { verified: "present", reason: `found among the list's ${entries} entries` }
          : { verified: "missing", reason: `not among the list's ${entries} entries` };
      });
    },
  };
};

/** The fields Amplemarket identifies a lead by, as the facade's lead names them. */
function fieldsOf(lead: VerifyInput) {
  return {
    email: given(lead.email),
    linkedinUrl: given(lead.linkedinUrl),
    jobTitle: given(lead.jobTitle),
    companyName: given(lead.companyName),
    companyDomain: given(lead.companyDomain),
  };
}
