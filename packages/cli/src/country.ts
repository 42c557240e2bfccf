import { UsageError } from "./errors.js";

/** The environment variable that stands in for `--default-country` (the flag wins). */
export const DEFAULT_COUNTRY_ENV = "LEADBRIDGE_DEFAULT_COUNTRY";

/** `--default-country`, else LEADBRIDGE_DEFAULT_COUNTRY, upper-cased; a value that is not two letters is refused. */
export function resolveDefaultCountry(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env[DEFAULT_COUNTRY_ENV]?.trim() || undefined;
  const value = flag?.trim() ?? fromEnv;
  if (value === undefined) return undefined;
  if (!/^[a-z]{2}$/i.test(value)) {
    const source = flag !== undefined ? `--default-country ${flag}` : `${DEFAULT_COUNTRY_ENV}=${fromEnv}`;
    throw new UsageError(`${source}: use a two-letter ISO country code, e.g. US, GB or DE.`);
  }
  return value.toUpperCase();
}

// The facade's hint names its own option; a CLI user sets the flag or the variable instead.
const LIBRARY_HINT = /, or set the defaultCountry option\)/;
const CLI_HINT = `, or pass --default-country, e.g. --default-country US, or set ${DEFAULT_COUNTRY_ENV})`;

/**
 * Rewrites the facade's reason for a national phone number without a default country so that it names
 * the flag, and counts those rows: the summary says how many `--default-country` could have saved.
 */
export class NationalPhones {
  rows = 0;
  /** Rows sent without their phone because it had no country code (a destination that does not need one). */
  dropped = 0;

  reason(reason: string): string {
    if (!LIBRARY_HINT.test(reason)) return reason;
    this.rows++;
    return reason.replace(LIBRARY_HINT, CLI_HINT);
  }

  /** The same for a dropped field's warning. */
  warning(reason: string): string {
    if (!LIBRARY_HINT.test(reason)) return reason;
    this.dropped++;
    return reason.replace(LIBRARY_HINT, CLI_HINT);
  }
}

/** A line for the summary, or nothing when no row lacked a country code. */
export function noCountryCodeTip(rows: number, count: (n: number) => string): string | undefined {
  if (rows === 0) return undefined;
  const lead = rows === 1 ? "1 row was" : `${count(rows)} rows were`;
  return `${lead} not sent because the phone number has no country code: --default-country <CC> (or ${DEFAULT_COUNTRY_ENV}) would have saved up to ${count(rows)} of them.`;
}

/** A line for the summary, or nothing when no row went without its phone for lack of a country code. */
export function droppedPhoneTip(rows: number, count: (n: number) => string): string | undefined {
  if (rows === 0) return undefined;
  const lead =
    rows === 1
      ? "1 row was sent without its phone number"
      : `${count(rows)} rows were sent without their phone numbers`;
  return `${lead}, which had no country code: --default-country <CC> (or ${DEFAULT_COUNTRY_ENV}) would have kept ${rows === 1 ? "it" : "them"}.`;
}
