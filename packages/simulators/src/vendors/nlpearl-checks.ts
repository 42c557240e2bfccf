// NLPearl's model validation of a lead, answered as ASP.NET answers it.
import { isRecord } from "../plumbing.js";

export type Errors = Record<string, string[]>;

/** Digits with an optional leading +, 7 to 15 digits once spaces, dots, dashes and parentheses are removed. */
const PHONE = /^\+?[1-9]\d{6,14}$/;
const PHONE_SEPARATORS = /[\s().-]/g;

/** ASP.NET's answer to a failed model validation. */
export function invalid(errors: Errors) {
  return {
    status: 400 as const,
    body: {
      type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
      title: "One or more validation errors occurred.",
      status: 400,
      errors,
    },
  };
}

export function validateLead(lead: unknown, prefix: string, errors: Errors): void {
  if (!isRecord(lead)) {
    errors[prefix.replace(/\.$/, "") || "$"] = ["The lead must be a JSON object."];
    return;
  }
  checkPhone(lead.phoneNumber, `${prefix}phoneNumber`, errors);
  checkOptionalString(lead.externalId, `${prefix}externalId`, errors);
  checkOptionalString(lead.timeZoneId, `${prefix}timeZoneId`, errors);
  checkCallData(lead.callData, `${prefix}callData`, errors);
}

export function checkPhone(value: unknown, key: string, errors: Errors): void {
  if (typeof value !== "string" || value.trim() === "") errors[key] = ["The phoneNumber field is required."];
  else if (!PHONE.test(value.replace(PHONE_SEPARATORS, ""))) errors[key] = [`'${value}' is not a valid phone number.`];
}

export function checkOptionalString(value: unknown, key: string, errors: Errors): void {
  if (value != null && typeof value !== "string") errors[key] = [`The ${key.split(".").pop()} field must be a string.`];
}

export function checkCallData(value: unknown, key: string, errors: Errors): void {
  if (value == null) return;
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === "string")) {
    errors[key] = ["callData must map names to string values."];
  }
}
