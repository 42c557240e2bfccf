import { describe, expect, test } from "vitest";
import type { Envelope, PreparedLead } from "../../src/adapters/adapter.js";
import { bodyOf } from "../../src/call/body.js";

const envelope: Envelope = { prefix: '{"leads":[', suffix: "]}" };

function prepared(...leads: object[]): PreparedLead[] {
  return leads.map((lead, index) => {
    const json = JSON.stringify(lead);
    return { index, json, bytes: Buffer.byteLength(json) };
  });
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("bodyOf", () => {
  test("no leads: the envelope alone", () => {
    const body = bodyOf(envelope, []);
    expect(text(body)).toBe('{"leads":[]}');
    expect(body.length).toBe(12);
  });

  test("one lead: no comma", () => {
    expect(text(bodyOf(envelope, prepared({ email: "a@x.io" })))).toBe('{"leads":[{"email":"a@x.io"}]}');
  });

  test("n leads: joined by commas, in order, exactly as many bytes as the text", () => {
    const body = bodyOf(envelope, prepared({ email: "a@x.io" }, { email: "b@x.io" }, { email: "c@x.io" }));
    const expected = '{"leads":[{"email":"a@x.io"},{"email":"b@x.io"},{"email":"c@x.io"}]}';
    expect(text(body)).toBe(expected);
    expect(body.length).toBe(Buffer.byteLength(expected));
  });

  test("multi-byte UTF-8 in the leads and the envelope: the bytes of the text, none missing or extra", () => {
    const wide: Envelope = { prefix: '{"note":"é","leads":[', suffix: "]}" };
    const body = bodyOf(wide, prepared({ name: "Zoë" }, { name: "李雷" }, { name: "😀" }));
    const expected = '{"note":"é","leads":[{"name":"Zoë"},{"name":"李雷"},{"name":"😀"}]}';
    expect(Buffer.from(body).equals(Buffer.from(expected, "utf8"))).toBe(true);
  });

  test("a lead's bytes overcounted: the body is cut to what was written, never zero-padded", () => {
    // `bytes` is the lead's UTF-8 length; if a caller overcounts, no trailing zero bytes reach the vendor.
    const leads = prepared({ a: 1 });
    leads[0]!.bytes += 5;
    const body = bodyOf(envelope, leads);
    expect(text(body)).toBe('{"leads":[{"a":1}]}');
    expect(body.includes(0)).toBe(false);
  });

  test("each lead's JSON string is emptied once its bytes are in the body", () => {
    const leads = prepared({ email: "a@x.io" }, { email: "b@x.io" });
    bodyOf(envelope, leads);
    expect(leads.map((lead) => lead.json)).toEqual(["", ""]);
  });

  test("the same bytes on every attempt: the body is built once and can be read again unchanged", async () => {
    const body = bodyOf(envelope, prepared({ email: "a@x.io" }, { email: "ü@x.io" }));
    const copy = Uint8Array.from(body);
    // What each attempt does with it: a Request copies the bytes, leaving ours intact for the next attempt.
    const first = await new Request("http://127.0.0.1/", { method: "POST", body: body as BodyInit }).arrayBuffer();
    const second = await new Request("http://127.0.0.1/", { method: "POST", body: body as BodyInit }).arrayBuffer();
    expect(new Uint8Array(first)).toEqual(copy);
    expect(new Uint8Array(second)).toEqual(copy);
    expect(body).toEqual(copy);
  });
});
