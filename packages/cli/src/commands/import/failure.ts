import {
  AuthenticationError,
  InputError as BrokenInputError,
  ConfigurationError,
  createLeadBridge,
  type Destination,
  MissingCredentialsError,
  NotFoundError,
  PermissionError,
} from "leadbridge";
import { UsageError } from "../../errors.js";
import { credentialEnv, describeDestination, descriptorOf, missingCredentials } from "../../vendors.js";
import { destinationHint } from "./destination.js";

/** The facade for this import; a bad --base-url is told as the flag's error. */
export function makeBridge(config: Parameters<typeof createLeadBridge>[0]) {
  try {
    return createLeadBridge(config);
  } catch (error) {
    if (error instanceof ConfigurationError && /baseUrl/.test(error.message)) {
      throw new UsageError(
        `--base-url: ${error.message.replace(/^\w+\.baseUrl/, "the URL")}.`,
        "Use the vendor's https URL, or http only on a loopback address (127.0.0.1, ::1, localhost).",
      );
    }
    throw error;
  }
}

/** Wrong credentials, destination or options: the facade's error as a usage error (exit 2), else nothing. */
export function explainFailure(error: unknown, destination: Destination): UsageError | undefined {
  const vendor = destination.vendor;
  const name = descriptorOf(vendor).displayName;
  if (error instanceof MissingCredentialsError) return missingCredentials(vendor);
  if (error instanceof AuthenticationError) {
    return new UsageError(
      `${name} refused the credentials (401). Check ${credentialEnv(vendor).join(" and ")}.`,
      "Or try --sandbox to import into a local simulator.",
    );
  }
  if (error instanceof PermissionError) return new UsageError(error.message);
  if (error instanceof NotFoundError) {
    return new UsageError(`${describeDestination(destination)} was not found at ${name}.`, destinationHint(vendor));
  }
  if (error instanceof ConfigurationError) {
    return new UsageError(error.message.replace("batchSize", "--batch-size").replace("concurrency", "--concurrency"));
  }
  return undefined;
}

/** The input broke mid-stream: why, as the user can act on it. */
export function inputFailure(failure: unknown, inputName: string): UsageError | undefined {
  if (!(failure instanceof BrokenInputError)) return undefined;
  if (failure.cause instanceof UsageError) return failure.cause;
  return new UsageError(`Cannot read ${inputName}: ${String((failure.cause as Error)?.message ?? failure.cause)}`);
}
