import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/**
 * PGlite lets two processes open one data folder and both "succeed"; one's writes are then
 * silently lost (docs/architecture.md, "Notes on the stack"). So the folder gets a lock file naming its owner, taken with an
 * exclusive create, and a second process is refused with a message that says what to do.
 *
 * A lock left behind is taken over when its owner is provably gone: no process with its PID runs
 * on this machine, or one does but started at another time (the PID was reused), or the file is
 * empty or unreadable and old enough that no starting process can still be writing it.
 */

export class FolderLockedError extends Error {
  override name = "FolderLockedError";
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
  command: string;
  /** When the owning process started (see processStartOf); absent in locks written before it was recorded. */
  started?: string | null;
}

/** An empty or unreadable lock younger than this may be one a starting process is still writing. */
export const UNREADABLE_LOCK_GRACE_MS = 5_000;

/** What the lock needs from the machine, injectable so its rules can be tested deterministically. */
export interface LockEnvironment {
  pid: number;
  host: string;
  now: () => number;
  /** The lock file's last modification, in ms since the epoch. */
  modifiedAt: (file: string) => number;
  isRunning: (pid: number) => boolean;
  /** An identifier of when the process started, or null when it cannot be told (see processStartOf). */
  processStart: (pid: number) => string | null;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Field 22 of /proc/<pid>/stat, the process's start time in clock ticks since boot (proc(5)). The
 * second field, the command name, is in parentheses and may itself hold spaces and parentheses, so
 * the fields are counted from the last ")".
 */
export function startTimeFromStat(stat: string): string | null {
  const rest = stat
    .slice(stat.lastIndexOf(")") + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field 22 is rest[19].
  const ticks = rest[19];
  return ticks && /^\d+$/.test(ticks) ? ticks : null;
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return null;
  }
}

/**
 * When process `pid` started, as a string that differs between two processes given the same PID.
 * Linux: the boot's id and the start time in ticks from /proc (ticks alone repeat across reboots).
 * Elsewhere (macOS, the BSDs): `ps -o lstart=`, to the second. Null when neither can tell (no
 * such process, or no `ps`): the lock then goes by whether the PID runs at all, as before.
 */
export function processStartOf(pid: number): string | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (stat !== null) {
    const ticks = startTimeFromStat(stat);
    return ticks && `${readOrNull("/proc/sys/kernel/random/boot_id") ?? "boot"}:${ticks}`;
  }
  if (process.platform === "linux" || process.platform === "win32") return null;
  try {
    const started = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return started.trim() || null;
  } catch {
    return null;
  }
}

const defaultEnvironment = (): LockEnvironment => ({
  pid: process.pid,
  host: hostname(),
  now: Date.now,
  modifiedAt: (file) => statSync(file).mtimeMs,
  isRunning,
  processStart: processStartOf,
});

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, "utf8")) as LockOwner;
    return typeof owner === "object" && owner !== null && Number.isInteger(owner.pid) && typeof owner.host === "string" ? owner : null;
  } catch {
    return null;
  }
}

/** The owner's process runs: its PID is alive and, where both are known, it started when the lock says. */
function ownerRuns(owner: LockOwner, env: LockEnvironment): boolean {
  if (!env.isRunning(owner.pid)) return false;
  if (!owner.started) return true;
  const started = env.processStart(owner.pid);
  return started === null || started === owner.started;
}

/** The locks this process holds, with the exact text it wrote into each. */
const held = new Map<string, string>();

export function lockFileFor(folder: string): string {
  return `${folder}.lock`;
}

function removeStale(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Takes the lock for `folder` for the life of this process (idempotent within a process). */
export function lockFolder(folder: string, overrides: Partial<LockEnvironment> = {}): void {
  const env = { ...defaultEnvironment(), ...overrides };
  const file = lockFileFor(folder);
  if (held.has(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const started = env.processStart(env.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      const owner: LockOwner = {
        pid: env.pid,
        host: env.host,
        since: new Date(env.now()).toISOString(),
        command: process.argv.slice(1).join(" ").slice(0, 200),
        started,
      };
      const text = JSON.stringify(owner);
      writeSync(fd, text);
      closeSync(fd);
      held.set(file, text);
      process.once("exit", () => releaseFolder(folder));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readOwner(file);
      if (owner === null) {
        // Empty or not JSON: a crash while writing it, or a starting process writing it right now.
        let age: number;
        try {
          age = env.now() - env.modifiedAt(file);
        } catch {
          continue; // Gone meanwhile: released by its owner, so try again.
        }
        if (age < UNREADABLE_LOCK_GRACE_MS) {
          throw new FolderLockedError(
            [
              `The embedded database at ${folder} is being opened by another process (its lock file ${file} is still being written).`,
              "Try again in a few seconds; if it persists, stop the other process first.",
            ].join("\n"),
          );
        }
        removeStale(file);
        continue;
      }
      if (owner.host === env.host && owner.pid === env.pid && (owner.started ?? null) === started) {
        // Written by this very process (the module was loaded twice).
        held.set(file, readFileSync(file, "utf8"));
        return;
      }
      // Our own PID in a lock we did not write: its writer is gone and the PID is now ours.
      if (owner.host === env.host && (owner.pid === env.pid || !ownerRuns(owner, env))) {
        removeStale(file);
        continue;
      }
      throw new FolderLockedError(
        [
          `The embedded database at ${folder} is already open in another process` +
            ` (pid ${owner.pid} on ${owner.host}, since ${owner.since}: ${owner.command}).`,
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
  const wrote = held.get(file);
  if (wrote === undefined) return;
  held.delete(file);
  // Only our own lock: never one another process has since taken over.
  if (readOrNull(file) === wrote.trim()) {
    try {
      unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  }
}
