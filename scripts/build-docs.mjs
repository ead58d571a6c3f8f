#!/usr/bin/env node
// Offline documentation: a Redoc page for every spec in specs/*.yaml, the library's own API
// reference (TypeDoc, from its TSDoc comments) and an index linking them.
//
//   npm run docs                      -> build/docs/<provider>.html, build/docs/redoc.standalone.js,
//                                        build/docs/api/ (TypeDoc) + build/docs/index.html
//   node scripts/build-docs.mjs --out DIR [--specs DIR] [--jobs N]
//
// Each page is `redocly build-docs` with Redoc UI telemetry off (--openapi.disableTelemetry=true) and
// Redocly CLI telemetry off (REDOCLY_TELEMETRY=off), made browsable by scripts/lib/redoc-pages.mjs
// (one shared Redoc bundle next to the pages, the operation expanded, source URLs as links). Redoc 3
// still references two network resources at run time, which are rewritten so the page works fully offline:
//   - the sidebar "API docs by <Redocly logo>" <img> points at https://cdn.redoc.ly/redoc/logo-mini*.svg
//     -> replaced with an inline SVG data: URI (same attribution text, no request);
//   - no favicon, so browsers GET /favicon.ico (a 404 console error) -> `<link rel="icon" href="data:,">`.
// Output is deterministic (no build date), so re-running gives byte-identical files.
//
// Programmatic use (the docs browser test builds into a temp dir):
//   import { buildDocs } from "./scripts/build-docs.mjs";
//   const result = await buildDocs({ outDir: "/tmp/x" });
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { buildApiReference } from "./lib/api-reference.mjs";
import { BUNDLE_FILE, specForRedoc, useSharedBundle, writeRedocBundle } from "./lib/redoc-pages.mjs";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_SPECS_DIR = join(PROJECT_ROOT, "specs");
export const DEFAULT_OUT_DIR = join(PROJECT_ROOT, "build", "docs");
const REDOCLY_BIN = join(PROJECT_ROOT, "node_modules", ".bin", "redocly");

/** Redoc 3's sidebar attribution logo (fetched from a CDN after hydration) -> inline SVG. */
const ATTRIBUTION_SVG =
  "<svg xmlns='http://www.w3.org/2000/svg' width='64' height='16' viewBox='0 0 64 16'>" +
  "<text x='0' y='12.5' font-family='sans-serif' font-size='13' font-weight='600' fill='#0044D4'>Redocly</text></svg>";
const ATTRIBUTION_DATA_URI = `data:image/svg+xml,${encodeURIComponent(ATTRIBUTION_SVG)}`;
const CDN_LOGOS = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];
const FAVICON_LINK = '<link rel="icon" href="data:,">';

export class DocsBuildError extends Error {
  name = "DocsBuildError";
}

/** Read one spec: provider name (file stem) and what the index page needs. */
export async function readSpecInfo(file) {
  const provider = basename(file).replace(/\.ya?ml$/i, "");
  let doc;
  try {
    doc = parseYaml(await readFile(file, "utf8"));
  } catch (err) {
    throw new DocsBuildError(`${relative(process.cwd(), file)}: not valid YAML: ${err.message}`);
  }
  const info = doc?.info ?? {};
  const operations = [];
  for (const [path, item] of Object.entries(doc?.paths ?? {})) {
    for (const method of ["get", "put", "post", "delete", "options", "head", "patch", "trace"]) {
      if (item && typeof item === "object" && item[method]) operations.push({ method: method.toUpperCase(), path });
    }
  }
  return {
    provider,
    file,
    title: typeof info.title === "string" && info.title.trim() ? info.title.trim() : provider,
    description: typeof info.description === "string" ? info.description.trim() : "",
    version: info.version == null ? "" : String(info.version),
    operations,
  };
}

