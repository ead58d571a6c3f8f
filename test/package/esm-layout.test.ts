// dist/esm is an esbuild bundle with shared chunks (scripts/build.mjs). What a process loads is the
// static import graph of its entry file: this walks it in the built files and checks that the cheap
// paths stay cheap (`contactkit help` loads no adapter and no openapi-fetch) and that the library
// entry loads no Node-only tooling. Start-up times themselves are measured by `npm run bench` (d).
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { assertDistBuilt, ROOT, setupOrFail } from "./helpers.js";

/** Every file and bare specifier reached by static `import`/`export … from` from `entry`. */
function staticGraph(entry: string): { files: string[]; packages: string[]; sources: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const code = readFileSync(file, "utf8");
    // esbuild writes static imports at the top of each file as `import … from "x"` / `import "x"`;
    // dynamic `import("x")` calls (lazy commands) are not matched.
    for (const m of code.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)";|^import\s*"([^"]+)";/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(join(ROOT, entry));
  // esbuild's unminified output names each source module it inlines in a `// src/…` comment.
  const sources = [...files].flatMap((f) => [...readFileSync(f, "utf8").matchAll(/^\/\/ ((?:src|generated)\/\S+)$/gm)].map((m) => m[1]!));
  return { files: [...files].map((f) => relative(ROOT, f)), packages: [...packages], sources };
}

setupOrFail(() => assertDistBuilt());

describe("dist/esm import graphs", () => {
  it("`contactkit help` (src/cli/main.js) loads the tooling, not the adapters or openapi-fetch", () => {
    const graph = staticGraph("dist/esm/src/cli/main.js");
    expect(graph.sources).toContain("src/cli/usage.ts");
    expect(graph.sources).toContain("src/tooling-registry.ts");
    expect(
      graph.sources.filter(
        (s) => /providers\/\w+\/(adapter|connection)\.ts$|registry\.ts$|client\.ts$/.test(s) && !s.endsWith("tooling-registry.ts"),
      ),
    ).toEqual([]);
    expect(graph.packages.filter((p) => !p.startsWith("node:"))).toEqual([]);
  });

  it('`import("contactkit")` loads every adapter and openapi-fetch, and no CLI, fake or tooling module', () => {
    const graph = staticGraph("dist/esm/src/index.js");
    for (const p of ["userapi", "close"]) expect(graph.sources).toContain(`src/providers/${p}/adapter.ts`);
    expect(graph.packages).toEqual(["openapi-fetch"]);
    expect(graph.sources.filter((s) => /^src\/(cli|testing|erasure|redis)\/|tooling/.test(s))).toEqual([]);
  });

  it("the walker follows chunks (a precondition: the entry files are thin)", () => {
    const graph = staticGraph("dist/esm/src/index.js");
    expect(graph.files.length).toBeGreaterThan(1);
    expect(graph.files.some((f) => f.startsWith("dist/esm/chunks/"))).toBe(true);
  });
});
