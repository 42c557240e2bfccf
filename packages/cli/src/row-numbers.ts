/**
 * The input row of each lead handed to the facade, by the facade's index, so that a result's
 * `duplicateOf` (an index of this call) can be told as a row a person can find. A row usually follows its index at a fixed distance (the header
 * and every skipped row or multi-line record add to it), so only the indices where the distance changes
 * are kept: memory follows the file's irregular rows, not its length.
 */
export class RowNumbers {
  /** Run k starts at index `starts[k]`, where row = index + `offsets[k]`. */
  private starts = new Uint32Array(16);
  private offsets = new Uint32Array(16);
  private runs = 0;
  private size = 0;

  /** Records that the next lead (index `size`) is input row `row`. */
  push(row: number): void {
    const offset = row - this.size;
    if (this.runs === 0 || this.offsets[this.runs - 1] !== offset) {
      if (this.runs === this.starts.length) {
        this.starts = grown(this.starts);
        this.offsets = grown(this.offsets);
      }
      this.starts[this.runs] = this.size;
      this.offsets[this.runs] = offset;
      this.runs++;
    }
    this.size++;
  }

  rowOf(index: number): number | undefined {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size)) return undefined;
    // The last run starting at or before `index`.
    let low = 0;
    let high = this.runs - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.starts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return index + this.offsets[low]!;
  }
}

function grown(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
