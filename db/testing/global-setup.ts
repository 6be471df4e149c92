import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../client";

/**
 * Without DATABASE_URL the integration tests run on PGlite in-process. A fresh PGlite costs about
 * 3 s; a migrated template dumped once and loaded per test file costs about 1 s (docs/architecture.md, "Notes on the stack").
 */
export default async function setup(project: TestProject) {
  const folder = mkdtempSync(path.join(tmpdir(), "rotor-template-"));
  const file = path.join(folder, "template.tar.gz");
  const handle = await openDatabase({ memory: true });
  await handle.migrate();
  const dump = await handle.pglite!.dumpDataDir("gzip");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide("pgliteTemplate", file);
  return () => rmSync(folder, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
