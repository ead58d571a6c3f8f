// Edge-safe core and bundle budgets.
//
// Each core entry point (`contactkit` and the five `contactkit/<provider>` subpaths; not
// `contactkit/testing`, not the CLI, which are Node-only by design) is bundled from dist/esm with
// esbuild for `platform: "browser"`, as a browser/edge user's bundler would. The core must not
// import any Node built-in, and the bundle must not reference Node-only globals (`process`,
// `Buffer`, ...) except behind a `typeof` check (openapi-fetch has one such guarded probe).
// Budgets come from scripts/bundle-size.mjs (the same numbers `node scripts/bundle-size.mjs` prints).
import { relative } from "node:path";
import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { BUDGETS, coreEntries, measureBundles } from "../../scripts/bundle-size.mjs";
import { providerNames } from "../../src/index.js";
import { assertDistBuilt, findGlobalReferences, nodeBuiltins, ROOT, setupOrFail, type GlobalReference } from "./helpers.js";

interface EdgeBundle {
  entry: string;
  code: string;
  inputs: string[];
  /** Every import esbuild saw, across all inputs: path as written and whether it stayed external. */
  imports: Array<{ from: string; path: string; external: boolean }>;
  buildError: string | null;
}

const entries = coreEntries(ROOT) as Array<{ entry: string; file: string }>;
const bundles = new Map<string, EdgeBundle>();
let builtins: Set<string>;

setupOrFail(async () => {
  assertDistBuilt();
  builtins = await nodeBuiltins();
  await Promise.all(
    entries.map(async ({ entry, file }) => {
      try {
        const result = await esbuild.build({
          entryPoints: [file],
          bundle: true,
          platform: "browser",
          format: "esm",
          target: "es2022",
          minify: false, // readable snippets in failure messages; the budget test measures minified
          write: false,
          metafile: true,
          logLevel: "silent",
          absWorkingDir: ROOT,
          // Left external (not an error) so the metafile lists them and the other checks still run.
          external: [...builtins],
        });
        const inputs = result.metafile.inputs;
        bundles.set(entry, {
          entry,
          code: result.outputFiles[0]!.text,
          inputs: Object.keys(inputs),
          imports: Object.entries(inputs).flatMap(([from, input]) =>
            input.imports.map((i) => ({ from, path: i.path, external: i.external === true })),
          ),
          buildError: null,
        });
      } catch (error) {
        const messages = (error as esbuild.BuildFailure).errors?.map(
          (e) => `${e.location?.file ?? "?"}:${e.location?.line ?? "?"}: ${e.text}`,
        );
        bundles.set(entry, { entry, code: "", inputs: [], imports: [], buildError: messages?.join("\n") ?? String(error) });
      }
    }),
  );
});

const describeRefs = (refs: GlobalReference[]) => refs.map((r) => `  ${r.name} at ${r.line}:${r.column}: …${r.snippet}…`).join("\n");

