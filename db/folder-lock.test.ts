import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  FolderLockedError,
  type LockEnvironment,
  lockFileFor,
  lockFolder,
  processStartOf,
  releaseFolder,
  startTimeFromStat,
  UNREADABLE_LOCK_GRACE_MS,
} from "./folder-lock";

const tsx = path.resolve("node_modules/.bin/tsx");
const tryLock = (folder: string) =>
  spawnSync(tsx, ["-e", `import("${path.resolve("db/folder-lock.ts")}").then(m => m.lockFolder(${JSON.stringify(folder)}))`], {
    encoding: "utf8",
  });

const newFolder = () => path.join(mkdtempSync(path.join(tmpdir(), "rotor-lock-")), "pglite");

describe("one process per embedded database folder", () => {
  it("refuses a second process with a message that says what to do", () => {
    const folder = newFolder();
    lockFolder(folder);
    try {
      const second = tryLock(folder);
      expect(second.status).not.toBe(0);
      expect(second.stderr).toMatch(/already open in another process \(pid \d+/);
      expect(second.stderr).toMatch(/Stop the other process first/);
    } finally {
      releaseFolder(folder);
    }
    expect(tryLock(folder).status).toBe(0);
  });

  it("takes over a lock left behind by a process that no longer runs", () => {
    const folder = newFolder();
    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    const owner = { pid: Number(dead.stdout.trim()), host: hostname(), since: "2026-01-01", command: "gone" };
    writeFileSync(lockFileFor(folder), JSON.stringify(owner));
    lockFolder(folder);
    expect(JSON.parse(readFileSync(lockFileFor(folder), "utf8")).pid).toBe(process.pid);
    releaseFolder(folder);
  });
});

/*
 * The rules for a lock file found in place, with the clock, the file's age and the processes of
 * the machine stood in for, so nothing depends on timing or on which PIDs happen to exist.
 */
describe("a lock file found in place", () => {
  const T = Date.parse("2026-11-21T09:00:00Z");
  // A PID that really runs on this machine (our parent), for the cases where its liveness matters.
  const other = process.ppid;
  const machine = (overrides: Partial<LockEnvironment> = {}): Partial<LockEnvironment> => ({
    now: () => T + 60_000,
    modifiedAt: () => T,
    isRunning: (pid) => pid === process.pid || pid === other,
    processStart: (pid) => (pid === process.pid ? "me-started" : pid === other ? "other-started" : null),
    ...overrides,
  });
  function folderWithLock(content: string) {
    const folder = newFolder();
    writeFileSync(lockFileFor(folder), content);
    return folder;
  }
  const lockText = (folder: string) => readFileSync(lockFileFor(folder), "utf8");
  function expectTaken(folder: string) {
    try {
      expect(JSON.parse(lockText(folder))).toMatchObject({ pid: process.pid, host: hostname(), started: "me-started" });
    } finally {
      releaseFolder(folder);
    }
  }
  const refusal = (folder: string, env: Partial<LockEnvironment>) => {
    try {
      lockFolder(folder, env);
    } catch (error) {
      return error as Error;
    }
    releaseFolder(folder);
    return null;
  };

  it("takes over an empty lock file old enough that no starting process can still be writing it", () => {
    const folder = folderWithLock("");
    lockFolder(folder, machine({ now: () => T + UNREADABLE_LOCK_GRACE_MS }));
    expectTaken(folder);
  });

  it("refuses an empty lock file written just now (a starting process may be writing it), and leaves it", () => {
    const folder = folderWithLock("");
    const error = refusal(folder, machine({ now: () => T + UNREADABLE_LOCK_GRACE_MS - 1 }));
    expect(error).toBeInstanceOf(FolderLockedError);
    expect(error?.message).toMatch(/is being opened by another process .*still being written/);
    expect(error?.message).toMatch(/Try again in a few seconds/);
    expect(lockText(folder)).toBe("");
  });

  it("takes over a lock file that is not JSON once it is old", () => {
    for (const content of ['{"pid": 12', "not json at all", "null", '{"host":"x"}']) {
      const folder = folderWithLock(content);
      expect(refusal(folder, machine({ now: () => T + 1_000 }))?.message, content).toMatch(/still being written/);
      lockFolder(folder, machine());
      expectTaken(folder);
    }
  });

  it("refuses while the owner runs, naming it", () => {
    const owner = {
      pid: other,
      host: hostname(),
      since: "2026-11-21T08:00:00.000Z",
      command: "scripts/server.ts",
      started: "other-started",
    };
    const folder = folderWithLock(JSON.stringify(owner));
    const error = refusal(folder, machine());
    expect(error).toBeInstanceOf(FolderLockedError);
    expect(error?.message).toContain(
      `already open in another process (pid ${other} on ${hostname()}, since 2026-11-21T08:00:00.000Z: scripts/server.ts)`,
    );
    expect(error?.message).toMatch(/Stop the other process first/);
    expect(JSON.parse(lockText(folder))).toEqual(owner);
  });

  it("takes over a lock naming a live PID of this machine that started at another time: the PID was reused", () => {
    const owner = { pid: other, host: hostname(), since: "2026-11-20T08:00:00.000Z", command: "scripts/server.ts", started: "long-ago" };
    const folder = folderWithLock(JSON.stringify(owner));
    lockFolder(folder, machine());
    expectTaken(folder);
  });

  it("takes over a lock naming this process's own PID that it did not write", () => {
    const folder = folderWithLock(JSON.stringify({ pid: process.pid, host: hostname(), since: "x", command: "old", started: "long-ago" }));
    lockFolder(folder, machine());
    expectTaken(folder);
  });

  it("still honours a lock written before start times were recorded, while its PID runs", () => {
    const folder = folderWithLock(JSON.stringify({ pid: other, host: hostname(), since: "x", command: "older rotor" }));
    expect(refusal(folder, machine())?.message).toMatch(`pid ${other}`);
  });

  it("never takes over another machine's lock (its processes cannot be seen from here)", () => {
    const folder = folderWithLock(JSON.stringify({ pid: 1, host: "elsewhere", since: "x", command: "rotor", started: "s" }));
    expect(refusal(folder, machine({ isRunning: () => false }))?.message).toMatch(/pid 1 on elsewhere/);
  });
});

describe("a process's start time", () => {
  it("is field 22 of /proc/<pid>/stat, counted from after the command name, which may hold spaces and parentheses", () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = "S";
    expect(startTimeFromStat(`4242 (we(i)rd ) name) ${fields.join(" ")}\n`)).toBe("22");
    expect(startTimeFromStat("4242 (short) S 1")).toBeNull();
  });

  it("is read for a running process, the same each time, and differs between two processes", () => {
    const mine = processStartOf(process.pid);
    expect(mine).toEqual(expect.any(String));
    expect(processStartOf(process.pid)).toBe(mine);
    expect(processStartOf(process.ppid)).not.toBe(mine);
  });
});
