// Section d: wall time of a Node start that imports contactkit, and of `contactkit help` (the
// CLI's start-up: commands load lazily), vs an empty Node start. Spawned interleaved, the order
// rotating each round, from the repo root so `import("contactkit")` resolves through the package's
// own exports map to dist/esm.
import { spawnSync } from "node:child_process";
import { median, repoRoot } from "./lib.mjs";

const VARIANTS = [
  { name: 'node -e "" (empty start)', args: ["-e", ""] },
  { name: 'node: await import("contactkit")', args: ["--input-type=module", "-e", 'await import("contactkit")'] },
  { name: "contactkit help (CLI start-up)", args: ["dist/esm/src/cli/main.js", "help"] },
];

export function runImportCost({ runs, warmup = 2 }) {
  const once = (variant) => {
    const start = performance.now();
    const result = spawnSync(process.execPath, variant.args, { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] });
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`${variant.name} failed: ${result.stderr}`);
    return ms;
  };
  // Warm the OS file cache for both (node binary, dist files).
  for (let i = 0; i < warmup; i++) for (const v of VARIANTS) once(v);
  const samples = VARIANTS.map(() => []);
  for (let i = 0; i < runs; i++) {
    // Rotate which one goes first, so none always follows another.
    for (let j = 0; j < VARIANTS.length; j++) {
      const k = (i + j) % VARIANTS.length;
      samples[k].push(once(VARIANTS[k]));
    }
  }
  const [empty, withImport, help] = samples.map(median);
  return {
    runs,
    emptyMs: empty,
    importMs: withImport,
    addedMs: withImport - empty,
    ratio: withImport / empty,
    helpMs: help,
    helpRatio: help / empty,
    samples,
  };
}
