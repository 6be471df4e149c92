import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockFileFor, lockFolder, releaseFolder } from "./folder-lock";

const tsx = path.resolve("node_modules/.bin/tsx");
const tryLock = (folder: string) =>
  spawnSync(tsx, ["-e", `import("${path.resolve("db/folder-lock.ts")}").then(m => m.lockFolder(${JSON.stringify(folder)}))`], {
    encoding: "utf8",
  });

describe("one process per embedded database folder", () => {
  it("refuses a second process with a message that says what to do", () => {
    const folder = path.join(mkdtempSync(path.join(tmpdir(), "rotor-lock-")), "pglite");
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
    const folder = path.join(mkdtempSync(path.join(tmpdir(), "rotor-lock-")), "pglite");
    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    const owner = { pid: Number(dead.stdout.trim()), host: hostname(), since: "2026-01-01", command: "gone" };
    writeFileSync(lockFileFor(folder), JSON.stringify(owner));
    lockFolder(folder);
    expect(JSON.parse(readFileSync(lockFileFor(folder), "utf8")).pid).toBe(process.pid);
    releaseFolder(folder);
  });
});
