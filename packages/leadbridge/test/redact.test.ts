// Redactor: one bridge's secrets, in the encodings they travel in; nothing shared between two redactors.
import { describe, expect, test } from "vitest";
import { Redactor, redactBearer } from "../src/redact.js";

const secret = "s3cr3t-key-9f2a";
const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("Redactor", () => {
  test.each([
    ["as is", `key ${secret} here`],
    ["percent-encoded", `q=${encodeURIComponent(`${secret}/x y`)}`],
    ["base64 at every alignment", [b64(secret), b64(`a${secret}`), b64(`ab${secret}`)].join(" ")],
    ["URL-safe base64", Buffer.from(`xy:${secret}`).toString("base64url")],
  ])("redacts its secret %s", (_, text) => {
    const redactor = new Redactor();
    redactor.add(secret);
    expect(redactor.redact(text)).toContain("[redacted]");
    expect(redactor.redact(text)).not.toContain(secret);
  });

  test("two redactors share nothing", () => {
    const a = new Redactor();
    const b = new Redactor();
    a.add("secret-of-a-1234");
    b.add("secret-of-b-5678");
    expect(a.redact("secret-of-a-1234 secret-of-b-5678")).toBe("[redacted] secret-of-b-5678");
    expect(b.redact("secret-of-a-1234 secret-of-b-5678")).toBe("secret-of-a-1234 [redacted]");
    expect(new Redactor().redact("secret-of-a-1234")).toBe("secret-of-a-1234");
  });

  test("short strings are not secrets; bearer tokens always are", () => {
    const redactor = new Redactor();
    redactor.add("abc");
    expect(redactor.redact("abc Bearer xyz.123")).toBe("abc Bearer [redacted]");
    expect(redactBearer('{"authorization":"bearer tok"}')).toBe('{"authorization":"bearer [redacted]"}');
  });
});
