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

/**
 * Fields where several recognised columns are fallbacks rather than rivals: the first non-empty one, in
 * header order, is used (Apollo's "Mobile Phone" then "Corporate Phone"). For other fields the first
 * recognised column wins and the rest are custom fields.
 */
export const FALLBACK_FIELDS: ReadonlySet<Field> = new Set(["email", "phone"]);

/** `custom.<name>` in `--map`: a custom field under a name of the user's choosing. */
const CUSTOM_PREFIX = "custom.";

/** What a `--map` entry fills: a lead field, or a custom field by name (`custom.lifecycle_stage`). */
export type MapTarget = Field | `${typeof CUSTOM_PREFIX}${string}`;

export interface MappingOptions {
  /**
   * `--map target=Column[,Column...]` entries, as given: the first non-empty column wins. An empty
   * column (`--map phone=`) turns recognition off for that field.
   */
  map?: string[];
  /** `--no-custom-fields`: unmapped columns are dropped instead of sent as custom fields. */
  customFields?: boolean;
}

export interface Mapping {
  /** Target → columns, first non-empty wins (CSV); JSON Lines keys are resolved as they appear. */
  fields: Partial<Record<MapTarget, string[]>>;
  /** Columns sent as custom fields under their header name (CSV only). */
  custom: string[];
  /** Columns dropped (report columns; every unmapped column under --no-custom-fields). */
  dropped: string[];
  notices: string[];
  toLead(record: Record<string, unknown>): Lead;
}

/** Parses `--map` entries (raw column lists, split later against the header); throws a UsageError naming a bad one. */
export function parseMapFlags(entries: string[] = []): Map<MapTarget, string> {
  const overrides = new Map<MapTarget, string>();
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) throw new UsageError(`--map ${entry}: expected field=Column, e.g. --map email="Work Email".`);
    const name = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    if (name.toLowerCase().startsWith(CUSTOM_PREFIX)) {
      const key = name.slice(CUSTOM_PREFIX.length).trim();
      if (!key)
        throw new UsageError(`--map ${entry}: name the custom field, e.g. --map custom.stage="Lifecycle Stage".`);
      if (!value) throw new UsageError(`--map ${entry}: name the column for custom field "${key}".`);
      overrides.set(`${CUSTOM_PREFIX}${key}`, value);
      continue;
    }
    const field = parseField(name);
    if (!field) {
      throw new UsageError(
        `--map ${entry}: unknown field "${name}".`,
        `Fields: ${FIELDS.join(", ")}; or custom.<name> for a custom field.`,
      );
    }
    overrides.set(field, value);
  }
  return overrides;
}

/**
 * `Mobile Phone,Corporate Phone` → both columns, in order. A header that itself contains commas is
 * taken whole when it matches a column exactly.
 */
export function splitColumns(value: string, columns?: string[]): string[] {
  if (value === "") return [];
  if (columns?.some((c) => c.toLowerCase() === value.toLowerCase())) return [value];
  return value
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "");
}

