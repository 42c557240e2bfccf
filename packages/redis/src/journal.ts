import type { Redis } from "ioredis";
import { type AddLeadsOptions, type BatchSettled, type BatchStarting, LeadBridgeError, type Outcome } from "leadbridge";
import { type RedisCallOptions, Script, withRedis } from "./connection.js";

/** One row's final outcome, as a journal records it: the row and the outcome, never the lead nor a reason. */
export interface JournalRow {
  row: number;
  outcome: Outcome;
}

/** What earlier attempts of a job recorded. */
export interface JournalSnapshot {
  /** Rows with a final outcome (anything but `failed`): never sent again. */
  settled: Map<number, Outcome>;
  /** Rows of batches sent without a recorded answer, that a resend could add twice (the vendor does not deduplicate). */
  inDoubt: number[];
  /** Rows of batches sent without a recorded answer, that are safe to send again (the vendor deduplicates). */
  resendable: number[];
}

/**
 * The resume journal's contract, shared by every store (a file for one process, Redis for a fleet):
 * a batch is recorded as started before it is sent, then its rows' final outcomes once it settles.
 * `failed` rows (never sent, or sending stopped) are forgotten, so a resumed run sends them again.
 */
export interface JournalStore {
  load(): Promise<JournalSnapshot>;
  /** Resolves once the store has it: only then may the batch be sent. */
  started(rows: readonly number[], resendable: boolean): Promise<void>;
  settled(rows: readonly JournalRow[]): Promise<void>;
  /** Forgets the job (after it completed and its report is kept elsewhere). */
  clear(): Promise<void>;
}

export interface RedisJournalOptions {
  /** Prefix of every key this writes. Default `"leadbridge"`. */
  prefix?: string;
  /** The journal expires this long after its last write. Default 7 days. */
  ttlMs?: number;
  /** How long to wait for an unreachable Redis before failing with `RedisUnavailableError`. Default 30,000. */
  unavailableAfterMs?: number;
}

const OUTCOME_CODES: Record<Outcome, string> = {
  added: "a",
  duplicate: "d",
  invalid: "i",
  rejected: "r",
  skipped: "s",
  unknown: "u",
  failed: "f",
};
const OUTCOMES = new Map(Object.entries(OUTCOME_CODES).map(([outcome, code]) => [code, outcome as Outcome]));
/** Started, no answer recorded yet: "?" must not be resent, "~" may be. */
const IN_DOUBT = "?";
const RESENDABLE = "~";

/**
 * Marks rows started, all or none: refused (returns the first such row + 1) when a row already has a mark
 * other than "~" (an in-doubt batch, or a settled row), i.e. another attempt of the job is sending it now or
 * did. Two workers on one job (BullMQ took a busy worker's job for stalled) can then never both send a row.
 */
const START = new Script(`
for i = 3, #ARGV do
  local mark = redis.call('HGET', KEYS[1], ARGV[i])
  if mark and mark ~= '~' then return tonumber(ARGV[i]) + 1 end
end
for i = 3, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0
`);

/** Another attempt of the same job is sending (or has settled) these rows: this one must not send them. */
export class JournalConflictError extends LeadBridgeError {
  override name = "JournalConflictError";
  override readonly code: string = "journal_conflict";
}

/** A journal in one Redis hash per job: field = row number, value = a one-letter outcome or in-flight mark. */
export class RedisJournal implements JournalStore {
  readonly key: string;
  private readonly ttlMs: number;
  private readonly call: RedisCallOptions;

  constructor(
    private readonly redis: Redis,
    /** Names the job (an import id and the job's first row): it goes into the key as is, so never lead data. */
    job: string,
    options: RedisJournalOptions = {},
  ) {
    this.key = `${options.prefix ?? "leadbridge"}:journal:${job}`;
    this.ttlMs = options.ttlMs ?? 7 * 24 * 3600_000;
    if (!(Number.isInteger(this.ttlMs) && this.ttlMs > 0)) throw new RangeError("ttlMs must be a positive integer");
    this.call = { unavailableAfterMs: options.unavailableAfterMs ?? 30_000 };
  }

  async load(): Promise<JournalSnapshot> {
    const all = await withRedis(this.redis, this.call, () => this.redis.hgetall(this.key));
    const snapshot: JournalSnapshot = { settled: new Map(), inDoubt: [], resendable: [] };
    for (const [field, value] of Object.entries(all)) {
      const row = Number(field);
      if (value === IN_DOUBT) snapshot.inDoubt.push(row);
      else if (value === RESENDABLE) snapshot.resendable.push(row);
      else {
        const outcome = OUTCOMES.get(value);
        if (outcome) snapshot.settled.set(row, outcome);
      }
    }
    snapshot.inDoubt.sort((a, b) => a - b);
    snapshot.resendable.sort((a, b) => a - b);
    return snapshot;
  }

