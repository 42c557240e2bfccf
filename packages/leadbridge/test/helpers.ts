import { inspect } from "node:util";
import type { Lead } from "../src/index.js";

/** Secrets that must never appear in any output. Each is unique so a leak is unmistakable. */
export const CANARY = {
  instantlyKey: "canary-instantly-7f3a91c2e5",
  amplemarketKey: "canary-amplemarket-b84d02f6a1",
  nlpearlAccount: "canary-account-0c5e",
  nlpearlSecret: "canary-nlpearl-secret-d93b47e",
  proxyPassword: "canary-proxy-password-5e21ab",
} as const;
export const CANARIES = [
  CANARY.instantlyKey,
  CANARY.amplemarketKey,
  CANARY.nlpearlAccount,
  CANARY.nlpearlSecret,
  CANARY.proxyPassword,
];

/** Every way a value can end up in a log: String, JSON, util.inspect, and an error's stack and cause. */
export function everyRendering(value: unknown): string {
  const parts = [String(value), inspect(value, { depth: 10, showHidden: true })];
  try {
    parts.push(JSON.stringify(value));
  } catch {}
  if (value instanceof Error) {
    parts.push(value.stack ?? "", inspect(value.cause, { depth: 10 }));
    const report = (value as { report?: unknown }).report;
    if (report) parts.push(JSON.stringify(report));
  }
  return parts.join("\n");
}

/**
 * `text` as written, percent-decoded, and every run of base64 (standard or URL alphabet) in it decoded
 * from each of the 4 possible group alignments: a credential hidden in any of these encodings shows up
 * in one of the results.
 */
export function decodings(text: string): string[] {
  const out = [
    text,
    text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
  ];
  for (const run of text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? []) {
    const standard = run.replace(/-/g, "+").replace(/_/g, "/");
    for (let skip = 0; skip < 4; skip++) {
      // Node decodes a trailing partial group too, so unpadded runs lose no bytes.
      out.push(Buffer.from(standard.slice(skip), "base64").toString("latin1"));
    }
  }
  return out;
}

export function expectNoCanary(value: unknown): void {
  expectNoSecret(value, CANARIES);
}

/** Fails if any of `secrets` appears in `value`, however rendered, as written or encoded. */
export function expectNoSecret(value: unknown, secrets: readonly string[]): void {
  const text = everyRendering(value);
  for (const form of decodings(text)) {
    for (const canary of secrets) {
      const at = form.indexOf(canary);
      if (at >= 0)
        throw new Error(
          `canary secret leaked${form === text ? "" : " (encoded)"}: …${form.slice(Math.max(0, at - 80), at + 40)}…`,
        );
    }
  }
}

/** `n` distinct, valid leads for any vendor: an email, an E.164 US phone, names, a title and a company. */
export function* manyLeads(n: number, start = 0): Generator<Lead> {
  for (let i = start; i < start + n; i++) {
    yield {
      email: `lead${i}@example.com`,
      phone: `+1415${String(2000000 + i).padStart(7, "0")}`,
      firstName: `First${i}`,
      lastName: `Last${i}`,
      companyName: `Company ${i % 1000}`,
      jobTitle: "Head of Growth",
      linkedinUrl: `https://www.linkedin.com/in/lead-${i}`,
      externalId: `crm-${i}`,
    };
  }
}

/** The report invariant: every index exactly once, in order, and counts summing to total. */
export function expectAccounted(
  report: { total: number; counts: Record<string, number>; results: Array<{ index: number }> },
  total: number,
) {
  if (report.total !== total) throw new Error(`total ${report.total}, expected ${total}`);
  const sum = Object.values(report.counts).reduce((a, b) => a + b, 0);
  if (sum !== total) throw new Error(`counts sum to ${sum}, expected ${total}`);
  if (report.results.length !== total) throw new Error(`${report.results.length} results, expected ${total}`);
  report.results.forEach((r, i) => {
    if (r.index !== i) throw new Error(`results[${i}].index is ${r.index}`);
  });
}
