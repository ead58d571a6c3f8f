#!/usr/bin/env node
// Bundle budgets: what contactkit costs a user who ships it to a browser or an edge runtime.
//
// For each entry, esbuild bundles dist/esm (platform "browser", ESM, minified, nothing external:
// openapi-fetch is bundled in because users ship it too) and the output is gzipped (node:zlib,
// level 9). Entries:
//   - contactkit/<provider>  (the raw typed openapi-fetch client, one per provider)  <= 5 kB gzip each
//   - contactkit             (the whole facade with every provider)                  <= 19.5 kB gzip
//   - featurebase-node       (the official Stainless-generated Featurebase SDK, bundled for the same
//                             delete call, `new Featurebase({ apiKey }).users.contacts.delete(id)`),
//                             for comparison only (no budget)
// Budgets use 1 kB = 1024 bytes, as size-limit (the `bytes` package), bundlephobia and esbuild's
// --analyze do; the table prints the same unit.
//
// Usage: node scripts/bundle-size.mjs [--json]    (after `npm run build`; exits 1 when a budget is exceeded)
// test/package/bundle.test.ts reuses measureBundles() for its assertions.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { providerNamesFrom } from "./lib/providers.mjs";

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** One subpath per provider entry point (src/entries/<name>.ts). */
export const PROVIDERS = providerNamesFrom(PROJECT_ROOT);
/**
 * Gzip budgets in bytes (1 kB = 1024 bytes): 5 kB per provider subpath, 19.5 kB for the facade (every
 * provider; hostile-input defences of issue 10 added ~1.5 kB; telling the provider's own 404 from
 * any other (issue 10 item 2) and Truto's nested remote_query writer (issue 11) ~0.75 kB; read-back
 * verification (issue 12: contactExists, verify, still_present, every provider's typed GET) ~2.3 kB).
 * Lowered from 19 kB after the size pass of issue 16 (branch `size`: table-driven config checks,
 * error fields in one table, trimmed facts, shorter messages) took the facade from 19,024 to about
 * 18,500 bytes; the hot-path pass (branch `hot`: a per-attempt abort object, the framed body read)
 * added ~300 bytes back (18,769); deadline slots (branch `deadline`: attempts share their timeout
 * signal, src/transport/deadline-slots.ts, with the review's mends and branch `lean`) ~600 more
 * (19,451 after the second review's gate), so 19 kB again; the compiled default send (src/send-by-id.ts, a
 * CLI id ~16 µs cheaper, headers copied per call) and `--rate` as a ceiling (`ceiling` in AdaptiveRateLimiter, the
 * burst cut under it) ~260 more (19,711), so 19.5 kB. Issue 16's goal is 13 kB (13,312 bytes): see docs/perf-notes.md ("Merged
 * tree, 2026-12-02") for why trimming cannot reach it (without bulk runs 16,830 bytes, without bulk
 * and verification 15,294; openapi-fetch alone ~2,200).
 */
export const BUDGETS = { provider: 5 * 1024, facade: 19.5 * 1024 };

/**
 * The file behind each core package entry point (`.` and the provider subpaths): in dist/esm (what
 * is published and what budgets measure) or in src/ (module by module: dist/esm is itself a bundle,
 * so which source modules a bundle keeps is read from a build of the sources).
 * @param {string} [root]
 * @param {"dist" | "src"} [from]
 */
export function coreEntries(root = PROJECT_ROOT, from = "dist") {
  const file = from === "src" ? (...path) => join(root, ...path) + ".ts" : (...path) => join(root, "dist", "esm", ...path) + ".js";
  return [
    { entry: "contactkit", file: file("src", "index") },
    ...providerNamesFrom(root).map((p) => ({ entry: `contactkit/${p}`, file: file("src", "entries", p) })),
  ];
}

