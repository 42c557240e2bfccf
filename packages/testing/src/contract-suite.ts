// One vitest suite per vendor package, derived from its bundled spec (see contract.ts): every
// operation, through the package's own client, against `prism mock` of that spec.
import { describe, expect, test } from "vitest";
import {
  type ContractRequest,
  errorStatuses,
  hasBody,
  invalidBodies,
  loadSpec,
  operationsOf,
  type SpecOperation,
  successStatus,
  validRequest,
} from "./contract.js";
import { violationsOf } from "./violations.js";

type Call = (path: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** Any openapi-fetch client: its methods are looked up by the operation's method. */
// biome-ignore lint/suspicious/noExplicitAny: the cases are untyped JSON, checked by Prism instead.
export type AnyClient = Record<string, any>;

function call(
  client: AnyClient,
  op: SpecOperation,
  request: ContractRequest,
  extra: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const method = client[op.method.toUpperCase()] as Call;
  const body = "body" in extra ? extra.body : request.body;
  return method(op.path, {
    params: request.params,
    ...(body === undefined ? {} : { body }),
    headers: { ...request.headers, ...extra.headers },
    parseAs: request.parseAs,
  });
}

/**
 * What Prism found wrong with a request: the `sl-violations` header when it answers with a
 * documented error, else its own 422 problem body's `validation` (locations without "request").
 */
function rejectionsOf(response: Response, error: unknown) {
  const listed = violationsOf(response);
  if (listed.length > 0) return listed;
  const validation = (error as { validation?: Array<{ location: string[] }> } | undefined)?.validation ?? [];
  return validation.map((v) => ({ ...v, location: ["request", ...v.location] }));
}

/** Requests in flight to one Prism at once, across operations: Prism answers one at a time, so more only queue. */
const IN_FLIGHT = 4;

/** A bounded pool: `run` waits for one of `size` places, so a suite never floods the mock. */
function pool(size: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its place straight to the next waiter, so `active` never exceeds `size`.
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

interface Case {
  name: string;
  check(): Promise<void>;
}

/** Every case of one operation: its documented success, each documented error status, each invalid body. */
function casesOf(spec: ReturnType<typeof loadSpec>, op: SpecOperation, client: AnyClient, soft: typeof expect.soft) {
  const request = validRequest(spec, op);
  const cases: Case[] = [];
  const ok = successStatus(op);
  if (ok !== undefined) {
    const name = `answers ${ok} with a body that keeps the contract`;
    cases.push({
      name,
      async check() {
        const { data, error, response } = await call(client, op, request);
        soft(violationsOf(response), `${name}: sl-violations`).toEqual([]);
        soft(response.status, `${name}: status`).toBe(ok);
        soft(error, `${name}: error`).toBeUndefined();
        if (hasBody(op, ok) && ok !== 204) soft(data, `${name}: data`).toBeDefined();
      },
    });
  }
  for (const status of errorStatuses(op)) {
    const name = `answers a documented ${status} as an error`;
    cases.push({
      name,
      async check() {
        const media = Object.keys(op.operation.responses[String(status)]?.content ?? {})[0];
        const headers = { Prefer: `code=${status}`, ...(media ? { Accept: media } : {}) };
        const { data, error, response } = await call(client, op, request, { headers });
        soft(violationsOf(response), `${name}: sl-violations`).toEqual([]);
        soft(response.status, `${name}: status`).toBe(status);
        soft(data, `${name}: data`).toBeUndefined();
        if (hasBody(op, status)) soft(error, `${name}: error`).toBeDefined();
      },
    });
  }
  for (const invalid of invalidBodies(spec, op, request.body)) {
    const name = `rejects a body ${invalid.name}`;
    cases.push({
      name,
      async check() {
        const { error, response } = await call(client, op, request, { body: invalid.body });
        soft(response.status, `${name}: status`).toBeGreaterThanOrEqual(400);
        soft(response.status, `${name}: status`).toBeLessThan(500);
        soft(rejectionsOf(response, error), `${name}: violations`).toContainEqual(
          expect.objectContaining({ location: invalid.location, severity: "Error" }),
        );
      },
    });
  }
  return cases;
}

/**
 * Registers the contract cases of `specFile` for `client` (created against the Prism mock): one test
 * per operation, which sends all of that operation's cases through a pool shared by the file and
 * asserts each softly, so a failure names its case and the others still run.
 */
export function describeContract(specFile: string, client: AnyClient) {
  const spec = loadSpec(specFile);
  const run = pool(IN_FLIGHT);
  describe.concurrent("every operation of the spec", () => {
    for (const op of operationsOf(spec)) {
      test(op.key, async ({ expect }) => {
        const cases = casesOf(spec, op, client, expect.soft);
        expect(cases.length, "an operation with no documented status").toBeGreaterThan(0);
        await Promise.all(
          cases.map((c) =>
            run(() => c.check()).catch((cause: unknown) => {
              throw new Error(`${op.key} ${c.name}: ${cause}`, { cause });
            }),
          ),
        );
      });
    }
  });
}
