#!/usr/bin/env node
// Writes the provider-dependent parts of package.json from the providers (scripts/lib/providers.mjs):
// `exports` (one `./<name>` subpath per provider), `typesVersions` and `description`.
//
//   node scripts/package-json.mjs           rewrite package.json if it differs
//   node scripts/package-json.mjs --check   exit 1 when package.json is out of date
// `npm run generate` runs it too.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { providerNamesFrom, providerTitle } from "./lib/providers.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

/** Subpaths that are features, not providers: `contactkit/<key>` is built from src/<value>.ts. */
const FEATURE_SUBPATHS = { testing: "testing/index", erasure: "erasure/index", redis: "redis/index" };

function conditions(base) {
  return {
    import: { types: `./dist/esm/src/${base}.d.ts`, default: `./dist/esm/src/${base}.js` },
    require: { types: `./dist/cjs/src/${base}.d.ts`, default: `./dist/cjs/src/${base}.js` },
  };
}

/** package.json with its provider-derived fields recomputed (other fields and key order kept). */
export function derivedPackageJson(pkg, root = ROOT) {
  const names = providerNamesFrom(root);
  const titles = names.map((n) => providerTitle(root, n));
  const count = NUMBERS[names.length] ?? String(names.length);
  const exports = { ".": conditions("index") };
  const typesVersions = { "*": {} };
  for (const [subpath, base] of Object.entries(FEATURE_SUBPATHS)) {
    exports[`./${subpath}`] = conditions(base);
    typesVersions["*"][subpath] = [`./dist/cjs/src/${base}.d.ts`];
  }
  for (const name of names) {
    exports[`./${name}`] = conditions(`entries/${name}`);
    typesVersions["*"][name] = [`./dist/cjs/src/entries/${name}.d.ts`];
  }
  exports["./package.json"] = "./package.json";
  return {
    ...pkg,
    description: `Delete a contact in ${count} contact/CRM APIs (${titles.join(", ")}) through one typed, dependable interface.`,
    exports,
    typesVersions,
  };
}

export function render(pkg) {
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const file = join(ROOT, "package.json");
  const current = readFileSync(file, "utf8");
  const next = render(derivedPackageJson(JSON.parse(current)));
  if (process.argv.includes("--check")) {
    if (next !== current) {
      console.error("package.json: exports/typesVersions/description are out of date: run `npm run generate`.");
      process.exit(1);
    }
    console.log("package.json: provider fields are up to date.");
  } else if (next !== current) {
    writeFileSync(file, next);
    console.log("package.json: provider fields rewritten.");
  }
}
