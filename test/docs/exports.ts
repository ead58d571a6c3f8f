/**
 * What the library reference must show, read from the sources with the TypeScript compiler: the
 * exports of every package entry point (package.json `exports`) and every property documented
 * with `@default`.
 */
import { join } from "node:path";
import ts from "typescript";
import { PROJECT_ROOT } from "../../scripts/build-docs.mjs";
import { entryPointFiles, subpathNames } from "../../scripts/typedoc-subpaths.mjs";

let program: { checker: ts.TypeChecker; entries: Array<{ specifier: string; symbols: ts.Symbol[] }> } | undefined;

function load() {
  if (program) return program;
  const files = entryPointFiles().map((f) => join(PROJECT_ROOT, f));
  const config = ts.getParsedCommandLineOfConfigFile(
    join(PROJECT_ROOT, "tsconfig.build.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const p = ts.createProgram(files, { ...config!.options, noEmit: true });
  const checker = p.getTypeChecker();
  const names = subpathNames();
  const entries = files.map((file, i) => {
    const source = p.getSourceFile(file)!;
    const moduleName =
      entryPointFiles()
        [i]!.replace(/^src\//, "")
        .replace(/\.ts$/, "")
        .replace(/(^|\/)index$/, "") || "index";
    return { specifier: names.get(moduleName)!, symbols: checker.getExportsOfModule(checker.getSymbolAtLocation(source)!) };
  });
  program = { checker, entries };
  return program;
}

/** Every entry point's import specifier and the names it exports (values and types). */
export function entryExports(): Array<{ specifier: string; names: string[] }> {
  return load().entries.map(({ specifier, symbols }) => ({ specifier, names: symbols.map((s) => s.name).sort() }));
}

/**
 * `{ specifier, owner, property, value }` for every property of an exported interface that has a
 * `@default` tag; `specifier` is the first entry point (package.json order) exporting the interface.
 */
export function documentedDefaults(): Array<{ specifier: string; owner: string; property: string; value: string }> {
  const { checker, entries } = load();
  const found = new Map<string, { specifier: string; owner: string; property: string; value: string }>();
  for (const { specifier, symbols } of entries) {
    for (const exported of symbols) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & ts.SymbolFlags.Interface)) continue;
      for (const member of symbol.members?.values() ?? []) {
        // The member's own comment (an override that drops the default must not inherit it).
        const declaration = member.declarations?.[0];
        const tag = declaration ? ts.getJSDocTags(declaration).find((t) => t.tagName.text === "default") : undefined;
        if (!tag) continue;
        const value = (ts.getTextOfJSDocComment(tag.comment) ?? "").trim();
        const key = `${exported.name}.${member.name}`;
        if (!found.has(key)) found.set(key, { specifier, owner: exported.name, property: member.name, value });
      }
    }
  }
  return [...found.values()];
}
