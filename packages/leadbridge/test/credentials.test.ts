import { descriptor as amplemarket } from "@leadbridge/amplemarket";
import { descriptor as instantly } from "@leadbridge/instantly";
import { descriptor as nlpearl } from "@leadbridge/nlpearl";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { credentials, env } from "../src/adapters/credentials.js";

const VARIABLES = ["INSTANTLY_API_KEY", "NLPEARL_ACCOUNT_ID", "NLPEARL_SECRET_KEY", "AMPLEMARKET_API_KEY"];
let saved: Record<string, string | undefined>;

// Each test starts with none of the vendors' variables set, and leaves the environment as it found it.
beforeEach(() => {
  saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of VARIABLES) delete process.env[name];
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("env", () => {
  test("a set variable; unset, empty or blank is undefined", () => {
    process.env.INSTANTLY_API_KEY = "k";
    expect(env("INSTANTLY_API_KEY")).toBe("k");
    process.env.INSTANTLY_API_KEY = "  ";
    expect(env("INSTANTLY_API_KEY")).toBeUndefined();
    process.env.INSTANTLY_API_KEY = "";
    expect(env("INSTANTLY_API_KEY")).toBeUndefined();
    expect(env("NLPEARL_ACCOUNT_ID")).toBeUndefined();
  });
});

describe("credentials", () => {
  test("the variables the descriptors name are the ones this test controls", () => {
    const named = [instantly, nlpearl, amplemarket].flatMap((d) => d.credentials.map((part) => part.env));
    expect(named.sort()).toEqual([...VARIABLES].sort());
  });

  test("from config", () => {
    expect(credentials(instantly, { apiKey: "inst-key" })).toEqual({ token: "inst-key", secrets: ["inst-key"] });
  });

  test("from the environment when config has none", () => {
    process.env.INSTANTLY_API_KEY = "env-key";
    expect(credentials(instantly, undefined)).toEqual({ token: "env-key", secrets: ["env-key"] });
    expect(credentials(instantly, {})).toEqual({ token: "env-key", secrets: ["env-key"] });
  });

  test("config wins over the environment, part by part", () => {
    process.env.NLPEARL_ACCOUNT_ID = "env-account";
    process.env.NLPEARL_SECRET_KEY = "env-secret";
    expect(credentials(nlpearl, { secretKey: "cfg-secret" })).toMatchObject({ token: "env-account:cfg-secret" });
    expect(credentials(nlpearl, { accountId: "cfg-account" })).toMatchObject({ token: "cfg-account:env-secret" });
  });

  test("a blank part in config is missing, not sent", () => {
    expect(credentials(instantly, { apiKey: "   " })).toEqual({
      missing: ["instantly.apiKey (or INSTANTLY_API_KEY)"],
    });
  });

  test("every missing part named, with its option and its variable", () => {
    expect(credentials(nlpearl, undefined)).toEqual({
      missing: ["nlpearl.accountId (or NLPEARL_ACCOUNT_ID)", "nlpearl.secretKey (or NLPEARL_SECRET_KEY)"],
    });
    expect(credentials(nlpearl, { accountId: "acct" })).toEqual({
      missing: ["nlpearl.secretKey (or NLPEARL_SECRET_KEY)"],
    });
    expect(credentials(amplemarket, undefined)).toEqual({
      missing: ["amplemarket.apiKey (or AMPLEMARKET_API_KEY)"],
    });
  });

  test("NLPearl: the parts joined by ':'; the secrets are each part and the joined token", () => {
    const found = credentials(nlpearl, { accountId: "acct-1", secretKey: "sk-2" });
    expect(found).toEqual({ token: "acct-1:sk-2", secrets: ["acct-1", "sk-2", "acct-1:sk-2"] });
  });

  test("NLPearl: an account id containing ':' is refused (it would move the vendor's split), the value unnamed", () => {
    const found = credentials(nlpearl, { accountId: "acct:1", secretKey: "sk-2" });
    expect(found).toEqual({
      missing: ["nlpearl.accountId without ':' (it separates the id from the key)"],
    });
    expect(JSON.stringify(found)).not.toContain("acct:1");
    expect(JSON.stringify(found)).not.toContain("sk-2");
  });

  test("NLPearl: a ':' in the last part (the key) is kept, as the vendor splits at the first one", () => {
    expect(credentials(nlpearl, { accountId: "acct-1", secretKey: "sk:2" })).toEqual({
      token: "acct-1:sk:2",
      secrets: ["acct-1", "sk:2", "acct-1:sk:2"],
    });
  });
});
