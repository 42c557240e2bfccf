// leadbridge-sim <vendor> [--port N] [--seed N] [--no-rate-limits] [--latency-ms N] [--latency-per-lead-ms N] [--capacity N]
import { parseArgs } from "node:util";
import { SIMULATOR_CREDENTIALS, startSimulator, VENDORS, type Vendor } from "./server.js";

const USAGE = `Usage: leadbridge-sim <${VENDORS.join("|")}> [--port N] [--seed N] [--no-rate-limits]
       [--latency-ms N] [--latency-per-lead-ms N] [--capacity N]

Serves a stateful, in-memory simulator of the vendor's lead endpoints on 127.0.0.1
until stopped (Ctrl-C). Prints its URL on the first line of stdout.`;

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const vendor = positionals[0] as Vendor | undefined;
  if (positionals.length !== 1 || !vendor || !VENDORS.includes(vendor)) {
    console.error(USAGE);
    return 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
    return 2;
  }
  if (seed !== undefined && !Number.isInteger(seed)) {
    console.error(`--seed must be an integer, got "${values.seed}"`);
    return 2;
  }
  const number = (flag: string) =>
    values[flag as keyof typeof values] === undefined ? undefined : Number(values[flag as keyof typeof values]);
  const simulator = await startSimulator({
    vendor,
    port,
    seed,
    rateLimits: values["no-rate-limits"] ? false : undefined,
    latency: {
      fixedMs: number("latency-ms"),
      perLeadMs: number("latency-per-lead-ms"),
      capacity: number("capacity"),
    },
  });
  console.log(simulator.url);
  const credentials = SIMULATOR_CREDENTIALS[vendor];
  console.error(
    `leadbridge-sim: ${vendor} simulator on ${simulator.url} (seed ${simulator.seed}); ` +
      `credentials ${JSON.stringify(credentials)}; control API under ${simulator.url}/__simulator. Ctrl-C stops it.`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await simulator.close();
  return 0;
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      port: { type: "string", short: "p" },
      seed: { type: "string" },
      "no-rate-limits": { type: "boolean" },
      "latency-ms": { type: "string" },
      "latency-per-lead-ms": { type: "string" },
      capacity: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`leadbridge-sim: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
