import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { resolvePrismBin } from "./resolve.js";

export interface PrismProcess {
  /** e.g. `http://127.0.0.1:4010` */
  url: string;
  child: ChildProcess;
  close(): Promise<void>;
}

export interface SpawnPrismOptions {
  command: "mock" | "proxy";
  spec: string;
  /** The real server a `proxy` validates. */
  upstream?: string;
  host?: string;
  /** Default: a free port the OS hands out. */
  port?: number;
  /** Extra Prism flags, e.g. `--dynamic` or `--errors`. */
  flags?: string[];
  timeoutMs?: number;
  /** Names the server in errors, e.g. "instantly mock server". */
  label?: string;
  /** Prism's entry point; default: the one installed beside this package. */
  bin?: string;
  /**
   * Log warnings and errors only. Prism logs every request at info level, which costs a test suite of a
   * thousand requests real CPU; its "listening" line is info too, so readiness is then seen by connecting.
   */
  quiet?: boolean;
}

const READY = /Prism is listening on (http:\/\/\S+)/;

/** Starts Prism on loopback and resolves once it listens; its output is drained so a full pipe never blocks it. */
export async function spawnPrism(options: SpawnPrismOptions): Promise<PrismProcess> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? (await freePort(host));
  const label = options.label ?? `prism ${options.command} ${options.spec}`;
  const bin = options.bin ?? resolvePrismBin("*");
  const quiet = options.quiet ? ["--verboseLevel", "warn"] : [];
  const args = [
    bin,
    options.command,
    "--host",
    host,
    "--port",
    String(port),
    ...quiet,
    ...(options.flags ?? []),
    options.spec,
  ];
  if (options.command === "proxy") args.push(options.upstream ?? "");
  const child = spawn(process.execPath, args, {
    env: { ...process.env, SCARF_ANALYTICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const timeoutMs = options.timeoutMs ?? 60_000;
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs / 1000} s`), timeoutMs);
    const listens = (at: string) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.stdout!.off("data", onData).resume();
      child.stderr!.off("data", onData).resume();
      output = "";
      resolve(at.replace(/\/$/, ""));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = READY.exec(output);
      if (ready) listens(ready[1]!);
    };
    function fail(why: string) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`The ${label} ${why}:\n${output.slice(-2000)}`));
    }
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => fail(`exited with code ${code} (is port ${port} free?)`));
    if (options.quiet) {
      const listening = () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const socket = connect(port, host);
        socket.once("connect", () => {
          socket.destroy();
          listens(`http://${host}:${port}`);
        });
        socket.once("error", () => setTimeout(listening, 100).unref());
      };
      listening();
    }
  });
  return { url, child, close: () => stop(child) };
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
export function freePort(host = "127.0.0.1"): Promise<number> {
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
