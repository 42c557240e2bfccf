import type { VendorDescriptor } from "@leadbridge/instantly";

/** Reads an environment variable wherever there is one (Node, Bun, Deno with --allow-env); undefined elsewhere. */
export function env(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  } catch {
    return undefined;
  }
}

export type Credentials = { token: string; secrets: string[] } | { missing: string[] };

/**
 * The credential `descriptor` names, from `config` or the environment, joined into the bearer token by
 * its `tokenSeparator`; or the names of what is missing. Every part is a secret, and so is the joined
 * token (with the key, an account id is the whole credential).
 */
export function credentials(descriptor: VendorDescriptor, config: object | undefined): Credentials {
  const values: string[] = [];
  const missing: string[] = [];
  for (const part of descriptor.credentials) {
    const value = (config as Record<string, unknown> | undefined)?.[part.option] ?? env(part.env);
    if (typeof value !== "string" || value.trim() === "")
      missing.push(`${descriptor.name}.${part.option} (or ${part.env})`);
    else values.push(value);
  }
  if (missing.length > 0) return { missing };
  const separator = descriptor.tokenSeparator;
  if (separator !== undefined) {
    // A separator inside any part but the last would move the split the vendor makes.
    const at = values.slice(0, -1).findIndex((value) => value.includes(separator));
    if (at >= 0) {
      const option = descriptor.credentials[at]!.option;
      return { missing: [`${descriptor.name}.${option} without '${separator}' (it separates the id from the key)`] };
    }
  }
  const token = values.join(separator ?? "");
  return { token, secrets: [...new Set([...values, token])] };
}
