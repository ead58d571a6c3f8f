// TypeDoc plugin: name each documented module after the import a user writes (`contactkit`,
// `contactkit/testing`, `contactkit/close`, ...) instead of its source path (`index`,
// `entries/close`). The names come from package.json `exports`, so a new entry point is named
// without touching this file.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Converter, ReflectionKind } from "typedoc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const readPackage = () => JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** `[subpath, source path without extension]` for every `exports` entry built from src/ (`[".", "src/index"]`). */
function entrySources(pkg) {
  const out = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const file = typeof target === "string" ? target : target?.import?.default;
    const match = typeof file === "string" ? /^\.\/dist\/esm\/(src\/.+)\.js$/.exec(file) : null;
    if (match) out.push([subpath, match[1]]);
  }
  return out;
}

/** Source-relative module name (as TypeDoc derives it) -> package import specifier. */
export function subpathNames(pkg = readPackage()) {
  const names = new Map();
  for (const [subpath, source] of entrySources(pkg)) {
    names.set(source.replace(/^src\//, "").replace(/(^|\/)index$/, "") || "index", `${pkg.name}${subpath.slice(1)}`);
  }
  return names;
}

/** Entry points for TypeDoc: the source file behind every `exports` subpath. */
export function entryPointFiles(pkg = readPackage()) {
  return entrySources(pkg).map(([, source]) => `${source}.ts`);
}

export function load(app) {
  const names = subpathNames();
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const name = names.get(module.name);
      if (name) module.name = name;
    }
  });
}
