// `leadbridge mock`: Prism mock servers of the bundled specs, for users' contract tests.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { BIN, cleanEnv } from "./helpers.js";

describe("leadbridge mock", () => {
  it("starts a mock per vendor on loopback, prints the URLs, answers like the vendor, and stops on Ctrl-C", async () => {
    const child = spawn(process.execPath, [BIN, "mock", "--json"], {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    try {
      while (!stdout.includes("\n")) {
        const [exited] = await Promise.race([once(child.stdout, "data"), once(child, "exit").then(() => ["exit"])]);
        if (exited === "exit") throw new Error("leadbridge mock exited early");
      }
      const urls: Record<string, string> = JSON.parse(stdout);
      expect(Object.keys(urls)).toEqual(["instantly", "amplemarket", "nlpearl"]);
      for (const url of Object.values(urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const answer = await fetch(`${urls.instantly}/api/v2/leads/add`, {
        method: "POST",
        headers: { authorization: "Bearer test", "content-type": "application/json" },
        body: JSON.stringify({
          campaign_id: "019e0e3e-b690-71a9-b399-fbf49894dded",
          leads: [{ email: "a@example.com" }],
        }),
      });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toHaveProperty("leads_uploaded");
      const unauthorized = await fetch(`${urls.amplemarket}/lead-lists/x/leads`, { method: "POST", body: "{}" });
      expect(unauthorized.status).toBe(401); // the spec's security is enforced
    } finally {
      child.kill("SIGINT");
    }
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });

  it("refuses an unknown vendor with exit 2", async () => {
    const child = spawn(process.execPath, [BIN, "mock", "hubspot"], {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown vendor "hubspot"');
  });
});
