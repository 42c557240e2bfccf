import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { UsageError } from "./errors.js";

/**
 * An exclusive lock beside a journal (`<journal>.lock`, holding the owner's pid), so that two runs never
 * resume from the same state at once. A lock whose process is gone (a SIGKILL, a crash) is stale and taken over.
 */
export class JournalLock {
  private held = true;
  private constructor(readonly path: string) {}

  static acquire(journalPath: string): JournalLock {
    const path = `${journalPath}.lock`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(
          path,
          constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
          0o600,
        );
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new JournalLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
          throw new UsageError(`Cannot lock the journal ${journalPath}: ${(error as Error).message}`);
        }
      }
      const owner = ownerOf(path);
      if (owner !== undefined && isAlive(owner)) {
        throw new UsageError(
          `Another leadbridge import (pid ${owner}) is using the journal ${journalPath}.`,
          `Wait for it to finish. If no import is running, delete ${path}.`,
        );
      }
      // Stale: its process is gone. Remove it and try again (another run may win the race: then it is live).
      try {
        unlinkSync(path);
      } catch {}
    }
    throw new UsageError(`Cannot lock the journal ${journalPath}: ${path} keeps reappearing.`);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      if (ownerOf(this.path) === process.pid) unlinkSync(this.path);
    } catch {}
  }
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
