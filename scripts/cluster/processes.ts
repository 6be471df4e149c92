/**
 * The cluster harness's processes: started with their output in files of the run's own folder,
 * stopped by PID, and swept up if a previous run was killed before it could stop them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Each run's folder is /tmp/rotor-cluster-<pid of the run>-<random>. */
export const RUN_FOLDER_PREFIX = "rotor-cluster-";

export interface Started {
  name: string;
  child: ChildProcess;
  log: string;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `command` in a process group of its own, with its output in `<folder>/<name>.log`.
 * (`tsx` runs the server in a child process: killing only the PID we started would leave that
 * child listening.)
 */
export function startProcess(folder: string, name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const log = path.join(folder, `${name}.log`);
  const fd = openSync(log, "a");
  const child = spawn(command, args, { env, stdio: ["ignore", fd, fd], detached: true });
  return { name, child, log };
}

/** SIGKILL to the process's whole group, now (also from an exit handler: synchronous). */
export function killGroup(p: Started): void {
  if (p.child.pid === undefined) return;
  try {
    process.kill(-p.child.pid, "SIGKILL");
  } catch {
    // the group is gone
  }
}

/**
 * SIGTERM to the process we started (tsx passes it on to the server), then SIGKILL to its whole
 * group if it is still there after `graceMs`; resolves once it has exited, its group gone too.
 */
export function stopProcess(p: Started, graceMs = 10_000): Promise<void> {
  const { child } = p;
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      killGroup(p);
      return resolve();
    }
    const timer = setTimeout(() => killGroup(p), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      killGroup(p);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return "";
  return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
}

/**
 * A run killed outright (SIGKILL, a crashed runner) leaves its processes and database behind: the
 * next run ends them. A process is ended only if it belongs to that run (its command line or
 * environment names the run's folder), never a PID reused by someone else.
 */
export function sweepAbandonedRuns(): { folders: string[]; databases: string[] } {
  const folders: string[] = [];
  const databases: string[] = [];
  for (const entry of readdirSync(tmpdir())) {
    const m = new RegExp(`^${RUN_FOLDER_PREFIX}(\\d+)-`).exec(entry);
    if (!m || alive(Number(m[1]))) continue;
    const folder = path.join(tmpdir(), entry);
    // Every process whose command line or environment names the folder: PgBouncer and HAProxy
    // (their configuration files), the instances and their children (ROTOR_DATA_DIR).
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid || !belongsTo(Number(entry), folder)) continue;
      try {
        process.kill(Number(entry), "SIGKILL");
      } catch {
        // already gone
      }
    }
    const dbFile = path.join(folder, "database");
    if (existsSync(dbFile)) databases.push(readFileSync(dbFile, "utf8").trim());
    rmSync(folder, { recursive: true, force: true });
    folders.push(folder);
  }
  return { folders, databases };
}

function belongsTo(pid: number, folder: string): boolean {
  for (const file of ["cmdline", "environ"]) {
    try {
      if (readFileSync(`/proc/${pid}/${file}`).toString("utf8").includes(folder)) return true;
    } catch {
      // gone, or not ours to read
    }
  }
  return false;
}
