// Shared helpers for the packaging tests (test/package/*.test.ts) and the browser test.
// These tests read the built package: dist/ must exist (`npm test` builds it first). A missing
// dist/ is a FAILURE with instructions, never a skip.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, beforeEach } from "vitest";
import { providerNames } from "../../src/index.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Every public entry point, as a subpath of the exports map. */
export const PROVIDERS = providerNames;
export const SUBPATHS = [".", "./testing", "./erasure", "./redis", ...PROVIDERS.map((p) => `./${p}` as const)] as const;

/** The runtime (value) names each entry point documents. Types are checked by attw. */
export const DOCUMENTED_VALUES: Record<string, string[]> = {
  ".": ["createContactsClient", "ContactkitError", "isContactkitError", "providerNames", "isProviderName", "AdaptiveRateLimiter"],
  "./testing": ["startFakeProviders", "defaultFakeCredentials", "formatFakeProvidersSummary", "summarizeFakeProviders"],
  "./erasure": ["runErasure", "readPlanFile", "parsePlan", "openFileJournal", "memoryJournal", "buildReport", "renderReportHtml"],
  "./redis": ["createRedisRateLimiter", "RedisRateLimiter", "RedisPacingError", "connectRedis"],
  // Every provider subpath exports its raw client.
  ...Object.fromEntries(PROVIDERS.map((p) => [`./${p}`, ["createClient"]])),
};

/** Files that must exist before the packaging tests can run (one per format and entry point). */
export function requiredDistFiles(): string[] {
  const files = [join(ROOT, "dist", "cjs", "package.json")];
  for (const format of ["esm", "cjs"]) {
    files.push(join(ROOT, "dist", format, "src", "index.js"), join(ROOT, "dist", format, "src", "testing", "index.js"));
    for (const p of PROVIDERS) files.push(join(ROOT, "dist", format, "src", "entries", `${p}.js`));
  }
  return files;
}

/** Throws (so the test fails, not skips) when dist/ has not been built. */
export function assertDistBuilt(): void {
  const missing = requiredDistFiles().filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `dist/ is missing or incomplete; run \`npm run build\` (or \`npm test\`, which builds first). Missing:\n  ${missing.join("\n  ")}`,
    );
  }
}

/**
 * A `beforeAll` whose failure fails every test of the enclosing block with the setup's message
 * (a throwing `beforeAll` alone makes vitest report the tests as skipped).
 */
export function setupOrFail(setup: () => Promise<void> | void, timeout?: number): void {
  let failure: unknown;
  beforeAll(async () => {
    try {
      await setup();
    } catch (error) {
      failure = error ?? new Error("setup failed");
    }
  }, timeout);
  beforeEach(() => {
    if (failure !== undefined) throw failure;
  });
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; never throws for a non-zero exit. */
export function run(command: string, args: string[], options: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(command, args, {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
    ...options,
    env: {
      ...process.env,
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      NPM_CONFIG_UPDATE_NOTIFIER: "false",
      NPM_CONFIG_FUND: "false",
      NPM_CONFIG_AUDIT: "false",
      ...options.env,
    },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
}

/** The npm CLI, run through the current node (the `npm` on PATH may be a shell wrapper). */
export function npm(args: string[], options: SpawnSyncOptions = {}): RunResult {
  const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : null;
  return npmCli ? run(process.execPath, [npmCli, ...args], options) : run("npm", args, options);
}

// ---------------------------------------------------------------------------------------------
// Edge-safety scan: free references to Node-only globals in bundled JavaScript.

/** Globals that exist in Node but not in browsers, Deno Deploy, Cloudflare Workers or Vercel Edge. */
export const NODE_ONLY_GLOBALS = [
  "process",
  "Buffer",
  "global",
  "setImmediate",
  "clearImmediate",
  "__dirname",
  "__filename",
  "require",
  "module",
  "exports",
];

export interface GlobalReference {
  name: string;
  line: number;
  column: number;
  /** True when the reference only runs behind a `typeof <name>` check (e.g. `typeof process === "object" && process.versions`). */
  guarded: boolean;
  snippet: string;
}

/**
 * Finds identifier references to `names` that are not property names, declarations or locals
 * declared in the same file. Parsed with the TypeScript compiler (no regexes: strings, comments
 * and `obj.process` are not references).
 */
export function findGlobalReferences(code: string, names: readonly string[] = NODE_ONLY_GLOBALS): GlobalReference[] {
  const sf = ts.createSourceFile("bundle.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const wanted = new Set(names);
  // Names declared anywhere in the file are treated as locals (the minifier renames locals, so a
  // declared `process` is rare; it then shadows the global somewhere and we cannot tell where).
  const declared = new Set<string>();
  const refs: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && wanted.has(node.text)) {
      const parent = node.parent;
      const isDeclarationName =
        (ts.isVariableDeclaration(parent) ||
          ts.isFunctionDeclaration(parent) ||
          ts.isFunctionExpression(parent) ||
          ts.isClassDeclaration(parent) ||
          ts.isClassExpression(parent) ||
          ts.isParameter(parent) ||
          ts.isBindingElement(parent) ||
          ts.isImportClause(parent) ||
          ts.isNamespaceImport(parent) ||
          ts.isImportSpecifier(parent)) &&
        (parent as ts.NamedDeclaration).name === node;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node) ||
        (ts.isPropertyDeclaration(parent) && parent.name === node) ||
        ((ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === node) ||
        (ts.isBindingElement(parent) && parent.propertyName === node) ||
        ts.isExportSpecifier(parent) ||
        (ts.isImportSpecifier(parent) && parent.propertyName === node) ||
        ts.isLabeledStatement(parent) ||
        ts.isBreakOrContinueStatement(parent) ||
        ts.isQualifiedName(parent);
      if (isDeclarationName) declared.add(node.text);
      else if (!isPropertyName) refs.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);

  const typeofChecks = (node: ts.Node, name: string): boolean => {
    let found = false;
    const look = (n: ts.Node): void => {
      if (found) return;
      if (ts.isTypeOfExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) found = true;
      else ts.forEachChild(n, look);
    };
    look(node);
    return found;
  };
  const isGuarded = (id: ts.Identifier): boolean => {
    if (ts.isTypeOfExpression(id.parent)) return true;
    let child: ts.Node = id;
    for (let node = id.parent; node && !ts.isSourceFile(node); child = node, node = node.parent) {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && node.right === child) {
        if (typeofChecks(node.left, id.text)) return true;
      }
      if (ts.isConditionalExpression(node) && child !== node.condition && typeofChecks(node.condition, id.text)) return true;
      if (ts.isIfStatement(node) && child !== node.expression && typeofChecks(node.expression, id.text)) return true;
    }
    return false;
  };

  return refs
    .filter((id) => !declared.has(id.text))
    .map((id) => {
      const start = id.getStart(sf);
      const { line, character } = sf.getLineAndCharacterOfPosition(start);
      return {
        name: id.text,
        line: line + 1,
        column: character + 1,
        guarded: isGuarded(id),
        snippet: code.slice(Math.max(0, start - 60), start + 60).replace(/\s+/g, " "),
      };
    });
}

/** Node's built-in module names, with and without the `node:` prefix. */
export async function nodeBuiltins(): Promise<Set<string>> {
  const { builtinModules } = await import("node:module");
  return new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
}
