import type { OverflowContext, Transport, VendorTransportConfig } from "./adapters/adapter.js";
import { credentials } from "./adapters/credentials.js";
import { adapterOf, adapters, type CoreAdapter, type Destination, type VendorName } from "./adapters/index.js";
import { runCall } from "./call/run.js";
import {
  createDestinationAt,
  type DestinationInfo,
  type DestinationsOptions,
  listDestinations,
  type NewDestination,
} from "./destinations/index.js";
import { ConfigurationError, MissingCredentialError } from "./errors.js";
import type { Lead, LeadSource } from "./lead-input.js";
import { type AddLeadsOptions, callLimits, type LeadBridgeOptions } from "./options.js";
import { type Pacing, pacingFor } from "./pacing.js";
import { isRead, readTransport } from "./reads.js";
import { Redactor } from "./redact.js";
import type { Report } from "./report.js";
import { resolveRetry } from "./retry.js";
import { nearest } from "./suggest.js";
import { timedFetch } from "./transport.js";
import { checkable, readers, verifyLeads } from "./verify/index.js";
import type { VerifyDestination, VerifyInput, VerifyOptions, VerifyResult } from "./verify/types.js";

export interface LeadBridge {
  /** Adds `leads` to `destination` and accounts for every one of them. */
  addLeads(destination: Destination, leads: LeadSource<Lead | unknown>, options?: AddLeadsOptions): Promise<Report>;
  /** The places leads can go at `vendor`, from its own list endpoints, page after page (paced and retried). */
  destinations(vendor: VendorName, options?: DestinationsOptions): AsyncIterable<DestinationInfo>;
  /** Creates a destination (a lead list) at `vendor` and returns it. Retried only where it cannot create two. */
  createDestination<V extends VendorName>(vendor: V, spec: NewDestination<V>): Promise<DestinationInfo>;
  /**
   * Reads back from the vendor the leads an earlier import reported `added` or `unknown` (by lead id, else
   * by email, phone or LinkedIn URL) and yields one result per input record, in order: `present`,
   * `missing`, `cannot_check` (with the reason) or `not_checked`. Read-only; paced and retried as imports are.
   */
  verify<R extends VerifyInput>(
    destination: VerifyDestination,
    results: LeadSource<R>,
    options?: VerifyOptions,
  ): AsyncIterable<VerifyResult<R>>;
}

/** A base URL must be https, except on loopback (local simulators and proxies). */
export function checkBaseUrl(vendor: string, baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`${vendor}.baseUrl is not a URL`, { vendor });
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ConfigurationError(
      `${vendor}.baseUrl must use https (plain http is allowed only for loopback addresses)`,
      { vendor },
    );
  }
}

/** The adapter for `destination`, after checking its vendor and keys, or a ConfigurationError naming the problem. */
function adapterFor(destination: Destination): CoreAdapter {
  const vendor = (destination as { vendor?: unknown })?.vendor;
  const adapter = adapterOf(vendor);
  if (!adapter) {
    throw new ConfigurationError(
      `unknown destination vendor ${JSON.stringify(vendor)}; use one of ${Object.keys(adapters).join(", ")}`,
    );
  }
  const name = adapter.descriptor.name;
  const allowed = adapter.destinationKeys;
  for (const key of Object.keys(destination)) {
    if (!allowed.includes(key)) {
      throw new ConfigurationError(
        `unknown ${name} destination key ${JSON.stringify(key)}; did you mean ${JSON.stringify(nearest(key, allowed))}? (${name} destinations take ${allowed.join(", ")})`,
        { vendor: name },
      );
    }
  }
  const problem = adapter.checkDestination(destination);
  if (problem) throw new ConfigurationError(problem, { vendor: name });
  return adapter;
}

