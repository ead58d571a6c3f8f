#!/usr/bin/env node
// Builds dist/: ESM (dist/esm) and CommonJS (dist/cjs) from the same sources with tsc, each with
// its own .d.ts. dist/cjs gets a package.json with "type": "commonjs" so Node and TypeScript read
// its .js and .d.ts files as CommonJS although the package itself is "type": "module".
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const started = performance.now();

rmSync(join(root, "dist"), { recursive: true, force: true });
const builds = [
  // The library core must compile without Node's types: it may only use web-standard APIs.
  ["core without Node types", ["-p", "tsconfig.build.core.json", "--noEmit"]],
  ["esm", ["-p", "tsconfig.build.json"]],
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
mkdirSync(join(root, "dist", "cjs"), { recursive: true });
writeFileSync(join(root, "dist", "cjs", "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
const bin = join(root, "dist", "esm", "src", "cli", "main.js");
if (existsSync(bin)) chmodSync(bin, 0o755);
console.log(`build: dist/esm + dist/cjs in ${Math.round(performance.now() - started)} ms`);
