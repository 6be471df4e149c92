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

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1] as string);
}

describe("the architecture (docs/architecture.md)", () => {
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
