#!/usr/bin/env node
// Builds dist/: ESM (dist/esm) and CommonJS (dist/cjs) from the same sources, each with its own .d.ts.
//
// dist/esm's JavaScript is bundled by esbuild: Node pays per module it loads (54 for
// `import("contactkit")` as tsc emits them), so one bundle with shared chunks starts in about a
// fifth of the time. The package entries (`.`, testing, erasure, redis, the CLI) are one build with
// code splitting, so they share one copy of every class (`instanceof` across subpaths, one fake,
// one error type). Each `contactkit/<provider>` raw client is bundled on its own: in the shared build
// it would split the core into a chunk per provider. Dependencies stay external (the user's copy).
// tsc still writes the .d.ts files, in the same layout as the sources, so types are unchanged.
//
// dist/cjs stays tsc's module-per-file output, with a package.json of "type": "commonjs" so Node
// and TypeScript read its .js and .d.ts files as CommonJS although the package is "type": "module".
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const started = performance.now();

rmSync(join(root, "dist"), { recursive: true, force: true });
const builds = [
  // The library core must compile without Node's types: it may only use web-standard APIs.
  ["core without Node types", ["-p", "tsconfig.build.core.json", "--noEmit"]],
  ["esm types", ["-p", "tsconfig.build.json", "--emitDeclarationOnly"]],
  // The CLI is ESM only (package `bin`), so the CommonJS build leaves it out.
  ["cjs", ["-p", "tsconfig.build.cjs.json"]],
];
for (const [label, args] of builds) {
  try {
    execFileSync(process.execPath, [tsc, ...args], { cwd: root, stdio: "inherit" });
  } catch {
    console.error(`build: tsc failed for ${label}`);
    process.exit(1);
  }
}

/** esbuild options both ESM builds share: Node 20 ESM, readable output (no minification). */
const esm = {
  absWorkingDir: root,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  outbase: ".",
  outdir: join(root, "dist", "esm"),
  logLevel: "warning",
};
const packageEntries = ["src/index.ts", "src/testing/index.ts", "src/erasure/index.ts", "src/redis/index.ts", "src/cli/main.ts"];
const providerEntries = readdirSync(join(root, "src", "entries"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => `src/entries/${f}`);
try {
  await esbuild.build({ ...esm, entryPoints: packageEntries, splitting: true, chunkNames: "chunks/[name]-[hash]" });
  await esbuild.build({ ...esm, entryPoints: providerEntries });
} catch {
  console.error("build: esbuild failed for esm");
  process.exit(1);
}

mkdirSync(join(root, "dist", "cjs"), { recursive: true });
writeFileSync(join(root, "dist", "cjs", "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
const bin = join(root, "dist", "esm", "src", "cli", "main.js");
if (existsSync(bin)) chmodSync(bin, 0o755);
console.log(`build: dist/esm (bundled) + dist/cjs in ${Math.round(performance.now() - started)} ms`);
