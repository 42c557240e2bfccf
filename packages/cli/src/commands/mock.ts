import { createRequire } from "node:module";
import { peerDependencies } from "../../package.json";
import { UsageError } from "../errors.js";
import { freePort, PRISM_PACKAGE, type PrismProcess, resolvePrismBin, spawnPrism } from "../prism.js";
import { parseVendor, VENDORS, type VendorName } from "../vendors.js";
import type { Io } from "./context.js";

export interface MockFlags {
  port?: number;
  host?: string;
  dynamic?: boolean;
  json?: boolean;
}

const require = createRequire(import.meta.url);
/** Each vendor's client package, which bundles its spec. */
const specOf = (vendor: VendorName) => require.resolve(`@leadbridge/${vendor}/openapi.yaml`);

interface Running extends PrismProcess {
  vendor: VendorName;
}

/**
 * `leadbridge mock [vendor...]`: a `prism mock` server per vendor spec (the one bundled in the vendor
 * package), on free loopback ports or from --port up, until Ctrl-C. For users' own contract tests.
 */
export async function runMock(names: string[], flags: MockFlags, io: Io): Promise<number> {
  const vendors = names.length
    ? names.map((name) => parseVendor(name, (unknown) => `Unknown vendor "${unknown}".`))
    : [...VENDORS];
  const host = flags.host ?? "127.0.0.1";
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) {
    throw new UsageError(`--host ${host}: mock servers listen on loopback only (127.0.0.1, ::1 or localhost).`);
  }
  const bin = resolvePrismBin(peerDependencies[PRISM_PACKAGE]);
  const running: Running[] = [];
  const stopAll = () => Promise.all(running.map((server) => server.close()));
  let stopping = false;
  const done = new Promise<void>((resolve) => {
    const onSignal = () => {
      if (stopping) return;
      stopping = true;
      io.stderr.write("\nStopping mock servers…\n");
      void stopAll().then(() => resolve());
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });

  // Started side by side: Prism takes seconds to boot.
  const started = await Promise.allSettled(
    vendors.map(async (vendor, i) => {
      const port = flags.port === undefined ? await freePort(host) : flags.port + i;
      const spec = specOf(vendor);
      const flagList = flags.dynamic ? ["--dynamic"] : [];
      const prism = await spawnPrism({
        command: "mock",
        spec,
        host,
        port,
        flags: flagList,
        bin,
        label: `${vendor} mock server`,
      });
      const server = { vendor, ...prism };
      running.push(server);
      return server;
    }),
  );
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  running.sort((a, b) => vendors.indexOf(a.vendor) - vendors.indexOf(b.vendor));

  if (flags.json) {
    io.stdout.write(`${JSON.stringify(Object.fromEntries(running.map((r) => [r.vendor, r.url])))}\n`);
  } else {
    for (const r of running) io.stdout.write(`${r.vendor.padEnd(12)} ${r.url}\n`);
    io.stderr.write("Prism mock servers of the vendors' OpenAPI specs. Press Ctrl-C to stop.\n");
  }
  // A mock that dies on its own ends the command: tests should not talk to half the servers.
  const died = new Promise<number>((resolve) => {
    for (const r of running) {
      r.child.once("exit", (code) => {
        if (!stopping) {
          io.stderr.write(`The ${r.vendor} mock server exited (code ${code}).\n`);
          void stopAll().then(() => resolve(1));
        }
      });
    }
  });
  return Promise.race([done.then(() => 0), died]);
}
