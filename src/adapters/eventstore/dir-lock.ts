import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { isProcessAlive } from "../process.js";

export class DirectoryLockedError extends Error {
  override readonly name = "DirectoryLockedError";
  constructor(
    readonly lockFile: string,
    readonly holderPid: number,
  ) {
    const who = holderPid === process.pid ? "this process" : `process ${holderPid}`;
    super(
      `the embedded database is in use by ${who} (lock file ${lockFile}). PGlite cannot be opened by two ` +
        "processes at once. To share it, talk to the process that holds it (run `testdriver serve` once and " +
        "use its HTTP API or MCP endpoint), point each process at its own TESTDRIVER_DATA_DIR, or use " +
        "PostgreSQL (DATABASE_URL) for several processes.",
    );
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An exclusive lock on a directory, as a file created with O_EXCL that holds the owner's pid. A lock left by
 * a process that has died is taken over; one held by a live process never is.
 */
export class DirectoryLock {
  private held = false;
  private readonly releaseOnExit = () => this.release();

  private constructor(readonly file: string) {}

  static acquire(file: string): DirectoryLock {
    const lock = new DirectoryLock(file);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(file, "wx", 0o644);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        lock.held = true;
        process.once("exit", lock.releaseOnExit);
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = readPid(file);
      if (holder !== undefined && isProcessAlive(holder)) throw new DirectoryLockedError(file, holder);
      // The holder is gone (or the file is half-written by a crash): remove it and try again.
      try {
        unlinkSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
    throw new DirectoryLockedError(file, readPid(file) ?? 0);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    process.off("exit", this.releaseOnExit);
    // Only remove the file if it is still ours.
    if (readPid(this.file) === process.pid) {
      try {
        unlinkSync(this.file);
      } catch {
        // Already gone.
      }
    }
  }
}