/** `specs/*.yaml`, sorted by provider name. */
export async function discoverSpecs(specsDir = DEFAULT_SPECS_DIR) {
  let names;
  try {
    names = await readdir(specsDir);
  } catch (err) {
    throw new DocsBuildError(`cannot read specs directory ${specsDir}: ${err.code ?? err.message}`);
  }
  const files = names
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => join(specsDir, n));
  if (files.length === 0) throw new DocsBuildError(`no *.yaml specs found in ${specsDir}`);
  return files;
}

/** First paragraph of a markdown description, as plain one-line text (for the index page). */
export function plainSummary(markdown) {
  const firstParagraph =
    String(markdown ?? "")
      .trim()
      .split(/\n\s*\n/)[0] ?? "";
  return firstParagraph
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1") // images -> alt text
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1") // links -> text
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__)(.*?)\1/g, "$2")
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,;:!?]|$)/g, "$1$2")
    .replace(/^#+\s*/gm, "")
    .replace(/\s+/g, " ")
    .trim();
}

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

export function renderIndex(specs, apiReference = "./api/index.html") {
  const items = specs
    .map((s) => {
      const ops = s.operations
        .map((o) => `<code><span class="method">${escapeHtml(o.method)}</span> ${escapeHtml(o.path)}</code>`)
        .join(" ");
      const lines = [
        `    <li data-provider="${escapeHtml(s.provider)}">`,
        `      <a href="./${encodeURIComponent(s.provider)}.html">${escapeHtml(s.title)}</a>` +
          (s.version ? ` <span class="version">v${escapeHtml(s.version)}</span>` : ""),
        `      <p class="description">${escapeHtml(plainSummary(s.description))}</p>`,
      ];
      if (ops) lines.push(`      <p class="ops">${ops}</p>`);
      lines.push("    </li>");
      return lines.join("\n");
    })
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>contactkit API reference</title>
  ${FAVICON_LINK}
  <style>
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 48rem; padding: 0 1rem; color: #222; line-height: 1.5; }
    h1 { font-size: 1.6rem; }
    ul { list-style: none; padding: 0; }
    li { border: 1px solid #ddd; border-radius: 6px; padding: 0.8rem 1rem; margin: 0 0 0.8rem; }
    li > a { font-size: 1.15rem; font-weight: 600; color: #0044d4; text-decoration: none; }
    li > a:hover { text-decoration: underline; }
    .version { color: #777; font-size: 0.85rem; }
    .description { margin: 0.3rem 0; }
    .ops { margin: 0.3rem 0 0; font-size: 0.9rem; }
    .method { color: #fff; background: #cc3333; border-radius: 3px; padding: 0 0.3rem; font-weight: 600; }
  </style>
</head>
<body>
  <h1>contactkit API reference</h1>
  <p>The delete-contact endpoint of each provider contactkit supports, rendered from <code>specs/*.yaml</code> with Redoc. Works offline.</p>
  <ul class="providers">
${items}
  </ul>
  <h2>The library</h2>
  <ul class="library">
    <li data-reference="api">
      <a href="${escapeHtml(apiReference)}">contactkit library API</a>
      <p class="description">Every public export of every entry point (<code>contactkit</code>, <code>contactkit/testing</code>, <code>contactkit/erasure</code>, <code>contactkit/redis</code> and the per-provider ones), with each option and its default, generated from the TSDoc comments with TypeDoc.</p>
    </li>
  </ul>
</body>
</html>
`;
}

/** Redoc's CDN logo URLs -> the inline attribution SVG (in pages and in the shared bundle). */
function inlineLogos(text) {
  let out = text;
  for (const url of CDN_LOGOS) out = out.split(url).join(ATTRIBUTION_DATA_URI);
  return out;
}

/** Rewrite the few run-time network references Redoc keeps, then verify the page is self-contained. */
export function makeOffline(html, label = "page") {
  let out = inlineLogos(html);
  if (!out.includes(FAVICON_LINK)) {
    const head = out.search(/<head[^>]*>/i);
    if (head < 0) throw new DocsBuildError(`${label}: no <head> in Redoc output`);
    const at = out.indexOf(">", head) + 1;
    out = `${out.slice(0, at)}\n  ${FAVICON_LINK}${out.slice(at)}`;
  }
  const problems = offlineProblems(out);
  if (problems.length) throw new DocsBuildError(`${label} is not self-contained:\n  - ${problems.join("\n  - ")}`);
  return out;
}

/** Reasons an HTML page would need the network (empty = fine). Exported for tests. */
export function offlineProblems(html) {
  const problems = [];
  const external = /<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]*/gi;
  for (const m of html.matchAll(external)) problems.push(`external resource: ${m[0].slice(0, 160)}`);
  if (/\bimport\b[^;]{0,200}["'`]https?:\/\//.test(html)) problems.push("ES module import from a URL (bundle not inlined?)");
  if (/@import\s+(url\()?["']?https?:/i.test(html)) problems.push("CSS @import from a URL");
  for (const url of CDN_LOGOS) if (html.includes(url)) problems.push(`CDN logo left in: ${url}`);
  if (/__redoc_options\s*=/.test(html) && !/"disableTelemetry"\s*:\s*true/.test(html)) {
    problems.push("Redoc telemetry not disabled (__redoc_options lacks disableTelemetry:true)");
  }
  return problems;
}

const NODE20_BANNER = /[╔║╚═]/;

function runRedocly(args, { cwd }) {
  return new Promise((resolvePromise) => {
    const child = spawn(REDOCLY_BIN, args, {
      cwd,
      shell: false,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (err) => resolvePromise({ code: -1, output: `${output}\nspawn ${REDOCLY_BIN}: ${err.message}` }));
    child.on("close", (code, signal) => resolvePromise({ code: code ?? -1, signal, output }));
  });
}

const cleanOutput = (s) =>
  s
    .split("\n")
    .filter((l) => !NODE20_BANNER.test(l))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

/** Run `fn` over `items` with at most `limit` in flight; results in input order. */
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function buildPage(spec, outDir) {
  const started = performance.now();
  const target = join(outDir, `${spec.provider}.html`);
  const tmp = join(outDir, `.${spec.provider}.${process.pid}.tmp.html`);
  // Redoc reads a copy of the spec with its descriptions prepared for display (see redoc-pages.mjs).
  const specCopy = join(outDir, `.${spec.provider}.${process.pid}.tmp.yaml`);
  await writeFile(specCopy, stringifyYaml(specForRedoc(parseYaml(await readFile(spec.file, "utf8")))));
  const args = ["build-docs", specCopy, "--output", tmp, "--openapi.disableTelemetry=true", "--title", spec.title];
  const { code, signal, output } = await runRedocly(args, { cwd: PROJECT_ROOT });
  try {
    if (code !== 0 || !existsSync(tmp)) {
      throw new DocsBuildError(
        `redocly build-docs failed for ${relative(PROJECT_ROOT, spec.file)} ` +
          `(${signal ? `signal ${signal}` : `exit code ${code}`}):\n${cleanOutput(output) || "(no output)"}`,
      );
    }
    const label = `${spec.provider}.html`;
    const html = makeOffline(useSharedBundle(await readFile(tmp, "utf8"), label, fail), label);
    await writeFile(target, html);
  } finally {
    await rm(tmp, { force: true });
    await rm(specCopy, { force: true });
  }
  return { ...spec, output: target, bytes: (await stat(target)).size, ms: performance.now() - started };
}

const kib = (bytes) => `${Math.round(bytes / 1024)} KiB`;
const fail = (message) => {
  throw new DocsBuildError(message);
};

/**
 * Build every spec's Redoc page plus index.html into outDir.
 * @param {{ outDir?: string, specsDir?: string, concurrency?: number, log?: (line: string) => void }} [options]
 */
export async function buildDocs({
  outDir = DEFAULT_OUT_DIR,
  specsDir = DEFAULT_SPECS_DIR,
  concurrency = Math.max(1, Math.min(2, availableParallelism())),
  log = (line) => console.log(line),
} = {}) {
  const started = performance.now();
  if (!existsSync(REDOCLY_BIN)) {
    throw new DocsBuildError(`${REDOCLY_BIN} not found: install dev dependencies (npm ci) first`);
  }
  const specs = await Promise.all((await discoverSpecs(specsDir)).map(readSpecInfo));
  await mkdir(outDir, { recursive: true });
  const display = (p) => relative(process.cwd(), p) || p;
  const width = Math.max(...specs.map((s) => s.provider.length));
  const pathWidth = Math.max(...specs.map((s) => display(join(outDir, `${s.provider}.html`)).length));

  // TypeDoc runs beside the Redoc pages (it is the slowest part, mostly type-checking).
  const apiStarted = performance.now();
  const apiReference = buildApiReference(join(outDir, "api"))
    .catch((error) => fail(error.message))
    .then((result) => {
      log(
        `  ${"api".padEnd(width)}  ${display(result.index).padEnd(pathWidth)}  ${`${result.pages} pages`.padStart(8)}  ${((performance.now() - apiStarted) / 1000).toFixed(1)} s`,
      );
      return result;
    });
  apiReference.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  const bundleFile = await writeRedocBundle(outDir, fail, inlineLogos);
  const bundleProblems = CDN_LOGOS.filter((url) => readFileSync(bundleFile, "utf8").includes(url));
  if (bundleProblems.length) fail(`${BUNDLE_FILE} still references ${bundleProblems.join(", ")}`);
  log(`  ${"bundle".padEnd(width)}  ${display(bundleFile).padEnd(pathWidth)}  ${kib((await stat(bundleFile)).size).padStart(8)}`);

  const pages = await mapLimit(specs, concurrency, async (spec) => {
    const page = await buildPage(spec, outDir);
    log(
      `  ${spec.provider.padEnd(width)}  ${display(page.output).padEnd(pathWidth)}  ${kib(page.bytes).padStart(8)}  ${(page.ms / 1000).toFixed(1)} s`,
    );
    return page;
  });
  const api = await apiReference;

  const indexFile = join(outDir, "index.html");
  const indexHtml = renderIndex(specs, `./${relative(outDir, api.index).split("\\").join("/")}`);
  const problems = offlineProblems(indexHtml);
  if (problems.length) throw new DocsBuildError(`index.html is not self-contained: ${problems.join("; ")}`);
  await writeFile(indexFile, indexHtml);
  log(`  ${"index".padEnd(width)}  ${display(indexFile).padEnd(pathWidth)}  ${kib(Buffer.byteLength(indexHtml)).padStart(8)}`);

  const totalMs = performance.now() - started;
  log(`docs: ${pages.length} pages + index in ${(totalMs / 1000).toFixed(1)} s (${concurrency} parallel) -> ${display(outDir)}`);
  return { outDir, pages, index: indexFile, bundle: bundleFile, api, totalMs };
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split("=", 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--out") opts.outDir = resolve(value());
    else if (flag === "--specs") opts.specsDir = resolve(value());
    else if (flag === "--jobs") opts.concurrency = Math.max(1, Number.parseInt(value(), 10) || 1);
    else if (flag === "--help" || flag === "-h") {
      console.log("usage: node scripts/build-docs.mjs [--out build/docs] [--specs specs] [--jobs 2]");
      process.exit(0);
    } else throw new DocsBuildError(`unknown argument: ${arg}`);
  }
  return opts;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    await buildDocs(parseArgs(process.argv.slice(2)));
  } catch (err) {
    console.error(`\nbuild-docs: FAILED: ${err instanceof DocsBuildError ? err.message : (err?.stack ?? err)}`);
    process.exit(1);
  }
}
