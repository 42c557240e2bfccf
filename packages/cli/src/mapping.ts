import type { Lead } from "leadbridge";
import { UsageError } from "./errors.js";

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
 * and `.`: "E-mail", "email_address" and "Email Address" all match "email address". The first column
 * that matches a field wins; later ones become custom fields (and a notice says so).
 */
export const RECOGNISED: Record<Field, readonly string[]> = {
  email: ["email", "e-mail", "email address", "mail", "work email", "business email", "email 1", "primary email"],
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

/** Columns of a LeadBridge failure report: dropped on re-import, so a fixed report can be fed back as it is. */
export const REPORT_COLUMNS = ["row", "outcome", "reason"] as const;

export interface MappingOptions {
  /** `--map field=Column` entries, as given. An empty column (`--map phone=`) turns recognition off for that field. */
  map?: string[];
  /** `--no-custom-fields`: unmapped columns are dropped instead of sent as custom fields. */
  customFields?: boolean;
}

export interface Mapping {
  /** Field → column, for columns known up front (CSV); JSON Lines keys are resolved as they appear. */
  fields: Partial<Record<Field, string>>;
  /** Columns sent as custom fields (CSV only). */
  custom: string[];
  /** Columns dropped (report columns; every unmapped column under --no-custom-fields). */
  dropped: string[];
  notices: string[];
  toLead(record: Record<string, unknown>): Lead;
}

/** Parses `--map` entries; throws a UsageError naming the bad entry. */
export function parseMapFlags(entries: string[] = []): Map<Field, string> {
  const overrides = new Map<Field, string>();
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) throw new UsageError(`--map ${entry}: expected field=Column, e.g. --map email="Work Email".`);
    const field = parseField(entry.slice(0, eq));
    if (!field) {
      throw new UsageError(`--map ${entry}: unknown field "${entry.slice(0, eq)}".`, `Fields: ${FIELDS.join(", ")}.`);
    }
    overrides.set(field, entry.slice(eq + 1).trim());
  }
  return overrides;
}

/**
 * Builds the column → lead mapping. With `columns` (a CSV header) every decision is made now and
 * `--map` columns are checked to exist; without (JSON Lines) keys are resolved on first sight.
 */
export function createMapping(columns: string[] | undefined, options: MappingOptions = {}): Mapping {
  const overrides = parseMapFlags(options.map);
  const keepCustom = options.customFields !== false;
  const notices: string[] = [];
  const isReport = columns !== undefined && REPORT_COLUMNS.every((c, i) => columns[i]?.toLowerCase() === c);

  const findColumn = (wanted: string, available: string[]): string | undefined =>
    available.find((c) => c === wanted) ?? available.find((c) => c.toLowerCase() === wanted.toLowerCase());

  // Column → field, or null for a custom field, or "drop".
  const resolved = new Map<string, Field | null | "drop">();
  const taken = new Map<Field, string>();
  const overriddenColumns = new Set<string>();

  if (columns) {
    for (const [field, column] of overrides) {
      if (column === "") continue;
      const found = findColumn(column, columns);
      if (!found) {
        throw new UsageError(
          `--map ${field}=${column}: there is no column "${column}" in the header.`,
          `Columns: ${columns.join(", ")}`,
        );
      }
      taken.set(field, found);
      resolved.set(found, field);
      overriddenColumns.add(found);
    }
  }

  const resolve = (column: string): Field | null | "drop" => {
    const known = resolved.get(column);
    if (known !== undefined) return known;
    let result: Field | null | "drop" = null;
    if (!columns) {
      // JSON Lines: --map applies by key name.
      for (const [field, wanted] of overrides) {
        if (wanted !== "" && wanted.toLowerCase() === column.toLowerCase() && !taken.has(field)) {
          taken.set(field, column);
          result = field;
        }
      }
    }
    if (result === null) {
      const field = BY_ALIAS.get(normalise(column)) ?? parseField(column);
      if (field && !columns && !overrides.has(field)) {
        // JSON Lines: records may spell a key differently from one another; each recognised key counts.
        if (!taken.has(field)) taken.set(field, column);
        result = field;
      } else if (field && !overrides.has(field) && !taken.has(field)) {
        taken.set(field, column);
        result = field;
      } else if (field && taken.has(field) && columns) {
        notices.push(
          `Columns "${taken.get(field)}" and "${column}" both look like ${field}: using "${taken.get(field)}"; "${column}" ${keepCustom ? "is sent as a custom field" : "is dropped"}.`,
        );
      }
    }
    if (result === null && !keepCustom) result = "drop";
    resolved.set(column, result);
    return result;
  };

  const custom: string[] = [];
  const dropped: string[] = [];
  if (columns) {
    columns.forEach((column, i) => {
      if (isReport && i < REPORT_COLUMNS.length) {
        resolved.set(column, "drop");
        dropped.push(column);
        return;
      }
      const field = resolve(column);
      if (field === null) custom.push(column);
      else if (field === "drop") dropped.push(column);
    });
    if (isReport)
      notices.push(
        `This looks like a LeadBridge failure report: its columns ${REPORT_COLUMNS.join(", ")} are not imported.`,
      );
    if (taken.has("fullName") && (taken.has("firstName") || taken.has("lastName"))) {
      notices.push(`"${taken.get("fullName")}" is used only where first and last name are both empty.`);
    }
  }

  const fields = Object.fromEntries(taken) as Partial<Record<Field, string>>;
  return {
    fields,
    custom,
    dropped,
    notices,
    toLead(record) {
      const lead: Lead = {};
      let customFields: Record<string, string | number | boolean | null> | undefined;
      let fullName: string | undefined;
      for (const column in record) {
        const value = record[column];
        if (value === undefined || value === null || value === "") continue;
        const field = resolve(column);
        if (field === "drop") continue;
        if (field === null) {
          customFields ??= Object.create(null) as Record<string, string | number | boolean | null>; // a "__proto__" column stays a field
          customFields[column] = toCustomValue(value);
        } else if (field === "fullName") {
          fullName = toText(value);
        } else if (lead[field] === undefined) {
          lead[field] = toText(value); // the first of two keys for one field wins (JSON Lines)
        }
      }
      if (fullName && !lead.firstName && !lead.lastName) Object.assign(lead, splitName(fullName));
      if (customFields) lead.customFields = customFields;
      return lead;
    },
  };
}

function toText(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}

function toCustomValue(value: unknown): string | number | boolean | null {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

/** "Mary Ann Smith" → first "Mary Ann", last "Smith": the last word is the family name in most exports. */
export function splitName(name: string): { firstName?: string; lastName?: string } {
  const words = name.trim().split(/\s+/);
  if (words.length === 1) return { firstName: words[0] };
  return { firstName: words.slice(0, -1).join(" "), lastName: words.at(-1) };
}

/** The header-recognition table as Markdown, for the README (kept in sync by a test). */
export function recognitionTable(): string {
  const rows = FIELDS.map((field) => `| \`${field}\` | ${RECOGNISED[field].join(", ")} |`);
  return ["| Field | Recognised headers |", "| --- | --- |", ...rows].join("\n");
}