describe("edge-safe core (esbuild, platform: browser, from dist/esm)", () => {
  it.each(entries.map((e) => e.entry))("%s bundles for the browser without Node built-ins", (entry) => {
    const bundle = bundles.get(entry)!;
    expect(bundle.buildError, `esbuild could not bundle ${entry} for the browser:\n${bundle.buildError}`).toBeNull();
    const nodeImports = bundle.imports.filter((i) => builtins.has(i.path) || i.path.startsWith("node:"));
    expect(nodeImports, `${entry} imports Node built-ins:\n${nodeImports.map((i) => `  ${i.from} -> ${i.path}`).join("\n")}`).toEqual([]);
    // Nothing else may stay external: a browser bundle has to contain everything it runs.
    expect(bundle.imports.filter((i) => i.external && !builtins.has(i.path))).toEqual([]);
    // The bundle is contactkit's own dist/esm plus openapi-fetch, nothing else.
    const foreign = bundle.inputs.filter((p) => !p.startsWith("dist/esm/") && !/node_modules\/openapi-fetch\//.test(p));
    expect(foreign, `${entry} pulls in unexpected modules`).toEqual([]);
  });

  it.each(entries.map((e) => e.entry))("%s: contactkit's own modules reference no Node-only global", async (entry) => {
    const bundle = bundles.get(entry)!;
    expect(bundle.buildError).toBeNull();
    const { readFile } = await import("node:fs/promises");
    const offenders: string[] = [];
    for (const input of bundle.inputs.filter((p) => p.startsWith("dist/esm/"))) {
      const refs = findGlobalReferences(await readFile(`${ROOT}/${input}`, "utf8"));
      if (refs.length > 0) offenders.push(`${input}:\n${describeRefs(refs)}`);
    }
    expect(offenders, `Node-only globals in contactkit's core (edge runtimes have none of them):\n${offenders.join("\n")}`).toEqual([]);
  });

  it.each(entries.map((e) => e.entry))("%s: the bundle references Node-only globals only behind a typeof check", (entry) => {
    const bundle = bundles.get(entry)!;
    expect(bundle.buildError).toBeNull();
    const refs = findGlobalReferences(bundle.code);
    const unguarded = refs.filter((r) => !r.guarded);
    expect(unguarded, `unguarded Node-only globals in the ${entry} bundle:\n${describeRefs(unguarded)}`).toEqual([]);
    // Anything guarded may only be `process` (openapi-fetch's undici probe); `Buffer` never.
    expect(
      refs.filter((r) => r.name !== "process"),
      describeRefs(refs),
    ).toEqual([]);
  });

  it("the scanner catches an unguarded reference and accepts a typeof-guarded one", () => {
    const refs = findGlobalReferences(
      [
        'const a = typeof process === "object" && process.versions.node;',
        "const b = Buffer.from('x');",
        "const c = { process: 1, Buffer: 2 }.process;",
        'const d = "process Buffer";',
        "if (typeof Buffer !== 'undefined') Buffer.alloc(1);",
        "const e = process.env.X;",
      ].join("\n"),
    );
    expect(refs.map((r) => [r.name, r.line, r.guarded])).toEqual([
      ["process", 1, true],
      ["process", 1, true],
      ["Buffer", 2, false],
      ["Buffer", 5, true],
      ["Buffer", 5, true],
      ["process", 6, false],
    ]);
  });
});

describe("bundle budgets (scripts/bundle-size.mjs: minified ESM + gzip -9, openapi-fetch included)", () => {
  let rows: Awaited<ReturnType<typeof measureBundles>>;
  /** The same bundles built from src/: dist/esm is one bundle, so module composition is read here. */
  let sourceRows: typeof rows;
  setupOrFail(async () => {
    rows = await measureBundles({ root: ROOT });
    sourceRows = await measureBundles({ root: ROOT, from: "src" });
  });

  it("a bundle of the sources keeps the modules of its entry point only", () => {
    for (const row of sourceRows.filter((r) => r.budgetBytes !== null)) {
      expect(row.inputs.length, row.entry).toBeGreaterThan(5);
      const nodeOnly = row.inputs.filter((p) => /^src\/(testing|cli|erasure|redis)\//.test(p));
      expect(nodeOnly, `${row.entry} pulls in Node-only modules`).toEqual([]);
      // Built from the same code, so the sizes agree with dist's closely (the budgets use dist's).
      const published = rows.find((r) => r.entry === row.entry)!;
      expect(Math.abs(row.gzipBytes - published.gzipBytes) / published.gzipBytes, row.entry).toBeLessThan(0.02);
    }
  });

  it("measures every core entry point and the official Featurebase SDK", () => {
    expect(rows.map((r) => r.entry)).toEqual([
      "contactkit",
      ...[...providerNames].sort().map((p) => `contactkit/${p}`),
      "featurebase-node (official SDK, same delete)",
    ]);
    for (const row of rows) {
      expect(row.gzipBytes).toBeGreaterThan(1000);
      expect(row.gzipBytes).toBeLessThan(row.minifiedBytes);
    }
    // The comparison bundle really is the SDK (not an empty entry).
    expect(rows.at(-1)!.inputs.some((p) => p.includes("node_modules/featurebase-node/"))).toBe(true);
  });

  it(`the facade stays within ${BUDGETS.facade} bytes gzip`, () => {
    const facade = rows.find((r) => r.entry === "contactkit")!;
    expect(facade.budgetBytes).toBe(BUDGETS.facade);
    expect(facade.gzipBytes, `contactkit is ${facade.gzipBytes} bytes gzip, budget ${BUDGETS.facade}`).toBeLessThanOrEqual(BUDGETS.facade);
    // Every provider's adapter is in it, and none of their CLI/fake tooling (the core never reads
    // src/tooling-registry.ts).
    const fromSource = sourceRows.find((r) => r.entry === "contactkit")!;
    for (const p of providerNames) {
      expect(fromSource.outputInputs).toContain(`src/providers/${p}/adapter.ts`);
      expect(fromSource.inputs).not.toContain(`src/providers/${p}/tooling.ts`);
    }
  });

  it.each([...providerNames])(`contactkit/%s stays within ${BUDGETS.provider} bytes gzip`, (p) => {
    const row = rows.find((r) => r.entry === `contactkit/${p}`)!;
    expect(row.gzipBytes, `contactkit/${p} is ${row.gzipBytes} bytes gzip, budget ${BUDGETS.provider}`).toBeLessThanOrEqual(
      BUDGETS.provider,
    );
    // A provider subpath must not drag the facade or the other adapters in.
    const fromSource = sourceRows.find((r) => r.entry === `contactkit/${p}`)!;
    expect(fromSource.inputs).toContain(`src/providers/${p}/connection.ts`);
    const others = fromSource.inputs.filter(
      (i) =>
        /^src\/(client|bulk|rate-limit|registry|provider|delete-one)\.ts$/.test(i) ||
        (/\/providers\/(?!shared\.ts)/.test(i) && !i.endsWith(`/providers/${p}/connection.ts`)),
    );
    expect(others, `contactkit/${p} bundles ${others.map((i) => relative(ROOT, i)).join(", ")}`).toEqual([]);
  });
});
