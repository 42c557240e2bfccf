import { DEFAULT_MAX_DUPLICATE_KEYS, type Lead } from "leadbridge";
import type { InputRow, OpenedInput } from "../../input/index.js";
import type { ResumeState } from "../../journal.js";
import type { Mapping } from "../../mapping.js";
import { ResumedKeys } from "../../resumed-keys.js";
import { descriptorOf } from "../../vendors.js";
import type { ImportPlan } from "./flags.js";
import type { Ledger } from "./ledger.js";

const NOT_READ = "not sent: the import stopped before reading this row";

/**
 * The input as the facade reads it: rows an earlier run settled are not sent again; rows it left in
 * doubt are resent only where the vendor deduplicates, or when the user asks; their keys feed the
 * duplicate check across runs. Every row read is either handed to the facade or settled in the ledger.
 */
export class Reading {
  read = 0;
  /** Bytes of the input read so far. */
  position = 0;
  done = false;
  /** Set when the call is stopping: read no further. */
  stop = false;
  firstLead?: Lead;
  private readonly rowsLeft: AsyncIterator<InputRow>;
  private readonly resend: boolean;
  private readonly resendInDoubt: boolean;
  private readonly earlierKeys?: ResumedKeys;

  constructor(
    private readonly plan: ImportPlan,
    input: OpenedInput,
    private readonly mapping: Mapping,
    private readonly ledger: Ledger,
    private readonly signal: AbortSignal,
    private readonly resume?: ResumeState,
  ) {
    const { flags, destination } = plan;
    this.rowsLeft = input.rows[Symbol.asyncIterator]();
    this.resend = flags.resendUnknown === true;
    this.resendInDoubt = this.resend || descriptorOf(plan.vendor).resendSafe;
    if (resume && flags.checkDuplicates !== false) {
      const maxKeys = flags.duplicateKeys ?? DEFAULT_MAX_DUPLICATE_KEYS;
      this.earlierKeys = new ResumedKeys(maxKeys, destination, plan.defaultCountry, plan.flags.strict);
    }
  }

  /** The leads to send. Not `for await`: leaving early must not close the input, whose unread rows are counted afterwards. */
  async *leads(): AsyncGenerator<Lead> {
    for (;;) {
      if (this.stop || this.signal.aborted) return;
      const next = await this.rowsLeft.next();
      if (next.done) break;
      const row = next.value;
      this.read++;
      this.position = row.offset;
      if (this.settledEarlier(row)) continue;
      if (row.problem) {
        this.ledger.settleHere(row, "invalid", "broken_row", row.problem);
        continue;
      }
      const lead = this.mapping.toLead(row.record);
      const repeat = this.earlierKeys?.match(lead);
      if (repeat) {
        const reason = `same ${repeat.kind} as row ${repeat.rowNumber} (an earlier run); not sent`;
        this.ledger.settleHere(row, "duplicate", "duplicate_earlier_run", reason);
        continue;
      }
      this.firstLead ??= lead;
      this.ledger.handOver(row, lead);
      yield lead;
    }
    this.done = true;
  }

  /** Rows never read, once the call has stopped: settled as failed so that the summary covers the whole file. */
  async countUnread(): Promise<void> {
    try {
      for (let next = await this.rowsLeft.next(); !next.done; next = await this.rowsLeft.next()) {
        this.ledger.unread(next.value, NOT_READ);
      }
    } catch {
      // The rest cannot be read: the summary states it as unread bytes.
    }
  }

  /** Whether an earlier run settled the row, or left it in doubt and it is not to be resent: then it is accounted here. */
  private settledEarlier(row: InputRow): boolean {
    const { resume, ledger } = this;
    if (!resume) return false;
    const earlier = resume.rows.has(row.rowNumber)
      ? (resume.notAdded.get(row.rowNumber) ?? { outcome: "added" as const })
      : undefined;
    if (earlier && !(this.resend && earlier.outcome === "unknown")) {
      ledger.resumedRow(row, earlier.outcome, earlier.reason);
    } else if (!earlier && resume.inDoubt.has(row.rowNumber) && !this.resendInDoubt) {
      ledger.resumedRow(row, "unknown", inDoubtReason(this.plan), true);
    } else {
      return false;
    }
    if (this.earlierKeys && !row.problem) this.earlierKeys.add(this.mapping.toLead(row.record), row.rowNumber);
    return true;
  }
}

function inDoubtReason(plan: ImportPlan): string {
  const name = descriptorOf(plan.vendor).displayName;
  return `sent by an earlier run that stopped before ${name} answered, so whether it was added is unknown; ${name} does not deduplicate, so it was not sent again (--resend-unknown sends it)`;
}
