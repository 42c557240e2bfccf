import { UsageError } from "./errors.js";
import { FIELDS, type Field, parseField } from "./fields.js";

/** `custom.<name>` in `--map`: a custom field under a name of the user's choosing. */
export const CUSTOM_PREFIX = "custom.";

/** What a `--map` entry fills: a lead field, or a custom field by name (`custom.lifecycle_stage`). */
export type MapTarget = Field | `${typeof CUSTOM_PREFIX}${string}`;

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
