// Field readers shared by the adapters. Input comes from untyped callers (CSV rows, JSON), so every
// reader checks the type and says, in words, what is wrong.
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { findIana, findWindows } from "windows-iana";
import type { LeadWarning } from "../lead.js";
import { InvalidLead, invalid } from "./adapter.js";

type Reader<A, T> = (lead: Record<string, unknown>, arg: A) => T | undefined;

/**
 * Reads a lead's fields for one destination. A field the destination needs (its adapter's `needs`), or any
 * field under `strict`, makes the lead invalid when unusable; any other unusable field is dropped, with a
 * warning, and the lead goes on without it. One per call, reused for every lead (`start` before each).
 */
export class FieldReader {
  /** The fields dropped from the lead being read; undefined when none (most leads). */
  dropped: LeadWarning[] | undefined;

  constructor(
    private readonly needs: readonly string[],
    private readonly strict = false,
  ) {}

  start(): void {
    this.dropped = undefined;
  }

  /** `read(lead, arg)`, or undefined (and a warning) when `field` is unusable and may be dropped. */
  read<A, T>(field: string, read: Reader<A, T>, lead: Record<string, unknown>, arg: A): T | undefined {
    if (!this.mayDrop(field)) return read(lead, arg);
    try {
      return read(lead, arg);
    } catch (error) {
      if (!(error instanceof InvalidLead)) throw error;
      this.dropped ??= [];
      this.dropped.push(droppedField(field, error.reason));
      return undefined;
    }
  }

  /** A text field (`text(lead, field)`), dropped like any other when it is not text. */
  text(lead: Record<string, unknown>, field: string): string | undefined {
    return this.read(field, text, lead, field);
  }

  /** Whether an unusable `field` is dropped rather than making the lead invalid. */
  mayDrop(field: string): boolean {
    return !this.strict && !this.needs.includes(field);
  }

  /**
   * Invalid with `reason` unless `met`. A need that several fields can meet (an email or a name) is checked
   * after reading them: the reason then also says which of them were dropped as unusable.
   */
  need(met: unknown, reason: string): void {
    if (met) return;
    const dropped = this.dropped?.map((w) => w.reason.slice(0, -SENT_WITHOUT.length)).join("; ");
    invalid(dropped ? `${reason}: ${dropped}` : reason);
  }
}

const SENT_WITHOUT = "; sent without it";

/** The warning for a field dropped because it was unusable (`reason` says why, as an invalid lead's would). */
export function droppedField(field: string, reason: string): LeadWarning {
  return { field, code: "dropped_field", reason: `${reason}${SENT_WITHOUT}` };
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The lead as a record, or invalid when it is not an object. */
export function record(lead: unknown): Record<string, unknown> {
  if (lead === null || typeof lead !== "object" || Array.isArray(lead)) {
    invalid(`a lead must be an object, got ${describe(lead)}`);
  }
  return lead as Record<string, unknown>;
}

/** A trimmed string field; undefined when absent, null or blank; invalid when not a string. */
export function text(lead: Record<string, unknown>, field: string): string | undefined {
  const value = lead[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") invalid(`${field} must be text, got ${describe(value)}`);
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

// The WHATWG "valid e-mail address" grammar, with a dot required in the domain.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function email(lead: Record<string, unknown>): string | undefined {
  const value = text(lead, "email");
  if (value === undefined) return undefined;
  const at = value.lastIndexOf("@");
  if (value.length > 254 || at > 64 || !EMAIL.test(value) || value.startsWith(".") || value.includes("..")) {
    invalid(`email "${clip(value)}" is not a valid email address`);
  }
  return value;
}

/** The phone in E.164, parsed with libphonenumber-js; national numbers need `defaultCountry`. */
export function phone(lead: Record<string, unknown>, defaultCountry: string | undefined): string | undefined {
  const value = text(lead, "phone");
  if (value === undefined) return undefined;
  const parsed =
    value.length <= 64 ? parsePhoneNumberFromString(value, defaultCountry as CountryCode | undefined) : undefined;
  if (!parsed?.isValid()) {
    const hint =
      !value.startsWith("+") && defaultCountry === undefined
        ? " (write it with its country code, e.g. +1…, or set the defaultCountry option)"
        : "";
    invalid(`phone "${clip(value)}" is not a valid phone number${hint}`);
  }
  return parsed.number;
}

// NLPearl's own docs use Microsoft's new spelling; windows-iana knows the zone as "Turkey Standard Time".
const WINDOWS_ALIASES: Record<string, string> = { "Türkiye Standard Time": "Turkey Standard Time" };

/** A Windows zone ID for `timeZone`, which may be a Windows ID or an IANA name (converted with windows-iana). */
export function windowsTimeZone(lead: Record<string, unknown>): string | undefined {
  const value = text(lead, "timeZone");
  if (value === undefined) return undefined;
  if (findIana(WINDOWS_ALIASES[value] ?? value).length > 0) return value;
  const windows = findWindows(value);
  if (windows.length > 0) return windows[0];
  return invalid(`timeZone "${clip(value)}" is neither an IANA time zone nor a Windows time zone ID`);
}

/** A LinkedIn profile URL (`linkedin.com/in/…` or `/pub/…`), normalised to https:// without query or trailing slash. */
export function linkedinUrl(lead: Record<string, unknown>): string | undefined {
  const value = text(lead, "linkedinUrl");
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(/^https?:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    url = undefined;
  }
  const host = url?.hostname.toLowerCase() ?? "";
  const path = url?.pathname.replace(/\/+$/, "") ?? "";
  if (!url || !/^(?:[a-z]{2,3}\.)?linkedin\.com$/.test(host) || !/^\/(?:in|pub)\/[^/]+$/.test(path)) {
    invalid(`linkedinUrl "${clip(value)}" is not a LinkedIn profile URL (https://www.linkedin.com/in/…)`);
  }
  return `https://${host}${path}`;
}

export type Scalar = string | number | boolean | null;

/** `customFields` checked to hold only strings, finite numbers, booleans and null. */
export function customFields(
  lead: Record<string, unknown>,
  field = "customFields",
): Record<string, Scalar> | undefined {
  const value = lead[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) invalid(`${field} must be an object, got ${describe(value)}`);
  const out: Record<string, Scalar> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key.trim() === "") invalid(`${field} has an empty key`);
    if (v === undefined) continue;
    if (
      v === null ||
      typeof v === "string" ||
      typeof v === "boolean" ||
      (typeof v === "number" && Number.isFinite(v))
    ) {
      out[key] = v;
    } else {
      invalid(`${field}.${clip(key, 40)} must be text, a number, true/false or null, got ${describe(v)}`);
    }
  }
  return out;
}

/** Long values are cut in reasons, so a report stays readable. */
export function clip(value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
