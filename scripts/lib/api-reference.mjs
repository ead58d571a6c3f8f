// The library's own API reference: TypeDoc over the source of every package.json `exports` entry
// point (typedoc.json holds the options; scripts/typedoc-subpaths.mjs names the modules after
// their import paths). Output is plain static HTML that works offline.
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { entryPointFiles } from "../typedoc-subpaths.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function countPages(dir) {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile() && entry.name.endsWith(".html")) count += 1;
  return count;
}

/** Builds the reference into `outDir`; resolves to its index page and page count, rejects with TypeDoc's output. */
export function buildApiReference(outDir) {
  const bin = join(root, "node_modules", "typedoc", "bin", "typedoc");
  const args = [
    bin,
    "--options",
    join(root, "typedoc.json"),
    "--out",
    outDir,
    "--logLevel",
    "Warn",
    "--treatWarningsAsErrors",
    ...entryPointFiles(),
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", async (code) => {
      if (code !== 0) return reject(new Error(`typedoc failed (exit ${code}):\n${output.trim()}`));
      resolvePromise({ outDir, index: join(outDir, "index.html"), pages: await countPages(outDir) });
    });
  });
}
