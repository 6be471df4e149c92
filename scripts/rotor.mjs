#!/usr/bin/env node
// The `rotor` bin: runs the TypeScript CLI through tsx, resolving the project's path aliases.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const here = path.dirname(fileURLToPath(import.meta.url));
register({ tsconfig: path.join(here, "..", "tsconfig.json") });
await import(pathToFileURL(path.join(here, "rotor.ts")).href);
