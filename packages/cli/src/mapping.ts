import type { Lead } from "leadbridge";
import { UsageError } from "./errors.js";
import { FALLBACK_FIELDS, type Field, REPORT_COLUMNS, recognise } from "./fields.js";
import { CUSTOM_PREFIX, type MapTarget, parseMapFlags, splitColumns } from "./map-flags.js";

export {
  FALLBACK_FIELDS,
  FIELDS,
  type Field,
  normalise,
  parseField,
  RECOGNISED,
  REPORT_COLUMNS,
  recognitionTable,
} from "./fields.js";
export { type MapTarget, parseMapFlags, splitColumns } from "./map-flags.js";

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

/** Where a column goes: a target with its rank (0 = first choice), a custom field by its header (null), or nowhere. */
type Resolved = { target: MapTarget; rank: number } | null | "drop";

/**
 * Builds the column → lead mapping. With `columns` (a CSV header) every decision is made now and
 * `--map` columns are checked to exist; without (JSON Lines) keys are resolved on first sight.
 */
export function createMapping(columns: string[] | undefined, options: MappingOptions = {}): Mapping {
  const resolver = new ColumnResolver(columns, parseMapFlags(options.map), options.customFields !== false);
  const custom: string[] = [];
  const dropped: string[] = [];
  if (columns) {
    const isReport = REPORT_COLUMNS.every((c, i) => columns[i]?.toLowerCase() === c);
    columns.forEach((column, i) => {
      const target = isReport && i < REPORT_COLUMNS.length ? resolver.drop(column) : resolver.resolve(column);
      if (target === null) custom.push(column);
      else if (target === "drop") dropped.push(column);
    });
    resolver.headerNotices(isReport);
  }
  return {
    fields: Object.fromEntries(resolver.taken) as Partial<Record<MapTarget, string[]>>,
    custom,
    dropped,
    notices: resolver.notices,
    toLead: (record) => toLead(record, (column) => resolver.resolve(column)),
  };
}

/** Decides, once per column (or JSON key), which target it fills. */
class ColumnResolver {
  readonly notices: string[] = [];
  /** Target → the columns that fill it, in rank order. */
  readonly taken = new Map<MapTarget, string[]>();
  private readonly resolved = new Map<string, Resolved>();
  /** JSON Lines: --map applies by key name, so the wanted keys are kept with their rank. */
  private readonly wantedKeys = new Map<string, { target: MapTarget; rank: number }>();

  constructor(
    private readonly columns: string[] | undefined,
    private readonly overrides: Map<MapTarget, string>,
    private readonly keepCustom: boolean,
  ) {
    for (const [target, value] of overrides) this.override(target, value);
  }

  drop(column: string): Resolved {
    this.resolved.set(column, "drop");
    return "drop";
  }

  resolve(column: string): Resolved {
    const known = this.resolved.get(column);
    if (known !== undefined) return known;
    const wanted = this.columns ? undefined : this.wantedKeys.get(column.toLowerCase());
    let result: Resolved = null;
    if (wanted) {
      result = wanted;
      if (!this.taken.has(wanted.target)) this.taken.set(wanted.target, [column]);
    } else {
      const field = recognise(column);
      if (field && !this.overrides.has(field)) result = this.recognised(field, column);
    }
    if (result === null && !this.keepCustom) result = "drop";
    this.resolved.set(column, result);
    return result;
  }

  headerNotices(isReport: boolean): void {
    if (isReport) {
      this.notices.push(
        `This looks like a LeadBridge failure report: its columns ${REPORT_COLUMNS.join(", ")} are not imported.`,
      );
    }
    if (this.taken.has("fullName") && (this.taken.has("firstName") || this.taken.has("lastName"))) {
      this.notices.push(`"${this.taken.get("fullName")![0]}" is used only where first and last name are both empty.`);
    }
  }

  /** A `--map target=Columns` entry: CSV columns are checked against the header now; JSON keys wait. */
  private override(target: MapTarget, value: string): void {
    const { columns } = this;
    const wanted = splitColumns(value, columns);
    if (!columns) {
      wanted.forEach((key, rank) => {
        if (!this.wantedKeys.has(key.toLowerCase())) this.wantedKeys.set(key.toLowerCase(), { target, rank });
      });
      return;
    }
    for (const column of wanted) {
      const found = columns.find((c) => c === column) ?? columns.find((c) => c.toLowerCase() === column.toLowerCase());
      if (!found) {
        throw new UsageError(
          `--map ${target}=${value}: there is no column "${column}" in the header.`,
          `Columns: ${columns.join(", ")}`,
        );
      }
      const earlier = this.resolved.get(found);
      if (earlier && earlier !== "drop") {
        throw new UsageError(`--map: column "${found}" is mapped to both ${earlier.target} and ${target}.`);
      }
      this.resolved.set(found, this.claim(target, found));
    }
  }

  /** A column whose header names a field: it fills it, unless an earlier column did (then a notice says so). */
  private recognised(field: Field, column: string): Resolved {
    if (!this.columns) {
      // JSON Lines: records may spell a key differently from one another; each recognised key counts.
      if (!this.taken.has(field)) this.taken.set(field, [column]);
      return { target: field, rank: 0 };
    }
    if (!this.taken.has(field) || FALLBACK_FIELDS.has(field)) return this.claim(field, column);
    const first = this.taken.get(field)![0];
    this.notices.push(
      `Columns "${first}" and "${column}" both look like ${field}: using "${first}"; "${column}" ${this.keepCustom ? "is sent as a custom field" : "is dropped"}.`,
    );
    return null;
  }

  private claim(target: MapTarget, column: string): Resolved {
    const list = this.taken.get(target) ?? [];
    if (!this.taken.has(target)) this.taken.set(target, list);
    list.push(column);
    return { target, rank: list.length - 1 };
  }
}

function toLead(record: Record<string, unknown>, resolve: (column: string) => Resolved): Lead {
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