/** Creates a bridge to the vendors configured in `options` (credentials fall back to the environment). */
export function createLeadBridge(options: LeadBridgeOptions = {}): LeadBridge {
  const baseFetch = options.fetch ?? globalThis.fetch;
  if (typeof baseFetch !== "function") throw new ConfigurationError("no fetch: pass the `fetch` option");
  const bridgeRetry = resolveRetry(options.retry);
  // This bridge's secrets: scrubbed from its errors and reports, unknown to every other bridge.
  const redactor = new Redactor();
  for (const vendor of Object.keys(adapters) as VendorName[]) {
    const config: VendorTransportConfig | undefined = options[vendor];
    if (config?.baseUrl !== undefined) checkBaseUrl(vendor, config.baseUrl);
    for (const part of adapters[vendor].descriptor.credentials)
      redactor.add((config as Record<string, string> | undefined)?.[part.option]);
    // Headers that carry credentials (e.g. a proxy's `Authorization: Basic …`) are secrets as well.
    for (const [name, value] of Object.entries(config?.headers ?? {}))
      if (/auth|key|token|secret|cookie/i.test(name)) redactor.add(value);
  }

  /** A transport for reads and creates outside an import: paced and timed as imports are, and retried. */
  const transportOf = (vendor: VendorName) => async () => {
    const adapter = adapterOf(vendor);
    if (!adapter) throw new ConfigurationError(`unknown vendor ${JSON.stringify(vendor)}`);
    const { transport, pacing } = await connect(adapter, options[vendor], baseFetch, bridgeRetry.timeoutMs, redactor);
    return readTransport({ transport, pacer: pacing.pacer }, vendor, bridgeRetry, redactor, { resendable: isRead });
  };

  return {
    destinations: (vendor, listOptions = {}) => listDestinations(vendor, transportOf(vendor), listOptions),
    createDestination: (vendor, spec) => createDestinationAt(vendor, transportOf(vendor), spec),
    async addLeads(destination, leads, callOptions = {}) {
      const adapter = adapterFor(destination);
      const vendor = adapter.descriptor.name;
      const config: VendorTransportConfig | undefined = options[vendor];
      const dryRun = callOptions.dryRun === true;
      const limits = callLimits(adapter, options, callOptions);
      const retry = callOptions.retry ? resolveRetry({ ...bridgeRetry, ...callOptions.retry }) : bridgeRetry;
      const context = { defaultCountry: callOptions.defaultCountry ?? options.defaultCountry };
      const overflow = overflowOf(adapter, callOptions);
      const connection = dryRun ? undefined : await connect(adapter, config, baseFetch, retry.timeoutMs, redactor);
      const opened = adapter.open(destination, connection?.transport, {
        ...context,
        ...(overflow && connection
          ? {
              overflow: {
                ...overflow,
                transport: readTransport({ ...connection, pacer: connection.pacing.pacer }, vendor, retry, redactor, {
                  signal: callOptions.signal,
                  resendable: isRead,
                }),
              },
            }
          : {}),
      });
      return runCall({
        vendor,
        redactor,
        opened,
        resendSafe: adapter.descriptor.resendSafe,
        leads,
        pacer: connection?.pacing.pacer,
        inFlight: connection?.pacing.inFlight,
        retry,
        dryRun,
        strict: (callOptions.strict ?? options.strict) === true,
        limits,
        options: callOptions,
      });
    },

    verify(destination, results, verifyOptions = {}) {
      const adapter = adapterFor(checkable(destination));
      const vendor = adapter.descriptor.name;
      const reader = readers[vendor];
      if (!reader) throw new ConfigurationError(`reading leads back is not supported for ${vendor}`, { vendor });
      const retry = verifyOptions.retry ? resolveRetry({ ...bridgeRetry, ...verifyOptions.retry }) : bridgeRetry;
      const context = { defaultCountry: verifyOptions.defaultCountry ?? options.defaultCountry };
      return verifyLeads(async () => {
        const { transport, pacing } = await connect(adapter, options[vendor], baseFetch, retry.timeoutMs, redactor);
        const name = adapter.descriptor.displayName;
        const reads = readTransport({ transport, pacer: pacing.pacer }, name, retry, redactor, {
          signal: verifyOptions.signal,
        });
        return reader(destination, reads, context);
      }, results);
    },
  };
}

/** The call's `overflow: "new-list"`, checked: only vendors whose destinations have a cap roll over. */
function overflowOf(
  adapter: CoreAdapter,
  { overflow, destinationLeadCount, onDestination }: AddLeadsOptions,
): Omit<OverflowContext, "transport"> | undefined {
  if (overflow === undefined || overflow === "rejected") return undefined;
  const { name, maxLeadsPerDestination } = adapter.descriptor;
  if (overflow !== "new-list")
    throw new ConfigurationError('overflow must be "rejected" or "new-list"', { vendor: name });
  if (maxLeadsPerDestination === undefined)
    throw new ConfigurationError(`overflow "new-list": ${name} destinations have no lead cap to overflow`, {
      vendor: name,
    });
  if (destinationLeadCount !== undefined && !(Number.isInteger(destinationLeadCount) && destinationLeadCount >= 0))
    throw new ConfigurationError("destinationLeadCount must be a whole number ≥ 0", { vendor: name });
  return { heldAtStart: destinationLeadCount, onDestination };
}

/** The call's transport (credential, client options, the paced and timed fetch) and its pacing. */
async function connect(
  adapter: CoreAdapter,
  config: VendorTransportConfig | undefined,
  baseFetch: typeof fetch,
  timeoutMs: number,
  redactor: Redactor,
): Promise<{ transport: Transport; pacing: Pacing }> {
  const { descriptor } = adapter;
  const found = credentials(descriptor, config);
  if ("missing" in found) throw new MissingCredentialError(descriptor.name, found.missing);
  for (const secret of found.secrets) redactor.add(secret);
  const pacing = await pacingFor(descriptor.name, descriptor.rateLimits, config, found.token);
  const fetch = timedFetch(baseFetch, pacing.pacer, timeoutMs, pacing.inFlight);
  return { transport: { token: found.token, baseUrl: config?.baseUrl, headers: config?.headers, fetch }, pacing };
}
