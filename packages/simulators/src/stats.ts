import { FAULT_KINDS, type FaultKind } from "./faults.js";

/** What the simulator has seen since it started or was last reset. */
export interface SimulatorStats {
  /** Requests to the vendor API (the control API is not counted), whatever became of them. */
  requests: number;
  /** Answers sent, by HTTP status (injected and rate-limit answers included). */
  responsesByStatus: Record<number, number>;
  /** Requests refused with 429 by the rate limiter (injected 429s are in `faults["429"]`). */
  rateLimited: number;
  /** Injected faults, by kind. */
  faults: Record<FaultKind, number>;
  /** Vendor requests being served now, from arrival to answer (a hung request leaves once it hangs). */
  inFlight: number;
  /** The most vendor requests served at once since the start or the last reset. */
  peakInFlight: number;
}

export function emptyStats(): SimulatorStats {
  return {
    requests: 0,
    responsesByStatus: {},
    rateLimited: 0,
    inFlight: 0,
    peakInFlight: 0,
    faults: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
  };
}

export function cloneStats(stats: SimulatorStats): SimulatorStats {
  return { ...stats, responsesByStatus: { ...stats.responsesByStatus }, faults: { ...stats.faults } };
}
