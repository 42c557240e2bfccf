// A results file may name several destinations (an Amplemarket import that rolled over to new lists):
// its records are verified in runs of consecutive records with the same vendor and destination.
import type { ResultRow } from "../../results-file.js";

export interface Run {
  vendor: string;
  destination: string;
  /** The row number of the run's first record. */
  firstRow: number;
  records: AsyncIterable<ResultRow>;
}

/**
 * The runs of `records`, each read lazily from the one stream (a run must be read to its end before the
 * next is asked for). A record with no destination (a row never sent) stays in the run it is in.
 */
export async function* runsOf(records: AsyncIterable<ResultRow>): AsyncGenerator<Run> {
  const source = records[Symbol.asyncIterator]();
  let next = await source.next();
  while (!next.done) {
    const { vendor, destination, row: firstRow } = next.value;
    const sameRun = (record: ResultRow) =>
      record.destination === "" || (record.vendor === vendor && record.destination === destination);
    let first: ResultRow | undefined = next.value;
    let ended = false;
    /** Reads the next record of this run from the source, or ends the run (leaving the next one's first in `next`). */
    const advance = async (): Promise<ResultRow | undefined> => {
      next = await source.next();
      if (next.done || !sameRun(next.value)) ended = true;
      return ended ? undefined : (next.value as ResultRow);
    };
    async function* run(): AsyncGenerator<ResultRow> {
      if (first) yield first;
      first = undefined;
      for (let record = await advance(); record; record = await advance()) yield record;
    }
    yield { vendor, destination, firstRow, records: run() };
    // Whatever the consumer left unread of this run is read past here, so the next run starts in place.
    first = undefined;
    while (!ended) await advance();
  }
}
