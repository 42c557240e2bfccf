import {
  createNlpearlClient,
  descriptor,
  type NlpearlLeadInput,
  type NlpearlValidationProblem,
} from "@leadbridge/nlpearl";
import {
  all,
  answerOf,
  destinationKeysOf,
  type Interpretation,
  type InterpretContext,
  invalid,
  type LeadVerdict,
  rawBody,
  refusedBatch,
  sending,
  type ValidateContext,
  type VendorAdapter,
  type VendorAnswer,
  type VendorTransportConfig,
  vendorMessage,
} from "./adapter.js";
import { customFields, describe, email, type FieldReader, phone, record, windowsTimeZone } from "./fields.js";

export interface NlpearlDestination {
  vendor: "nlpearl";
  /** The pearl (outbound campaign) to add the leads to. */
  pearlId: string;
}

/** `lead.nlpearl`: fields only NLPearl has. `callData` entries are merged over the ones derived from the lead. */
export interface NlpearlPassthrough {
  callData?: Record<string, string>;
}

export interface NlpearlConfig extends VendorTransportConfig {
  /** Falls back to NLPEARL_ACCOUNT_ID. */
  accountId?: string;
  /** Falls back to NLPEARL_SECRET_KEY. */
  secretKey?: string;
}

/** Unified fields NLPearl has no column for travel in `callData`, under these names. */
const CALL_DATA_FIELDS = [
  "firstName",
  "lastName",
  "companyName",
  "companyDomain",
  "jobTitle",
  "linkedinUrl",
  "website",
] as const;

export const nlpearl: VendorAdapter<NlpearlDestination, NlpearlLeadInput> = {
  descriptor,
  destinationKeys: destinationKeysOf(descriptor),

  checkDestination(d) {
    if (typeof d.pearlId !== "string" || d.pearlId.trim() === "") return "an NLPearl destination needs a pearlId";
    return undefined;
  },

  open(d, transport, context) {
    const client = transport && createNlpearlClient({ ...transport });
    return {
      // A pearl calls: it needs a phone number.
      needs: ["phone"],
      toVendorLead: (lead, fields) => toVendorLead(lead, fields, context),
      keys: (mapped, key) => {
        key("phone", mapped.phoneNumber);
      },
      envelope: { prefix: `{"leads":[`, suffix: "]}" },
      send: (body) =>
        answerOf(
          sending(client).POST("/v2/Outbound/{pearlId}/Leads/Add", {
            params: { path: { pearlId: d.pearlId } },
            body: { leads: [] },
            ...rawBody(body),
          }),
        ),
      interpret,
    };
  },
};

function toVendorLead(input: unknown, fields: FieldReader, context: ValidateContext): NlpearlLeadInput {
  const lead = record(input);
  const phoneNumber = fields.read("phone", phone, lead, context.defaultCountry);
  if (phoneNumber === undefined) invalid("an NLPearl pearl needs a phone number");
  const callData: Record<string, string> = {};
  const mail = fields.read("email", email, lead, undefined);
  if (mail !== undefined) callData.email = mail;
  for (const field of CALL_DATA_FIELDS) {
    const value = fields.text(lead, field);
    if (value !== undefined) callData[field] = value;
  }
  // NLPearl takes callData values as strings only.
  const custom = customFields(lead);
  if (custom) for (const [key, value] of Object.entries(custom)) if (value !== null) callData[key] = String(value);
  const extra = lead.nlpearl;
  if (extra !== undefined && extra !== null) {
    if (typeof extra !== "object" || Array.isArray(extra)) invalid(`nlpearl must be an object, got ${describe(extra)}`);
    const passthrough = (extra as Record<string, unknown>).callData;
    if (passthrough !== undefined && passthrough !== null) {
      if (typeof passthrough !== "object" || Array.isArray(passthrough)) {
        invalid(`nlpearl.callData must be an object, got ${describe(passthrough)}`);
      }
      for (const [key, value] of Object.entries(passthrough as Record<string, unknown>)) {
        if (typeof value !== "string") invalid(`nlpearl.callData.${key} must be text, got ${describe(value)}`);
        callData[key] = value;
      }
    }
  }
  const mapped: NlpearlLeadInput = { phoneNumber };
  const externalId = fields.text(lead, "externalId");
  if (externalId !== undefined) mapped.externalId = externalId;
  const timeZoneId = fields.read("timeZone", windowsTimeZone, lead, undefined);
  if (timeZoneId !== undefined) mapped.timeZoneId = timeZoneId;
  if (Object.keys(callData).length > 0) mapped.callData = callData;
  return mapped;
}

/** Outcomes from NLPearl's answer: `true` for the batch, or a 400 naming the failing leads by path. */
function interpret(answer: VendorAnswer, n: number, { afterUnknownOutcome }: InterpretContext): Interpretation {
  const lost = afterUnknownOutcome
    ? " (an earlier attempt of this batch, whose answer was lost, may have added it)"
    : "";
  if (answer.status >= 200 && answer.status <= 299) {
    if (answer.data === true)
      return {
        outcomes: afterUnknownOutcome
          ? all(
              n,
              "added_maybe_twice",
              "added; it may also have been added by an earlier attempt whose answer was lost",
            )
          : all(n, "added"),
      };
    return {
      outcomes: all(
        n,
        "ambiguous_answer",
        `NLPearl answered ${JSON.stringify(answer.data)} instead of true; whether these leads were added is unknown${lost}`,
      ),
    };
  }
  if (answer.status !== 400) {
    return refusedBatch("NLPearl", answer, n);
  }
  // A 400 maps field paths such as `leads[3].phoneNumber` to messages.
  const problem = answer.error as NlpearlValidationProblem | undefined;
  const perLead = new Map<number, string>();
  const general: string[] = [];
  for (const [key, messages] of Object.entries(problem?.errors ?? {})) {
    const text = `${key}: ${(Array.isArray(messages) ? messages : [String(messages)]).join(" ")}`;
    const match = /^leads\[(\d+)\]/i.exec(key);
    const at = match ? Number(match[1]) : -1;
    if (at >= 0 && at < n) perLead.set(at, perLead.has(at) ? `${perLead.get(at)}; ${text}` : text);
    else general.push(text);
  }
  if (perLead.size === 0) {
    return {
      outcomes: all(
        n,
        "rejected_by_vendor",
        `NLPearl refused the batch: ${general.join("; ") || vendorMessage(problem)}`,
      ),
    };
  }
  // NLPearl's docs say a 400 means "invalid, or some leads could not be added": whether the leads
  // without an error were added is not said, so they are reported unknown rather than guessed.
  const others = `NLPearl answered 400 for ${perLead.size} other lead(s) of this batch and does not say whether this one was added${lost}`;
  return {
    outcomes: Array.from(
      { length: n },
      (_, i): LeadVerdict =>
        perLead.has(i)
          ? { code: "invalid_by_vendor", reason: `NLPearl: ${perLead.get(i)}` }
          : { code: "ambiguous_answer", reason: others },
    ),
  };
}
