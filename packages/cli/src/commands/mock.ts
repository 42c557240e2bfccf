import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.js";
import { VENDORS, type VendorName } from "../vendors.js";
import type { Io } from "./import.js";

export interface MockFlags {
  port?: number;
  host?: string;
  dynamic?: boolean;
  json?: boolean;
}

const require = createRequire(import.meta.url);
const READY = /Prism is listening on (http:\/\/\S+)/;
const PACKAGE: Record<VendorName, string> = {
  instantly: "@leadbridge/instantly",
  amplemarket: "@leadbridge/amplemarket",
  nlpearl: "@leadbridge/nlpearl",
};

interface Running {
  vendor: VendorName;
  url: string;
  child: ChildProcess;
}

/**
 * `leadbridge mock [vendor...]`: a `prism mock` server per vendor spec (the one bundled in the vendor
 * package), on free loopback ports or from --port up, until Ctrl-C. For users' own contract tests.
 */
export async function runMock(names: string[], flags: MockFlags, io: Io): Promise<number> {
  const vendors = names.length ? names.map(parseVendor) : [...VENDORS];
  const host = flags.host ?? "127.0.0.1";
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) {
    throw new UsageError(`--host ${host}: mock servers listen on loopback only (127.0.0.1, ::1 or localhost).`);
  }
  const prism = join(dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist/index.js");
  const running: Running[] = [];
  const stopAll = () => Promise.all(running.map(({ child }) => stop(child)));
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
      const spec = require.resolve(`${PACKAGE[vendor]}/openapi.yaml`);
      const server = await startPrism(vendor, prism, spec, host, port, flags.dynamic === true);
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

function parseVendor(name: string): VendorName {
  const vendor = name.toLowerCase();
  if (!(VENDORS as readonly string[]).includes(vendor)) {
    throw new UsageError(`Unknown vendor "${name}".`, `Vendors: ${VENDORS.join(", ")}.`);
  }
  return vendor as VendorName;
}

function startPrism(vendor: VendorName, prism: string, spec: string, host: string, port: number, dynamic: boolean) {
  const args = [prism, "mock", "--host", host, "--port", String(port), ...(dynamic ? ["--dynamic"] : []), spec];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, SCARF_ANALYTICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise<Running>((resolve, reject) => {
    const timer = setTimeout(() => fail("did not start within 60 s"), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = READY.exec(output);
      if (ready) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        output = "";
        child.stdout!.off("data", onData).resume();
        child.stderr!.off("data", onData).resume();
        resolve({ vendor, url: ready[1]!.replace(/\/$/, ""), child });
      }
    };
    function fail(why: string) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`The ${vendor} mock server ${why}:\n${output.slice(-2000)}`));
    }
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => fail(`exited with code ${code} (is port ${port} free?)`));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** A port the OS just handed out on `host`: never a fixed number. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