/** Throws a clear error when dist/esm has not been built. */
export function assertBuilt(root = PROJECT_ROOT) {
  const missing = coreEntries(root).filter((e) => !existsSync(e.file));
  if (missing.length > 0) {
    throw new Error(`dist/esm is missing or incomplete (${missing.map((e) => e.file).join(", ")}): run \`npm run build\` first.`);
  }
}

/** esbuild options shared by every measured bundle. */
export function bundleOptions(root = PROJECT_ROOT) {
  return {
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    legalComments: "none",
    write: false,
    metafile: true,
    logLevel: "silent",
    absWorkingDir: root,
    nodePaths: [join(root, "node_modules")],
  };
}

async function measure(entryFile, root) {
  const result = await esbuild.build({ ...bundleOptions(root), entryPoints: [entryFile] });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  return {
    minifiedBytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    inputs: Object.keys(result.metafile.inputs),
    // The inputs that put at least one byte into the bundle (tree-shaken modules are read, not kept).
    outputInputs: Object.entries(output?.inputs ?? {})
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([file]) => file),
  };
}

/**
 * Bundles and measures every entry.
 * @param {{ root?: string, from?: "dist" | "src" }} [options] `from: "src"` bundles the TypeScript sources
 *   (for which modules are kept; sizes within ~0.3% of dist's)
 * @returns {Promise<Array<{ entry: string, minifiedBytes: number, gzipBytes: number, budgetBytes: number | null, pass: boolean | null, inputs: string[] }>>}
 */
export async function measureBundles({ root = PROJECT_ROOT, from = "dist" } = {}) {
  if (from === "dist") assertBuilt(root);
  const rows = [];
  for (const { entry, file } of coreEntries(root, from)) {
    const budgetBytes = entry === "contactkit" ? BUDGETS.facade : BUDGETS.provider;
    const m = await measure(file, root);
    rows.push({ entry, ...m, budgetBytes, pass: m.gzipBytes <= budgetBytes });
  }
  // Facade first in the table, then the providers, then the comparison.
  rows.sort((a, b) => (a.entry === "contactkit" ? -1 : b.entry === "contactkit" ? 1 : 0));

  const dir = await mkdtemp(join(tmpdir(), "contactkit-bundle-size-"));
  try {
    const file = join(dir, "featurebase-node-delete.mjs");
    await writeFile(
      file,
      [
        'import Featurebase from "featurebase-node";',
        "export function deleteContact(apiKey, id) {",
        "  return new Featurebase({ apiKey }).users.contacts.delete(id);",
        "}",
        "",
      ].join("\n"),
    );
    const m = await measure(file, root);
    rows.push({ entry: "featurebase-node (official SDK, same delete)", ...m, budgetBytes: null, pass: null });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The rows as a plain-text table. */
export function formatTable(rows) {
  const kb = (n) => `${(n / 1024).toFixed(2)} kB`;
  const table = [
    ["entry", "minified", "gzip", "gzip bytes", "budget (gzip)", "result"],
    ...rows.map((r) => [
      r.entry,
      kb(r.minifiedBytes),
      kb(r.gzipBytes),
      String(r.gzipBytes),
      r.budgetBytes === null ? "-" : `${kb(r.budgetBytes)} (${r.budgetBytes})`,
      r.pass === null ? "(comparison)" : r.pass ? "pass" : "FAIL",
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(table[0]), widths.map((w) => "-".repeat(w)).join("  "), ...table.slice(1).map(line)].join("\n");
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  try {
    const rows = await measureBundles();
    if (process.argv.includes("--json")) {
      console.log(
        JSON.stringify(
          rows.map(({ inputs, outputInputs, ...row }) => row),
          null,
          2,
        ),
      );
    } else {
      console.log(formatTable(rows));
    }
    const failed = rows.filter((r) => r.pass === false);
    if (failed.length > 0) {
      console.error(
        `bundle-size: over budget: ${failed.map((r) => `${r.entry} (${r.gzipBytes} > ${r.budgetBytes} bytes gzip)`).join(", ")}`,
      );
      process.exit(1);
    }
  } catch (error) {
    console.error(`bundle-size: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
