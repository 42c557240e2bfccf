import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort } from "./port.js";

export interface PrismServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export type PrismOptions =
  | { mode: "mock"; spec: string; dynamic?: boolean }
  /** Validates requests and responses between a client and `upstream`; `errors` turns violations into failures. */
  | { mode: "proxy"; spec: string; upstream: string; errors?: boolean };

const require = createRequire(import.meta.url);
const prismBin = join(dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist/index.js");
const READY = /Prism is listening on (http:\/\/\S+)/;

/** Starts Prism on a free loopback port and resolves once it listens. */
export async function startPrism(options: PrismOptions, { timeoutMs = 30_000 } = {}): Promise<PrismServer> {
  const port = await freePort();
  const args = [prismBin, options.mode, "--host", "127.0.0.1", "--port", String(port)];
  if (options.mode === "mock" && options.dynamic) args.push("--dynamic");
  if (options.mode === "proxy" && options.errors) args.push("--errors");
  args.push(options.spec);
  if (options.mode === "proxy") args.push(options.upstream);

  const child = spawn(process.execPath, args, {
    env: { ...process.env, SCARF_ANALYTICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = READY.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!.replace(/\/$/, ""));
      }
    };
    function fail(why: string) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`prism ${options.mode} ${options.spec} ${why}:\n${output.slice(-4000)}`));
    }
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => fail(`exited with code ${code}`));
  });
  child.removeAllListeners("exit");
  // Keep draining output so a chatty Prism never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return { url, close: () => stop(child) };
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
