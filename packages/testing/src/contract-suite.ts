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

/** Registers the contract cases of `specFile` for `client` (created against the Prism mock). */
export function describeContract(specFile: string, client: AnyClient) {
  const spec = loadSpec(specFile);
  for (const op of operationsOf(spec)) {
    describe.concurrent(op.key, () => {
      const request = validRequest(spec, op);
      const ok = successStatus(op);
      if (ok !== undefined) {
        test(`answers ${ok} with a body that keeps the contract`, async () => {
          const { data, error, response } = await call(client, op, request);
          expect(violationsOf(response)).toEqual([]);
          expect(response.status).toBe(ok);
          expect(error).toBeUndefined();
          if (hasBody(op, ok) && ok !== 204) expect(data).toBeDefined();
        });
      }
      for (const status of errorStatuses(op)) {
        test(`answers a documented ${status} as an error`, async () => {
          const media = Object.keys(op.operation.responses[String(status)]?.content ?? {})[0];
          const headers = { Prefer: `code=${status}`, ...(media ? { Accept: media } : {}) };
          const { data, error, response } = await call(client, op, request, { headers });
          expect(violationsOf(response)).toEqual([]);
          expect(response.status).toBe(status);
          expect(data).toBeUndefined();
          if (hasBody(op, status)) expect(error).toBeDefined();
        });
      }
      for (const invalid of invalidBodies(spec, op, request.body)) {
        test(`rejects a body ${invalid.name}`, async () => {
          const { error, response } = await call(client, op, request, { body: invalid.body });
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(rejectionsOf(response, error)).toContainEqual(
            expect.objectContaining({ location: invalid.location, severity: "Error" }),
          );
        });
      }
    });
  }
}
