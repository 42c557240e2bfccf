// Simulators in this test process (they must outlive a killed CLI) and the flags and environment that
// point the built CLI at them, for each vendor.
import { writeFileSync } from "node:fs";
import { type FaultRule, type Simulator, startSimulator, type Vendor } from "@leadbridge/simulators";

export const PEARL = "64b7f0c2e4b0a1a2b3c4d5e6";
export const LIST = "0b8e7c1e-1111-4222-8333-944455566677";
export const CAMPAIGN = "019e0e3e-b690-71a9-b399-fbf49894dded";

export interface VendorUnderTest {
  vendor: Vendor;
  sim: Simulator;
  /** `--to … --<destination>` flags. */
  flags: string[];
  env: Record<string, string>;
  /** What the simulator stored in the destination, one key (email or phone) per lead. */
  stored(): string[];
  close(): Promise<void>;
}

export async function vendorUnderTest(vendor: Vendor, faults: FaultRule[] = []): Promise<VendorUnderTest> {
  const sim = await startSimulator({ vendor, rateLimits: false, faults: { rules: faults } });
  const close = () => sim.close();
  if (sim.vendor === "nlpearl") {
    const { store, credentials } = sim as Simulator<"nlpearl">;
    store.createOutbound(PEARL);
    return {
      vendor,
      sim,
      flags: ["--to", "nlpearl", "--pearl", PEARL],
      env: {
        NLPEARL_ACCOUNT_ID: credentials.accountId,
        NLPEARL_SECRET_KEY: credentials.secretKey,
        LEADBRIDGE_NLPEARL_BASE_URL: sim.url,
      },
      stored: () => store.leads(PEARL).map((lead) => lead.phoneNumber),
      close,
    };
  }
  if (sim.vendor === "amplemarket") {
    const { store, credentials } = sim as Simulator<"amplemarket">;
    store.createList({ type: "email", id: LIST });
    return {
      vendor,
      sim,
      flags: ["--to", "amplemarket", "--list", LIST, "--type", "email"],
      env: { AMPLEMARKET_API_KEY: credentials.apiKey, LEADBRIDGE_AMPLEMARKET_BASE_URL: sim.url },
      stored: () => store.leads(LIST).map((lead) => String(lead.email).toLowerCase()),
      close,
    };
  }
  const { store, credentials } = sim as Simulator<"instantly">;
  store.createCampaign(CAMPAIGN);
  return {
    vendor,
    sim,
    flags: ["--to", "instantly", "--campaign", CAMPAIGN],
    env: { INSTANTLY_API_KEY: credentials.apiKey, LEADBRIDGE_INSTANTLY_BASE_URL: sim.url },
    stored: () => store.leads({ campaignId: CAMPAIGN }).map((lead) => String(lead.email).toLowerCase()),
    close,
  };
}

/** Row `i` (0-based) of `leadsCsv`: its email and E.164 phone, unique per row. */
export const leadEmail = (i: number) => `lead${i}@example.com`;
export const leadPhone = (i: number) => `+1415${String(2_000_000 + i).padStart(7, "0")}`;

/** A CSV of `n` valid leads (row i+2 of the file is lead i); `extra` replaces lines by lead index. */
export function leadsCsv(path: string, n: number, extra: Record<number, string> = {}): void {
  const lines = ["email,phone,first name,last name,company"];
  for (let i = 0; i < n; i++) lines.push(extra[i] ?? `${leadEmail(i)},${leadPhone(i)},First${i},Last${i},Company ${i}`);
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/** The key `stored()` gives for lead `i`. */
export const keyOf = (vendor: Vendor, i: number) => (vendor === "nlpearl" ? leadPhone(i) : leadEmail(i));
