import { describe, expect, it } from "vitest";
import { NationalPhones, noCountryCodeTip, resolveDefaultCountry } from "../src/country.js";
import { UsageError } from "../src/errors.js";

describe("default country", () => {
  it("the flag wins over LEADBRIDGE_DEFAULT_COUNTRY; both are upper-cased; a blank variable is unset", () => {
    expect(resolveDefaultCountry(undefined, {})).toBeUndefined();
    expect(resolveDefaultCountry(undefined, { LEADBRIDGE_DEFAULT_COUNTRY: " " })).toBeUndefined();
    expect(resolveDefaultCountry(undefined, { LEADBRIDGE_DEFAULT_COUNTRY: "gb" })).toBe("GB");
    expect(resolveDefaultCountry("us", { LEADBRIDGE_DEFAULT_COUNTRY: "GB" })).toBe("US");
    expect(() => resolveDefaultCountry("USA", {})).toThrow(UsageError);
    expect(() => resolveDefaultCountry("USA", {})).toThrow(/--default-country USA/);
  });

  it("rewrites the facade's hint to name the flag, and counts only those reasons", () => {
    const phones = new NationalPhones();
    const facade =
      'phone "(415) 555-1000" is not a valid phone number (write it with its country code, e.g. +1…, or set the defaultCountry option)';
    expect(phones.reason(facade)).toBe(
      'phone "(415) 555-1000" is not a valid phone number (write it with its country code, e.g. +1…, or pass --default-country, e.g. --default-country US, or set LEADBRIDGE_DEFAULT_COUNTRY)',
    );
    expect(phones.reason('phone "12" is not a valid phone number')).toBe('phone "12" is not a valid phone number');
    expect(phones.rows).toBe(1);
    expect(noCountryCodeTip(0, String)).toBeUndefined();
    expect(noCountryCodeTip(1, String)).toMatch(/^1 row was not sent/);
  });
});