  /** Throws `JournalConflictError` when another attempt of the job has started or settled one of the rows. */
  async started(rows: readonly number[], resendable: boolean): Promise<void> {
    if (rows.length === 0) return;
    const mark = resendable ? RESENDABLE : IN_DOUBT;
    const conflict = (await withRedis(this.redis, this.call, () =>
      START.run(this.redis, [this.key], [this.ttlMs, mark, ...rows]),
    )) as number;
    if (conflict > 0) {
      throw new JournalConflictError(
        `row ${conflict - 1} was already started or settled by another attempt of this job; this attempt stops without sending it`,
      );
    }
  }

  async settled(rows: readonly JournalRow[]): Promise<void> {
    const set: Array<[number, string]> = [];
    const forget: number[] = [];
    for (const { row, outcome } of rows) {
      if (outcome === "failed") forget.push(row);
      else set.push([row, OUTCOME_CODES[outcome]]);
    }
    await this.write(set, forget);
  }

  async clear(): Promise<void> {
    await withRedis(this.redis, this.call, () => this.redis.del(this.key));
  }

  /** One MULTI: the fields, the forgotten rows and the expiry land together or not at all. */
  private async write(set: Array<[number, string]>, forget: number[]): Promise<void> {
    if (set.length === 0 && forget.length === 0) return;
    await withRedis(this.redis, this.call, async () => {
      const tx = this.redis.multi();
      if (set.length > 0) tx.hset(this.key, ...set.flat());
      if (forget.length > 0) tx.hdel(this.key, ...forget.map(String));
      tx.pexpire(this.key, this.ttlMs);
      const results = await tx.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error("Redis discarded the journal write");
    });
  }
}

export interface JournalHooks extends Pick<AddLeadsOptions, "onBatchStart" | "onBatch" | "onResult"> {
  /** Writes what is left and waits for every write; rethrows the first write that failed. */
  flush(): Promise<void>;
}

/**
 * `addLeads` hooks that keep `store` up to date. `rowOf` maps the call's input index to the job's row number
 * (on a retry, the leads sent are a subset of the job's rows). Every result is journaled, the invalid and
 * duplicate leads settled as they are read included: written with the next batch start (awaited, before it
 * is sent) or when a batch settles.
 */
export function journalHooks(store: JournalStore, rowOf: (index: number) => number): JournalHooks {
  let buffered: JournalRow[] = [];
  const pending = new Set<Promise<void>>();
  let failure: unknown;
  const writeBuffered = () => {
    if (buffered.length === 0) return;
    const rows = buffered;
    buffered = [];
    const write = store
      .settled(rows)
      .catch((error) => {
        failure ??= error;
      })
      .finally(() => pending.delete(write));
    pending.add(write);
  };
  return {
    onResult: (result) => {
      buffered.push({ row: rowOf(result.index), outcome: result.outcome });
    },
    onBatchStart: async (batch: BatchStarting) => {
      writeBuffered();
      await store.started(
        batch.indexes.map((index) => rowOf(index)),
        batch.resendable,
      );
    },
    onBatch: (_batch: BatchSettled) => writeBuffered(),
    async flush() {
      writeBuffered();
      while (pending.size > 0) await Promise.all(pending);
      if (failure !== undefined) throw failure;
    },
  };
}

/** A row an earlier attempt settled, or left in doubt, with the reason the resumed report gives. */
export interface CarriedRow {
  row: number;
  outcome: Outcome;
  reason: string;
}

/**
 * What a resumed job does with its rows `[from, to)`: send the ones never settled (and in-flight ones the
 * vendor deduplicates), and report the others as the journal has them. Rows an earlier attempt sent without
 * a recorded answer, to a vendor that does not deduplicate, are `unknown`: sending them again could add them twice.
 */
export function planResume(
  snapshot: JournalSnapshot,
  from: number,
  to: number,
): { send: number[]; carried: CarriedRow[] } {
  const inDoubt = new Set(snapshot.inDoubt);
  const send: number[] = [];
  const carried: CarriedRow[] = [];
  for (let row = from; row < to; row++) {
    const outcome = snapshot.settled.get(row);
    if (outcome !== undefined) {
      carried.push({ row, outcome, reason: `${outcome} by an earlier attempt of this job (journal)` });
    } else if (inDoubt.has(row)) {
      carried.push({
        row,
        outcome: "unknown",
        reason:
          "an earlier attempt of this job sent it and stopped before the answer was recorded; the vendor does not deduplicate, so it was not sent again",
      });
    } else send.push(row);
  }
  return { send, carried };
}
