import {
  createNlpearlClient,
  type NlpearlClient,
  type NlpearlLeadInput,
  type NlpearlValidationProblem,
} from "@leadbridge/nlpearl";
import {
  all,
  env,
  type Interpretation,
  invalid,
  joinLeads,
  refusedBatch,
  type VendorAdapter,
  type VendorTransportConfig,
  vendorMessage,
} from "./adapter.js";
import { customFields, describe, email, phone, record, text, windowsTimeZone } from "./fields.js";

export interface NlpearlDestination {
  vendor: "nlpearl";
  /** The pearl (outbound campaign) to add the leads to. */
  pearlId: string;
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

export const nlpearl: VendorAdapter<NlpearlDestination, NlpearlConfig, NlpearlLeadInput, NlpearlClient> = {
  vendor: "nlpearl",
  maxBatchSize: 50_000,
  // NLPearl documents no rate limit.
  rateLimits: [],

  credentials(config) {
    const accountId = config?.accountId ?? env("NLPEARL_ACCOUNT_ID");
    const secretKey = config?.secretKey ?? env("NLPEARL_SECRET_KEY");
    const missing: string[] = [];
    if (typeof accountId !== "string" || accountId.trim() === "")
      missing.push("nlpearl.accountId (or NLPEARL_ACCOUNT_ID)");
    if (typeof secretKey !== "string" || secretKey.trim() === "")
      missing.push("nlpearl.secretKey (or NLPEARL_SECRET_KEY)");
    if (missing.length > 0) return { missing };
    if ((accountId as string).includes(":"))
      return { missing: ["nlpearl.accountId without ':' (it separates the id from the key)"] };
    // The bearer token is `AccountId:SecretKey`.
    // The account id is a secret too: with the key it is the whole credential.
    return {
      token: `${accountId}:${secretKey}`,
      secrets: [secretKey as string, accountId as string, `${accountId}:${secretKey}`],
    };
  },

  createClient(token, transport) {
    return createNlpearlClient({ token, ...transport });
  },

  destinationKeys: ["vendor", "pearlId"] satisfies (keyof NlpearlDestination)[],

  checkDestination(d) {
    if (typeof d.pearlId !== "string" || d.pearlId.trim() === "") return "an NLPearl destination needs a pearlId";
    return undefined;
  },

  // NLPearl adds a lead every time it is sent: a resend after a lost answer can duplicate it.
  dedupes: () => false,

  validate(input, _d, context) {
    const lead = record(input);
    const phoneNumber = phone(lead, context.defaultCountry);
    if (phoneNumber === undefined) invalid("an NLPearl pearl needs a phone number");
    const callData: Record<string, string> = {};
    const mail = email(lead);
    if (mail !== undefined) callData.email = mail;
    for (const field of CALL_DATA_FIELDS) {
      const value = text(lead, field);
      if (value !== undefined) callData[field] = value;
    }
    // NLPearl takes callData values as strings only.
    const custom = customFields(lead);
    if (custom) for (const [key, value] of Object.entries(custom)) if (value !== null) callData[key] = String(value);
    const extra = lead.nlpearl;
    if (extra !== undefined && extra !== null) {
      if (typeof extra !== "object" || Array.isArray(extra))
        invalid(`nlpearl must be an object, got ${describe(extra)}`);
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
    const externalId = text(lead, "externalId");
    if (externalId !== undefined) mapped.externalId = externalId;
    const timeZoneId = windowsTimeZone(lead);
    if (timeZoneId !== undefined) mapped.timeZoneId = timeZoneId;
    if (Object.keys(callData).length > 0) mapped.callData = callData;
    return mapped;
  },

  dedupeKeys: (mapped, key) => {
    key("phone", mapped.phoneNumber);
  },

  requestOverhead: () => `{"leads":[]}`.length,

  async send(client, d, batch) {
    const { data, error, response } = await client.POST("/v2/Outbound/{pearlId}/Leads/Add", {
      params: { path: { pearlId: d.pearlId } },
      body: { leads: [] },
      bodySerializer: () => joinLeads(`{"leads":[`, batch, "]}"),
    });
    return { status: response.status, data, error, headers: response.headers };
  },

  interpret(answer, batch, _d, { afterUnknownOutcome }): Interpretation {
    const lost = afterUnknownOutcome
      ? " (an earlier attempt of this batch, whose answer was lost, may have added it)"
      : "";
    if (answer.status >= 200 && answer.status <= 299) {
      if (answer.data === true)
        return {
          outcomes: all(
            batch,
            "added",
            afterUnknownOutcome
              ? `added; it may also have been added by an earlier attempt whose answer was lost`
              : undefined,
          ),
        };
      return {
        outcomes: all(
          batch,
          "unknown",
          `NLPearl answered ${JSON.stringify(answer.data)} instead of true; whether these leads were added is unknown${lost}`,
        ),
      };
    }
    if (answer.status !== 400) {
      return refusedBatch("NLPearl", answer, batch);
    }
    // A 400 maps field paths such as `leads[3].phoneNumber` to messages.
    const problem = answer.error as NlpearlValidationProblem | undefined;
    const perLead = new Map<number, string>();
    const general: string[] = [];
    for (const [key, messages] of Object.entries(problem?.errors ?? {})) {
      const text = `${key}: ${(Array.isArray(messages) ? messages : [String(messages)]).join(" ")}`;
      const match = /^leads\[(\d+)\]/i.exec(key);
      const at = match ? Number(match[1]) : -1;
      if (at >= 0 && at < batch.length) perLead.set(at, perLead.has(at) ? `${perLead.get(at)}; ${text}` : text);
      else general.push(text);
    }
    if (perLead.size === 0) {
      return {
        outcomes: all(batch, "rejected", `NLPearl refused the batch: ${general.join("; ") || vendorMessage(problem)}`),
      };
    }
    // NLPearl's docs say a 400 means "invalid, or some leads could not be added": whether the leads
    // without an error were added is not said, so they are reported unknown rather than guessed.
    const others = `NLPearl answered 400 for ${perLead.size} other lead(s) of this batch and does not say whether this one was added${lost}`;
    return {
      outcomes: batch.map((_, i) =>
        perLead.has(i)
          ? { outcome: "invalid" as const, reason: `NLPearl: ${perLead.get(i)}` }
          : { outcome: "unknown" as const, reason: others },
      ),
    };
  },
};
