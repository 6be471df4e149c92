import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/**
 * PGlite lets two processes open one data folder and both "succeed"; one's writes are then
 * silently lost (stack-notes). So the folder gets a lock file naming its owner, taken with an
 * exclusive create, and a second process is refused with a message that says what to do.
 */

export class FolderLockedError extends Error {
  override name = "FolderLockedError";
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
  command: string;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockOwner;
  } catch {
    return null;
  }
}

const held = new Set<string>();

export function lockFileFor(folder: string): string {
  return `${folder}.lock`;
}

/** Takes the lock for `folder` for the life of this process (idempotent within a process). */
export function lockFolder(folder: string): void {
  const file = lockFileFor(folder);
  if (held.has(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      const owner: LockOwner = {
        pid: process.pid,
        host: hostname(),
        since: new Date().toISOString(),
        command: process.argv.slice(1).join(" ").slice(0, 200),
      };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      held.add(file);
      process.once("exit", () => releaseFolder(folder));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readOwner(file);
      if (owner && owner.pid === process.pid && owner.host === hostname()) {
        held.add(file);
        return;
      }
      const stale = owner === null ? false : owner.host === hostname() && !isRunning(owner.pid);
      if (stale) {
        unlinkSync(file);
        continue;
      }
      throw new FolderLockedError(
        [
          `The embedded database at ${folder} is already open in another process` +
            (owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.since}: ${owner.command})` : "") +
            ".",
          "PGlite allows one process per data folder, and a second one would silently lose writes.",
          "Stop the other process first, point ROTOR_DATA_DIR at another folder, or set DATABASE_URL to share a Postgres server.",
          `If you are sure no such process is running, delete ${file}.`,
        ].join("\n"),
      );
    }
  }
  throw new FolderLockedError(`Could not take the lock ${file}; try again.`);
}

export function releaseFolder(folder: string): void {
  const file = lockFileFor(folder);
  if (!held.delete(file)) return;
  const owner = readOwner(file);
  if (owner?.pid === process.pid) {
    try {
      unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  }
}
