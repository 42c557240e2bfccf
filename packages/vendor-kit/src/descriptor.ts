/**
 * What every part of LeadBridge needs to know about a vendor, in one place: the facade, the CLI (flags,
 * help, hints, credentials, sandbox) and the simulators read it. Facts the spec states (limits, enums,
 * servers) come from the package's generated files, never retyped here.
 */
export interface VendorDescriptor<Name extends string = string> {
  /** Machine name: the `specs/<name>` folder, the facade's `vendor`, the CLI's `--to`. */
  readonly name: Name;
  /** As people write it: "NLPearl". */
  readonly displayName: string;
  /** The parts of the credential, in the order they join into the bearer token. */
  readonly credentials: readonly CredentialDescriptor[];
  /** Joins the credential parts into the bearer token (NLPearl: `AccountId:SecretKey`). */
  readonly tokenSeparator?: string;
  /** The kinds of place leads go to (a campaign, a list, a pearl); a destination is exactly one kind. */
  readonly destinations: readonly DestinationKind[];
  /** Import options every destination kind of this vendor accepts (Instantly's skip flags). */
  readonly importOptions?: readonly DestinationField[];
  /** Most leads one request may carry (the spec's `maxItems`). */
  readonly maxLeadsPerRequest: number;
  /** Most leads one destination may hold, where the vendor documents it (Amplemarket: 60,000 a list). */
  readonly maxLeadsPerDestination?: number;
  /** The documented rate limits, per credential (empty when the vendor documents none). */
  readonly rateLimits: readonly RateLimit[];
  /** Whether resending leads is harmless because the vendor drops a lead the destination already has. */
  readonly resendSafe: boolean;
  /** Where leads' custom fields land, for people ("custom variables"); absent when the vendor takes none. */
  readonly customFields?: string;
  /** The production server (the spec's first server). */
  readonly productionServer: string;
}

export interface CredentialDescriptor {
  /** The option's name in the client and facade config: `apiKey`. */
  readonly option: string;
  /** The environment variable read when the option is absent: `INSTANTLY_API_KEY`. */
  readonly env: string;
  /** What it is and where a person finds it. */
  readonly description: string;
}

export interface DestinationKind {
  /** "campaign", "list", "pearl". */
  readonly kind: string;
  /** The fields that name this destination; the first is its id. */
  readonly fields: readonly DestinationField[];
}

export interface DestinationField {
  /** The destination object's key: `campaignId`. */
  readonly option: string;
  /** The CLI flag: `campaign` (for `--campaign <id>`). */
  readonly flag: string;
  readonly description: string;
  readonly type: "string" | "boolean";
  /** A string format the vendor checks: ids that are UUIDs. */
  readonly format?: "uuid";
  /** The values the spec allows (a generated enum). */
  readonly values?: readonly string[];
}

export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}
