import { spawnPrism } from "./spawn.js";

export interface PrismServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export type PrismOptions =
  | { mode: "mock"; spec: string; dynamic?: boolean; quiet?: boolean }
  /** Validates requests and responses between a client and `upstream`; `errors` turns violations into failures. */
  | { mode: "proxy"; spec: string; upstream: string; errors?: boolean };

/**
 * Starts Prism on a free loopback port and resolves once it listens: the tests' way in.
 * The timeout is a safety net, not a goal: on a loaded shared machine Prism can take minutes to read a
 * 2–3 MB spec, and the caller waits for its "listening" line either way.
 */
export async function startPrism(options: PrismOptions, { timeoutMs = 180_000 } = {}): Promise<PrismServer> {
  const flags = options.mode === "mock" ? (options.dynamic ? ["--dynamic"] : []) : options.errors ? ["--errors"] : [];
  const upstream = options.mode === "proxy" ? options.upstream : undefined;
  const quiet = options.mode === "mock" && options.quiet;
  const { url, close } = await spawnPrism({
    command: options.mode,
    spec: options.spec,
    upstream,
    flags,
    timeoutMs,
    quiet,
  });
  return { url, close };
}
