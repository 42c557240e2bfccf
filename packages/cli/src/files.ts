import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  type Stats,
  statSync,
} from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "./errors.js";

/** Files LeadBridge writes hold personal data: owner-only. */
const PRIVATE = 0o600;

export interface OutputFile {
  /** The flag that named it, for messages: "--report". */
  flag: string;
  path: string;
  /** Whether an existing file at `path` was written by LeadBridge (its first bytes are given). */
  isOurs(head: string): boolean;
}

/** `lstat`, or undefined when nothing is there. */
function look(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`Cannot use ${path}: ${(error as Error).message}`);
  }
}

/** The first `bytes` of a file, as text. */
export function head(path: string, bytes = 4096): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks, before anything is read or written, that an output file may be written: not a symbolic link,
 * not a directory, and not a file LeadBridge did not write (unless `force`).
 */
export function checkOutput(file: OutputFile, force: boolean): void {
  const info = look(file.path);
  if (!info) return;
  if (info.isSymbolicLink()) {
    throw new UsageError(
      `${file.flag} ${file.path} is a symbolic link: LeadBridge does not follow links for the files it writes.`,
      "Name the file itself, or another path.",
    );
  }
  if (info.isDirectory()) throw new UsageError(`${file.flag} ${file.path} is a directory: name a file.`);
  if (!info.isFile() || info.size === 0 || force) return;
  if (!file.isOurs(head(file.path))) {
    throw new UsageError(
      `${file.flag} ${file.path} exists and was not written by LeadBridge: it is not overwritten.`,
      "Choose another path, or pass --force to overwrite it.",
    );
  }
}

/**
 * Opens an output file for writing, checked as `checkOutput` does: a new file is created owner-only
 * (0600) and exclusively; an existing one (LeadBridge's own, or any with `force`) is truncated, or
 * appended to with `append`. Never follows a symbolic link. Returns the file descriptor.
 */
export function openOutput(file: OutputFile, options: { force?: boolean; append?: boolean } = {}): number {
  checkOutput(file, options.force === true);
  const { O_WRONLY, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NOFOLLOW } = constants;
  try {
    if (!look(file.path)) return openSync(file.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, PRIVATE);
    const fd = openSync(file.path, O_WRONLY | O_NOFOLLOW | (options.append ? O_APPEND : O_TRUNC));
    if (fstatSync(fd).isFile()) fchmodSync(fd, PRIVATE);
    return fd;
  } catch (error) {
    throw new UsageError(`Cannot write ${file.flag} ${file.path}: ${(error as Error).message}`);
  }
}

/** The same file, by device and inode when both exist, else by resolved path. */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    const real = (path: string) => {
      try {
        return realpathSync(path);
      } catch {
        return resolve(path);
      }
    };
    return real(a) === real(b);
  }
}
