import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [rel] : [];
  });
}

/** Every import with whether it brings values (not only types) into the file. */
function valueImportsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(/^import\s+(type\s+)?([^;]*?)\s+from\s+["']([^"']+)["'];?$/gms)].flatMap((m) => {
    if (m[1]) return [];
    const clause = (m[2] as string).trim();
    // `import { type A, type B } from ...` brings no value either.
    const named = /^\{([^}]*)\}$/.exec(clause);
    if (named && (named[1] as string).split(",").every((part) => part.trim() === "" || /^type\s/.test(part.trim()))) return [];
    return [m[3] as string];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1] as string);
}

const queryBuilding = (spec: string) => /^(drizzle-orm|postgres|@electric-sql\/pglite)(\/|$)/.test(spec) || spec === "@/db/schema";
// Test support builds fixtures directly; it is test code, like the tests themselves (the
// benchmarks' and the cluster harness's provisioning too).
const testSupport = (file: string) => /(^|\/)testing(\.ts|\/)/.test(file) || /^scripts\/(bench|cluster)/.test(file);

describe("the architecture (docs/architecture.md)", () => {
  it("lets only lib/data (and db/) write queries: no value import of drizzle-orm, the drivers or the schema elsewhere", () => {
    const offenders = [...sourceFiles("app"), ...sourceFiles("components"), ...sourceFiles("lib"), ...sourceFiles("scripts"), "proxy.ts"]
      .filter((file) => !file.startsWith(path.join("lib", "data") + path.sep) && !testSupport(file))
      .flatMap((file) =>
        valueImportsOf(file)
          .filter(queryBuilding)
          .map((spec) => `${file} imports ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it("opens the database client only in lib/data, db/ and the scripts that start a process", () => {
    const offenders = [...sourceFiles("app"), ...sourceFiles("components"), ...sourceFiles("lib"), "proxy.ts", "instrumentation.ts"]
      .filter((file) => !file.startsWith(path.join("lib", "data") + path.sep) && !testSupport(file))
      .flatMap((file) =>
        valueImportsOf(file)
          .filter((spec) => spec === "@/db/client")
          .map((spec) => `${file} imports ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it("keeps the database driver and schema out of app/ and components/: the data layer is the only way in", () => {
    const offenders = [...sourceFiles("app"), ...sourceFiles("components")].flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^(drizzle-orm|postgres|@electric-sql\/pglite)(\/|$)/.test(spec) || spec.startsWith("@/db/"))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("keeps lib/ free of app/ and components/ imports", () => {
    const offenders = sourceFiles("lib").flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("@/app/") || spec.startsWith("@/components/"))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("keeps components/ away from the data layer: they take plain DTOs", () => {
    const offenders = sourceFiles("components").flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("@/lib/data") || spec.startsWith("@/lib/auth"))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("reads process.env only in lib/env.ts", () => {
    const offenders = [...sourceFiles("app"), ...sourceFiles("components"), ...sourceFiles("lib"), ...sourceFiles("db")].filter(
      (file) => file !== path.join("lib", "env.ts") && /process\.env/.test(readFileSync(path.join(root, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
