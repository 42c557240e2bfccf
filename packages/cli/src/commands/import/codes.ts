import type { LeadCode, Outcome } from "leadbridge";

/**
 * Codes for rows the CLI settles itself, or knows more about than the facade (documented in the README):
 * - `no_country_code`: invalid: a national phone number and no `--default-country` (the facade's `invalid_field`).
 * - `broken_row`: invalid: the row could not be read as a record (more values than the header, ...).
 * - `duplicate_earlier_run`: duplicate: an earlier run of this command settled a row with the same identity.
 * - `earlier_run`: an earlier run of this command settled the row (its outcome and reason are kept).
 * - `in_doubt_earlier_run`: unknown: an earlier run sent it and stopped before the answer; not sent again.
 * - `not_read`: failed: the import stopped before reading the row.
 */
export const CLI_CODES = [
  "no_country_code",
  "broken_row",
  "duplicate_earlier_run",
  "earlier_run",
  "in_doubt_earlier_run",
  "not_read",
] as const;

export type CliCode = (typeof CLI_CODES)[number];
/** Why a row ended as it did: the facade's code, or one of the CLI's. */
export type RowCode = LeadCode | CliCode;

const MAX_SAMPLES_PER_CODE = 2;

/** Rows of one code: how many, with which outcome, and a sample reason or two (distinct). */
export interface CodeGroup {
  code: RowCode;
  outcome: Outcome;
  count: number;
  samples: string[];
}

/** Rows that went on without a field of theirs, by field, with a sample reason or two (naming the value). */
export interface DroppedFieldGroup {
  field: string;
  count: number;
  samples: string[];
}

export interface DroppedFields {
  /** Rows with at least one field dropped. */
  rows: number;
  /** Fields dropped, in all: the sum of the groups' counts (a row may lose two). */
  total: number;
  byField: DroppedFieldGroup[];
}

/** Fields dropped from leads as unusable (the facade's `dropped_field` warnings), counted by field. */
export class DroppedFieldCounts {
  private rows = 0;
  private readonly groups = new Map<string, DroppedFieldGroup>();

  add(warnings: readonly { field: string; reason: string }[]): void {
    this.rows++;
    for (const { field, reason } of warnings) {
      const group = this.groups.get(field) ?? { field, count: 0, samples: [] };
      this.groups.set(field, group);
      group.count++;
      if (group.samples.length < MAX_SAMPLES_PER_CODE && !group.samples.includes(reason)) group.samples.push(reason);
    }
  }

  /** Every field, most dropped first. */
  list(): DroppedFields {
    const byField = [...this.groups.values()].sort((a, b) => b.count - a.count);
    return { rows: this.rows, total: byField.reduce((sum, g) => sum + g.count, 0), byField };
  }
}

/** Every settled row counted by code, so that the groups add up to the total. */
export class CodeCounts {
  private readonly groups = new Map<string, CodeGroup>();

  add(code: RowCode, outcome: Outcome, reason?: string): void {
    const key = `${code}\u0000${outcome}`;
    const group = this.groups.get(key) ?? { code, outcome, count: 0, samples: [] };
    this.groups.set(key, group);
    group.count++;
    if (reason !== undefined && group.samples.length < MAX_SAMPLES_PER_CODE && !group.samples.includes(reason)) {
      group.samples.push(reason);
    }
  }

  /** Every group, largest first. */
  list(): CodeGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count);
  }
}
