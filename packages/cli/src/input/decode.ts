import { Transform, type TransformCallback } from "node:stream";
import { InputError } from "../errors.js";

/**
 * Bytes → UTF-8 text, refusing what is not text: a NUL byte (binary files, UTF-16 exports) or an
 * invalid UTF-8 sequence fails with the byte offset, instead of feeding mojibake to the parser.
 * Counts bytes as they pass, for progress and ETA. Strips a leading BOM.
 */
export class Utf8Guard extends Transform {
  bytes = 0;
  /** Newlines passed so far, to name the line of a bad byte. */
  private newlines = 0;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(private readonly name: string) {
    super({ readableObjectMode: false, decodeStrings: true, encoding: "utf8" });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      callback(
        new InputError(
          `${this.name} looks like a binary file, not CSV or JSON Lines (NUL byte on line ${this.lineAt(chunk, nul)}, at byte offset ${this.bytes + nul}).`,
          "Export the data as CSV (UTF-8) or JSON Lines. UTF-16 text is not supported: save it as UTF-8.",
        ),
      );
      return;
    }
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      callback(
        new InputError(
          `${this.name} is not valid UTF-8 text (invalid byte sequence on line ${this.lineAt(chunk, firstInvalid(chunk))}, near byte offset ${this.bytes + firstInvalid(chunk)}).`,
          "Save the file as UTF-8 (in Excel: 'CSV UTF-8'), or convert it: iconv -f latin1 -t utf-8 in.csv > out.csv",
        ),
      );
      return;
    }
    this.bytes += chunk.length;
    this.newlines += countNewlines(chunk, chunk.length);
    callback(null, text);
  }

  /** The 1-based line of byte `at` of `chunk`. */
  private lineAt(chunk: Buffer, at: number): number {
    return this.newlines + countNewlines(chunk, at) + 1;
  }

  override _flush(callback: TransformCallback): void {
    try {
      const rest = this.decoder.decode();
      callback(null, rest);
    } catch {
      callback(new InputError(`${this.name} ends in the middle of a UTF-8 character: it is truncated or not UTF-8.`));
    }
  }
}

/** Byte offset of the first replacement character a lenient decode produces: where UTF-8 breaks (approximate at chunk edges). */
function firstInvalid(chunk: Buffer): number {
  const text = chunk.toString("utf8");
  const at = text.indexOf("\uFFFD");
  return at === -1 ? 0 : Buffer.byteLength(text.slice(0, at));
}

function countNewlines(chunk: Buffer, end: number): number {
  let n = 0;
  for (let at = chunk.indexOf(10); at !== -1 && at < end; at = chunk.indexOf(10, at + 1)) n++;
  return n;
}
