// `leadbridge import --redis <url>`: the built CLI as child processes, a real redis-server and simulators in
// this test process (the sandbox is per process; two CLIs must share one vendor).
import { spawn } from "node:child_process";
import { type Simulator, startSimulator } from "@leadbridge/simulators";
import { dumpAll, type RedisServer, skipWithoutRedis, startRedisServer } from "@leadbridge/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, CAMPAIGN, cleanEnv, importArgs, type Run, run, SAMPLE, waitUntil } from "./helpers.js";
import { PEARL } from "./vendors.js";

const VALID = 284; // leads of examples/leads.csv that Instantly adds (the rest are invalid or duplicates)
const OTHER_CAMPAIGN = "019e0e3e-b690-71a9-b399-fbf49894ddee";

const noRedis = skipWithoutRedis("the CLI's --redis tests");
let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  if (noRedis) return;
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis?.quit();
  await server?.close();
});

const instantlyEnv = (s: Simulator<"instantly">) => ({
  INSTANTLY_API_KEY: s.credentials.apiKey,
  LEADBRIDGE_INSTANTLY_BASE_URL: s.url,
});

describe.skipIf(noRedis)("leadbridge import --redis", () => {
  // Each CLI alone paces itself to the documented 100 requests/s and starts with a burst of 100: two unshared
  // pacers send twice the limit for as long as both run (about 3 s here), on any machine. One request per lead.
  it("two CLI processes on one Instantly workspace, documented limits: zero 429s, every lead added", async () => {
    const sim = await startSimulator({ vendor: "instantly" });
    try {
      sim.store.createCampaign(CAMPAIGN);
      sim.store.createCampaign(OTHER_CAMPAIGN);
      const flags = ["--batch-size", "1", "--concurrency", "100", "--max-attempts", "1", "--json"];
      const runs = await Promise.all(
        [CAMPAIGN, OTHER_CAMPAIGN].map((campaign) =>
          run(["import", SAMPLE, "--to", "instantly", "--campaign", campaign, "--default-country", "US", ...flags], {
            env: { ...instantlyEnv(sim), LEADBRIDGE_REDIS_URL: server.url },
          }),
        ),
      );
      for (const r of runs) {
        expect(r.stderr).not.toContain("Error");
        expect(JSON.parse(r.stdout)).toMatchObject({ total: 300, counts: { added: VALID, failed: 0 }, complete: true });
      }
      const stats = sim.store.stats();
      expect(stats.requests).toBe(2 * VALID);
      expect(stats.rateLimited).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it("a rerun skips the rows Redis has as acknowledged; Redis holds only row numbers and outcomes, expiring", async () => {
    const sim = await startSimulator({ vendor: "instantly", rateLimits: false });
    try {
      sim.store.createCampaign(CAMPAIGN);
      await redis.flushall();
      const args = importArgs(SAMPLE, "--redis", server.url, "--redis-ttl", "2", "--json");
      const first = await run(args, { env: instantlyEnv(sim) });
      expect(JSON.parse(first.stdout)).toMatchObject({ counts: { added: VALID }, resumed: 0 });
      const requests = sim.store.stats().requests;

      const again = await run(args, { env: instantlyEnv(sim) });
      const summary = JSON.parse(again.stdout);
      expect(summary).toMatchObject({ total: 300, resumed: 300, counts: { added: VALID } });
      expect(sim.store.stats().requests).toBe(requests); // nothing sent again
      expect(sim.store.leads({ campaignId: CAMPAIGN })).toHaveLength(VALID);

      const dump = await dumpAll(redis);
      const journals = dump.filter(({ key }) => key.startsWith("leadbridge:journal:"));
      expect(journals).toHaveLength(1);
      for (const { key, ttlMs, text } of dump) {
        expect(key).toMatch(
          /^leadbridge:(journal:import:[0-9a-f]{32}|pace:instantly:[0-9a-f]{32}:(pause|strict|sent|floor|early|prov|concurrency|inflight|w:\d+:\d+))$/,
        );
        expect(ttlMs).toBeGreaterThan(0);
        expect(text).not.toContain(sim.credentials.apiKey);
        expect(text).not.toContain("@"); // no email address, nor any other lead data
      }
      expect(journals[0]!.ttlMs).toBeLessThanOrEqual(2 * 3600_000);
      // --no-resume starts over.
      const fresh = await run([...args, "--no-resume"], { env: instantlyEnv(sim) });
      expect(JSON.parse(fresh.stdout)).toMatchObject({ resumed: 0 });
    } finally {
      await sim.close();
    }
  });

  it("NLPearl, killed mid-import: the rerun reports the in-doubt row unknown and sends no lead twice", async () => {
    const sim = await startSimulator({
      vendor: "nlpearl",
      rateLimits: false,
      // The one request (the sample is one NLPearl batch) is never answered: the kill always finds it in doubt.
      faults: { rules: [{ kind: "hang", schedule: [1] }] },
    });
    try {
      sim.store.createOutbound(PEARL);
      await redis.flushall();
      const env = {
        NLPEARL_ACCOUNT_ID: sim.credentials.accountId,
        NLPEARL_SECRET_KEY: sim.credentials.secretKey,
        LEADBRIDGE_NLPEARL_BASE_URL: sim.url,
        LEADBRIDGE_REDIS_URL: server.url,
      };
      const args = [
        "import",
        SAMPLE,
        "--to",
        "nlpearl",
        "--pearl",
        PEARL,
        "--default-country",
        "US",
        "--concurrency",
        "1",
      ];
      const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: "ignore" });
      let fields = 0;
      const poll = setInterval(() => {
        void redis.keys("leadbridge:journal:*").then(async ([key]) => {
          if (key) fields = await redis.hlen(key);
        });
      }, 20);
      try {
        // Killed while the request hangs at NLPearl, so that its batch is in doubt.
        await waitUntil(
          "the journal in Redis has 20 rows and the request hangs at NLPearl",
          () => fields >= 20 && sim.store.stats().faults.hang === 1,
        );
      } finally {
        clearInterval(poll);
      }
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      const storedBefore = sim.store.leads(PEARL).length;

      const again = await run([...args, "--json"], { env });
      const summary = JSON.parse(again.stdout);
      const phones = sim.store.leads(PEARL).map((lead) => lead.phoneNumber);
      expect(new Set(phones).size).toBe(phones.length); // no lead called twice
      expect(summary.total).toBe(300);
      expect(summary.resumed).toBeGreaterThanOrEqual(20);
      // The request in flight at the kill is in doubt: reported unknown, never sent again.
      expect(summary.counts.unknown).toBeGreaterThanOrEqual(1);
      expect(sim.store.stats().requests).toBe(1); // the rerun sent nothing: every lead sent was in doubt
      expect(phones.length).toBeGreaterThanOrEqual(storedBefore);
    } finally {
      await sim.close();
    }
  });

  it("a password in the URL is never printed; Redis down or refusing the password is a clear error (exit 2)", async () => {
    const sim = await startSimulator({ vendor: "instantly", rateLimits: false });
    const password = "s3cret-redis-pw";
    const locked = await startRedisServer();
    const admin = new Redis(locked.url);
    try {
      sim.store.createCampaign(CAMPAIGN);
      await admin.config("SET", "requirepass", password);
      await admin.quit();
      const url = `redis://:${password}@127.0.0.1:${locked.port}`;
      const noPassword = `redis://127.0.0.1:${locked.port}`;
      const printed = (r: Run) => r.stdout + r.stderr;

      const ok = await run(importArgs(SAMPLE, "--redis", url, "--progress", "lines"), { env: instantlyEnv(sim) });
      expect(ok.code).toBe(1); // 284 of 300 added: some rows are invalid
      expect(printed(ok)).toContain("of 300 leads added");
      expect(printed(ok)).not.toContain(password);

      const wrong = await run(importArgs(SAMPLE, "--redis", `redis://:not-${password}@127.0.0.1:${locked.port}`), {
        env: instantlyEnv(sim),
      });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain(`Cannot reach Redis at ${noPassword}`);
      expect(printed(wrong)).not.toContain(password);

      const requests = sim.store.stats().requests;
      await locked.stop();
      const down = await run(importArgs(SAMPLE, "--json"), {
        env: { ...instantlyEnv(sim), LEADBRIDGE_REDIS_URL: url },
      });
      expect(down.code).toBe(2);
      expect(down.stderr).toContain(`Cannot reach Redis at ${noPassword}`);
      expect(printed(down)).not.toContain(password);
      expect(sim.store.stats().requests).toBe(requests); // nothing sent without Redis
    } finally {
      await locked.close();
      await sim.close();
    }
  });

  it("--redis is refused with --sandbox, with --journal, and for a URL that is not redis://", async () => {
    const cases: Array<[string[], string]> = [
      [["--sandbox", "--redis", "redis://127.0.0.1:1"], "--redis is for a real import"],
      [["--journal", "j.jsonl", "--redis", "redis://127.0.0.1:1"], "--journal and --redis"],
      [["--redis", "http://user:pw@127.0.0.1:1"], "use a redis:// or rediss:// URL"],
    ];
    for (const [flags, message] of cases) {
      const r = await run(importArgs(SAMPLE, ...flags), { env: { INSTANTLY_API_KEY: "k" } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain("pw@");
    }
  });
});

describe.skipIf(noRedis)("leadbridge import --redis, Redis going away mid-import", () => {
  const slowInstantly = async () => {
    const sim = await startSimulator({
      vendor: "instantly",
      rateLimits: false,
      faults: { rules: [{ kind: "delay", probability: 1, delayMs: 100 }] },
    });
    sim.store.createCampaign(CAMPAIGN);
    return sim;
  };
  const args = importArgs(SAMPLE, "--batch-size", "10", "--concurrency", "1", "--json");
  /** Starts the CLI and resolves once its journal in `watch` holds `rows` rows. */
  const startUntil = async (url: string, watch: Redis, env: Record<string, string>, rows: number) => {
    const child = spawn(process.execPath, [BIN, ...args, "--redis", url], {
      env: cleanEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once("exit", r));
    let fields = 0;
    const poll = setInterval(() => {
      void watch
        .keys("leadbridge:journal:*")
        .then(async ([key]) => {
          if (key) fields = await watch.hlen(key);
        })
        .catch(() => {});
    }, 20);
    try {
      await waitUntil(`the journal in Redis has ${rows} rows`, () => fields >= rows);
    } finally {
      clearInterval(poll);
    }
    return { exited, output: () => ({ stdout, stderr }) };
  };

  it("restarted: the import waits, goes on, and stores every lead exactly once", async () => {
    const sim = await slowInstantly();
    const persistent = await startRedisServer({ persistent: true });
    const watch = new Redis(persistent.url).on("error", () => {}); // it is stopped on purpose
    try {
      const cli = await startUntil(persistent.url, watch, instantlyEnv(sim), 50);
      await persistent.restart();
      const code = await cli.exited;
      const summary = JSON.parse(cli.output().stdout);
      expect(summary).toMatchObject({ total: 300, complete: true, counts: { added: VALID, failed: 0 } });
      expect(code).toBe(1); // the invalid rows
      const emails = sim.store.leads({ campaignId: CAMPAIGN }).map((lead) => String(lead.email));
      expect(emails).toHaveLength(VALID);
      expect(new Set(emails).size).toBe(VALID);
    } finally {
      await watch.quit();
      await persistent.close();
      await sim.close();
    }
  });

  it("gone for longer than the wait: stops with an error naming Redis (no password), exit 2; the rerun finishes", async () => {
    const sim = await slowInstantly();
    const persistent = await startRedisServer({ persistent: true });
    const watch = new Redis(persistent.url).on("error", () => {}); // it is stopped on purpose
    const password = "pw-never-printed";
    try {
      await watch.config("SET", "requirepass", password);
      await watch.auth(password);
      await watch.config("REWRITE").catch(() => {}); // no config file: the password is set again below
      const url = `redis://:${password}@127.0.0.1:${persistent.port}`;
      const env = { ...instantlyEnv(sim), LEADBRIDGE_REDIS_WAIT_MS: "1000" };
      const cli = await startUntil(url, watch, env, 50);
      await persistent.stop();
      const code = await cli.exited;
      const { stdout, stderr } = cli.output();
      expect(code).toBe(2);
      expect(stdout + stderr).toContain(`Redis at 127.0.0.1:${persistent.port}`);
      expect(stdout + stderr).not.toContain(password);
      expect(JSON.parse(stdout)).toMatchObject({ complete: false });

      await persistent.start();
      await watch.config("SET", "requirepass", password);
      const again = await run([...args, "--redis", url], { env: instantlyEnv(sim) });
      expect(JSON.parse(again.stdout)).toMatchObject({ total: 300, complete: true });
      const emails = sim.store.leads({ campaignId: CAMPAIGN }).map((lead) => String(lead.email));
      expect(emails).toHaveLength(VALID);
      expect(new Set(emails).size).toBe(VALID);
      expect(again.stdout + again.stderr).not.toContain(password);
    } finally {
      await watch.quit().catch(() => {});
      await persistent.close();
      await sim.close();
    }
  });
});
