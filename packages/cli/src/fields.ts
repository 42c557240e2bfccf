/** The lead fields a column can fill (the facade's `Lead`), plus `fullName`, split into first and last name. */
export const FIELDS = [
  "email",
  "phone",
  "firstName",
  "lastName",
  "fullName",
  "companyName",
  "companyDomain",
  "jobTitle",
  "linkedinUrl",
  "website",
  "timeZone",
  "externalId",
] as const;
export type Field = (typeof FIELDS)[number];

/**
 * Header names recognised for each field, compared case-insensitively and ignoring spaces, `_`, `-`
 * and `.`: "E-mail", "email_address" and "Email Address" all match "email address". For `email` and
 * `phone` every matching column is a fallback, in header order; for other fields the first column that
 * matches wins and later ones become custom fields (and a notice says so).
 */
export const RECOGNISED: Record<Field, readonly string[]> = {
  email: [
    "email",
    "e-mail",
    "email address",
    "mail",
    "work email",
    "business email",
    "email 1",
    "primary email",
    "secondary email",
    "email 2",
  ],
  phone: [
    "phone",
    "phone number",
    "telephone",
    "tel",
    "mobile",
    "mobile phone",
    "mobile number",
    "cell",
    "cell phone",
    "work phone",
    "direct phone",
    "phone 1",
    "primary phone",
    "mobile phone number",
    "work direct phone",
    "corporate phone",
    "company phone",
    "office phone",
    "other phone",
    "phone 2",
  ],
  firstName: ["first name", "firstname", "first", "given name", "forename", "fname"],
  lastName: ["last name", "lastname", "last", "surname", "family name", "lname"],
  fullName: ["name", "full name", "contact name", "contact"],
  companyName: [
    "company",
    "company name",
    "organization",
    "organisation",
    "organization name",
    "account name",
    "company / account",
    "employer",
  ],
  companyDomain: ["company domain", "domain", "email domain", "company website domain"],
  jobTitle: ["job title", "title", "position", "role", "job", "designation", "headline"],
  linkedinUrl: [
    "linkedin",
    "linkedin url",
    "linkedin profile",
    "linkedin profile url",
    "person linkedin url",
    "li url",
  ],
  website: ["website", "url", "web", "company website", "site", "homepage", "company url", "web site"],
  timeZone: ["time zone", "timezone", "tz", "time zone id", "timezone id", "iana time zone"],
  externalId: ["external id", "id", "crm id", "record id", "lead id", "contact id", "customer id"],
};

export function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]+/g, "");
}

const BY_ALIAS = new Map<string, Field>();
for (const field of FIELDS) for (const alias of RECOGNISED[field]) BY_ALIAS.set(normalise(alias), field);

/** Accepts `firstName`, `first_name`, `first-name`, `First Name`... for `--map`. */
export function parseField(name: string): Field | undefined {
  const key = normalise(name);
  return FIELDS.find((field) => normalise(field) === key);
}

/** The field a header names: a recognised alias, or the field's own name. */
export function recognise(column: string): Field | undefined {
  return BY_ALIAS.get(normalise(column)) ?? parseField(column);
}

/** Columns of a LeadBridge failure report: dropped on re-import, so a fixed report can be fed back as it is. */
export const REPORT_COLUMNS = ["row", "outcome", "reason"] as const;

/**
 * Fields where several recognised columns are fallbacks rather than rivals: the first non-empty one, in
 * header order, is used (Apollo's "Mobile Phone" then "Corporate Phone"). For other fields the first
 * recognised column wins and the rest are custom fields.
 */
export const FALLBACK_FIELDS: ReadonlySet<Field> = new Set(["email", "phone"]);

/** The header-recognition table as Markdown, for the README (kept in sync by a test). */
export function recognitionTable(): string {
  const rows = FIELDS.map((field) => `| \`${field}\` | ${RECOGNISED[field].join(", ")} |`);
  return ["| Field | Recognised headers |", "| --- | --- |", ...rows].join("\n");
}