/** Where a column goes: a target with its rank (0 = first choice), a custom field by its header (null), or nowhere. */
type Resolved = { target: MapTarget; rank: number } | null | "drop";

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

  const resolved = new Map<string, Resolved>();
  const taken = new Map<MapTarget, string[]>();
  const claim = (target: MapTarget, column: string): Resolved => {
    const list = taken.get(target) ?? [];
    if (!taken.has(target)) taken.set(target, list);
    list.push(column);
    return { target, rank: list.length - 1 };
  };
  // JSON Lines: --map applies by key name, so the wanted keys are kept with their rank.
  const wantedKeys = new Map<string, { target: MapTarget; rank: number }>();

  for (const [target, value] of overrides) {
    const wanted = splitColumns(value, columns);
    if (!columns) {
      wanted.forEach((key, rank) => {
        if (!wantedKeys.has(key.toLowerCase())) wantedKeys.set(key.toLowerCase(), { target, rank });
      });
      continue;
    }
    for (const column of wanted) {
      const found = findColumn(column, columns);
      if (!found) {
        throw new UsageError(
          `--map ${target}=${value}: there is no column "${column}" in the header.`,
          `Columns: ${columns.join(", ")}`,
        );
      }
      const earlier = resolved.get(found);
      if (earlier && earlier !== "drop") {
        throw new UsageError(`--map: column "${found}" is mapped to both ${earlier.target} and ${target}.`);
      }
      resolved.set(found, claim(target, found));
    }
  }

  const resolve = (column: string): Resolved => {
    const known = resolved.get(column);
    if (known !== undefined) return known;
    let result: Resolved = null;
    const wanted = columns ? undefined : wantedKeys.get(column.toLowerCase());
    if (wanted) {
      result = wanted;
      if (!taken.has(wanted.target)) taken.set(wanted.target, [column]);
    } else {
      const field = BY_ALIAS.get(normalise(column)) ?? parseField(column);
      if (field && !overrides.has(field)) {
        if (!columns) {
          // JSON Lines: records may spell a key differently from one another; each recognised key counts.
          if (!taken.has(field)) taken.set(field, [column]);
          result = { target: field, rank: 0 };
        } else if (!taken.has(field) || FALLBACK_FIELDS.has(field)) {
          result = claim(field, column);
        } else {
          const first = taken.get(field)![0];
          notices.push(
            `Columns "${first}" and "${column}" both look like ${field}: using "${first}"; "${column}" ${keepCustom ? "is sent as a custom field" : "is dropped"}.`,
          );
        }
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
      const target = resolve(column);
      if (target === null) custom.push(column);
      else if (target === "drop") dropped.push(column);
    });
    if (isReport)
      notices.push(
        `This looks like a LeadBridge failure report: its columns ${REPORT_COLUMNS.join(", ")} are not imported.`,
      );
    if (taken.has("fullName") && (taken.has("firstName") || taken.has("lastName"))) {
      notices.push(`"${taken.get("fullName")![0]}" is used only where first and last name are both empty.`);
    }
  }

  const fields = Object.fromEntries(taken) as Partial<Record<MapTarget, string[]>>;
  return {
    fields,
    custom,
    dropped,
    notices,
    toLead(record) {
      const lead: Lead = {};
      let customFields: Record<string, string | number | boolean | null> | undefined;
      let fullName: string | undefined;
      // The rank of the column each target took its value from: a better-ranked (earlier) column replaces it.
      const from = new Map<MapTarget, number>();
      for (const column in record) {
        const value = record[column];
        if (value === undefined || value === null || value === "") continue;
        const target = resolve(column);
        if (target === "drop") continue;
        // a "__proto__" column stays a field
        customFields ??= Object.create(null) as Record<string, string | number | boolean | null>;
        if (target === null) {
          customFields![column] ??= toCustomValue(value);
          continue;
        }
        const rank = from.get(target.target);
        if (rank !== undefined && rank <= target.rank) continue; // the first of two keys for one field wins
        from.set(target.target, target.rank);
        if (target.target.startsWith(CUSTOM_PREFIX)) {
          customFields![target.target.slice(CUSTOM_PREFIX.length)] = toCustomValue(value);
        } else if (target.target === "fullName") {
          fullName = toText(value);
        } else {
          lead[target.target as Exclude<Field, "fullName">] = toText(value);
        }
      }
      if (fullName && !lead.firstName && !lead.lastName) Object.assign(lead, splitName(fullName));
      if (customFields && Object.keys(customFields).length) lead.customFields = customFields;
      return lead;
    },
  };
}

/** The custom fields a CSV mapping sends: unmapped columns by header, then those named with `--map custom.<name>`. */
export function customFieldNames(mapping: Mapping): string[] {
  const named = Object.keys(mapping.fields).filter((target) => target.startsWith(CUSTOM_PREFIX));
  return [...mapping.custom, ...named.map((target) => target.slice(CUSTOM_PREFIX.length))];
}

/** "phone ← Mobile Phone, else Corporate Phone" for each mapped target, for the run's header line. */
export function describeFields(fields: Mapping["fields"]): string[] {
  return Object.entries(fields).map(([target, columns]) => `${target} ← ${(columns ?? []).join(", else ")}`);
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
