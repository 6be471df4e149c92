/**
 * Summarises a V8 .cpuprofile (from `BENCH_CPU_PROF=<folder> npm run bench:token`): self time by
 * function and by package or folder, and the inclusive time of our own functions, largest first.
 *
 *   npx tsx scripts/bench/profile-summary.ts <file.cpuprofile> [rows]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: profile-summary <file.cpuprofile> [rows]");
  process.exit(2);
}
const rows = Number(rowsArg ?? 30);
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  if (!url) return "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith("node:")) return url;
  const ours = url.match(/\/(lib|scripts|db|app)\/.*$/);
  return ours ? ours[0].slice(1) : url;
};
const label = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const fnSelf = new Map<string, number>();
const fileSelf = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  add(fnSelf, label(n), us);
  add(
    fileSelf,
    n.callFrame.url.includes("node_modules") || !n.callFrame.url ? where(n.callFrame.url) : n.callFrame.url.replace(/^.*\/wt-[^/]+\//, ""),
    us,
  );
}

// Inclusive time of our own code's functions (each frame counted once per sample path).
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur)!;
    if (!/\/(lib|scripts)\//.test(n.callFrame.url) || n.callFrame.url.includes("node_modules")) continue;
    const l = label(n);
    if (seen.has(l)) continue;
    seen.add(l);
    add(inclusive, l, us);
  }
}

const top = (m: Map<string, number>, title: string) => {
  console.info(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.info(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.info(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
top(fnSelf, "Self time by function");
top(fileSelf, "Self time by package or file");
top(inclusive, "Inclusive time of our own functions");
