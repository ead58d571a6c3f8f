// The published package, checked as a user receives it.
//
// One `npm pack` of the repo into a temp dir gives the tarball every check below reads. It packs
// the dist/ `npm test` built, with --ignore-scripts: `prepack` would rebuild (and first delete)
// dist/ under the other test files reading it. fresh-clone.test.ts checks that `prepack` builds.
//   - arethetypeswrong (attw, on the tarball: the same analysis as `attw --pack .`, without writing
//     a .tgz into the repo root where concurrent packers would clash)
//   - publint (on the same tarball)
//   - the file list (`npm pack --dry-run --json`, which must match the real tarball)
//   - a scratch project that installs the tarball (`npm install --offline`; deps are openapi-fetch and
//     cli-progress, already in npm's cache after the project's own install) and, in one Node process,
//     `import`s and `require`s every entry point, deletes contacts through both copies against the
//     fake providers, and checks `isContactkitError` across the ESM and CJS copies.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assertDistBuilt, DOCUMENTED_VALUES, npm, ROOT, run, setupOrFail, SUBPATHS } from "./helpers.js";

interface PackResult {
  filename: string;
  files: Array<{ path: string; size: number }>;
  entryCount: number;
  size: number;
  unpackedSize: number;
}

let work: string;
let tarball: string;
let packed: PackResult;
let pkg: {
  exports: Record<string, string | Record<string, Record<string, string>>>;
  main: string;
  types: string;
  bin?: Record<string, string>;
  typesVersions?: Record<string, Record<string, string[]>>;
};

function parsePackJson(stdout: string, label: string): PackResult {
  try {
    // npm may print lifecycle noise before the JSON array.
    const parsed = JSON.parse(stdout.slice(stdout.indexOf("["))) as PackResult[];
    return parsed[0]!;
  } catch {
    throw new Error(`could not parse \`${label}\` output:\n${stdout}`);
  }
}

setupOrFail(async () => {
  assertDistBuilt();
  pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
  work = await mkdtemp(join(tmpdir(), "contactkit-pack-"));
  const r = npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: ROOT });
  if (r.status !== 0) throw new Error(`npm pack failed (exit ${r.status}):\n${r.stderr}`);
  packed = parsePackJson(r.stdout, "npm pack --json");
  tarball = join(work, packed.filename);
  if (!existsSync(tarball)) throw new Error(`npm pack reported ${packed.filename} but ${tarball} does not exist`);
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("types and package.json lint", () => {
  // attw resolves every entry point in every mode: over 15 s on a loaded 2-core machine.
  it("arethetypeswrong finds no problems in any entry point or resolution mode", { timeout: 120_000 }, () => {
    const bin = join(ROOT, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js");
    const r = run(process.execPath, [bin, tarball, "--format", "json"]);
    let report: { analysis: { entrypoints: Record<string, unknown>; problems: unknown[] }; problems?: unknown };
    try {
      report = JSON.parse(r.stdout);
    } catch {
      throw new Error(`attw did not print JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    expect(report.analysis.problems, `attw problems:\n${JSON.stringify(report.problems ?? report.analysis.problems, null, 2)}`).toEqual([]);
    expect(r.status).toBe(0);
    // Every entry point was analysed (none silently dropped from the exports map).
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([...SUBPATHS, "./package.json"].sort());
  });

  it("publint reports no errors, warnings or suggestions", async () => {
    const { publint } = await import("publint");
    const { formatMessage } = await import("publint/utils");
    const buffer = await readFile(tarball);
    const tar = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
    const result = await publint({ pack: { tarball: tar }, level: "suggestion", strict: true });
    const messages = result.messages.map((m) => `${m.type}: ${formatMessage(m, result.pkg) ?? m.code}`);
    expect(messages, `publint:\n${messages.join("\n")}`).toEqual([]);
  });
});

describe("npm pack contents", () => {
  // What a user needs: both builds' JS and .d.ts, the CJS marker package.json, the specs (for
  // reference), README and LICENSE. Nothing else: no tests, sources, maps, build output or artifacts.
  const allowed = [
    /^package\.json$/,
    /^README\.md$/,
    /^LICENSE(\.md|\.txt)?$/,
    /^dist\/cjs\/package\.json$/,
    /^dist\/(esm|cjs)\/(src|generated)\/[\w./-]+\.(js|d\.ts)$/,
    // dist/esm is bundled: the entry files import these shared chunks (JavaScript only).
    /^dist\/esm\/chunks\/[\w-]+\.js$/,
    /^specs\/[\w-]+\.yaml$/,
  ];

  let dryRun: PackResult;
  setupOrFail(() => {
    const r = npm(["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
    if (r.status !== 0) throw new Error(`npm pack --dry-run failed (exit ${r.status}):\n${r.stderr}`);
    dryRun = parsePackJson(r.stdout, "npm pack --dry-run --json");
  });

  it("contains only allowed files", () => {
    const paths = dryRun.files.map((f) => f.path);
    const unexpected = paths.filter((p) => !allowed.some((re) => re.test(p)));
    expect(unexpected, `files that should not be published:\n  ${unexpected.join("\n  ")}`).toEqual([]);
    // Belt and braces against the usual leaks.
    expect(
      paths.filter(
        (p) =>
          /(^|\/)(node_modules|test|build|artifacts|\.git)\//.test(p) ||
          /(^|\/)src\/.*(?<!\.d)\.ts$/.test(p) ||
          /\.(map|tsbuildinfo|tgz)$/.test(p),
      ),
    ).toEqual([]);
    // The CLI is ESM only; the CJS build never contains it.
    expect(paths.filter((p) => p.startsWith("dist/cjs/src/cli/"))).toEqual([]);
  });

  it("contains every file the exports map, main, types, typesVersions and bin point to", () => {
    const paths = new Set(dryRun.files.map((f) => f.path));
    const targets = new Set<string>([pkg.main, pkg.types, ...Object.values(pkg.bin ?? {})]);
    for (const value of Object.values(pkg.exports)) {
      if (typeof value === "string") targets.add(value);
      else for (const conditions of Object.values(value)) for (const target of Object.values(conditions)) targets.add(target);
    }
    for (const map of Object.values(pkg.typesVersions ?? {})) for (const list of Object.values(map)) list.forEach((t) => targets.add(t));
    const missing = [...targets].map((t) => t.replace(/^\.\//, "")).filter((t) => !paths.has(t));
    expect(missing, "package.json points at files that are not in the tarball").toEqual([]);
    expect(paths.has("dist/cjs/package.json")).toBe(true);
    // Each format has types for every module a user can import (chunks are imported by entries only).
    for (const p of paths) {
      if (p.startsWith("dist/") && p.endsWith(".js") && !p.startsWith("dist/esm/chunks/")) {
        expect(paths.has(p.replace(/\.js$/, ".d.ts")), `${p} has no .d.ts`).toBe(true);
      }
    }
    // dist/esm ships JavaScript for the entry points only (the rest is in chunks), not per module.
    const esmJs = [...paths].filter((p) => p.startsWith("dist/esm/src/") && p.endsWith(".js"));
    expect(esmJs.length).toBeGreaterThan(0);
    expect(
      esmJs.every((p) => /^dist\/esm\/src\/(index|(testing|erasure|redis)\/index|cli\/main|entries\/[\w-]+)\.js$/.test(p)),
      esmJs.join(", "),
    ).toBe(true);
  });

  it("the dry run lists exactly what the real tarball holds", () => {
    expect(packed.files.map((f) => f.path).sort()).toEqual(dryRun.files.map((f) => f.path).sort());
    expect(dryRun.entryCount).toBe(dryRun.files.length);
  });
});

describe("installed from the tarball in a scratch project", () => {
  let project: string;
  let report: {
    entries: Record<string, { esm: string[]; cjs: string[]; esmUrl: string; cjsFile: string }>;
    sameClass: boolean;
    esmDelete: Record<string, unknown>;
    cjsDelete: Record<string, unknown>;
    rawEsm: { status: number };
    rawErrors: Array<{ guard: boolean; code: string; instanceofEsm: boolean; instanceofCjs: boolean }>;
    rawCjs: { status: number };
    cjsErrorSeenByEsm: { guard: boolean; code: string; instanceofEsm: boolean; instanceofCjs: boolean };
    esmErrorSeenByCjs: { guard: boolean; code: string; instanceofEsm: boolean; instanceofCjs: boolean };
    gone: Record<string, boolean>;
    requests: Array<{ provider: string; method: string; path: string; status: number }>;
  };

  setupOrFail(async () => {
    if (!work || !tarball) throw new Error("no tarball (npm pack failed above)");
    project = join(work, "scratch");
    await import("node:fs/promises").then((fs) => fs.mkdir(project));
    await writeFile(join(project, "package.json"), `${JSON.stringify({ name: "scratch", version: "1.0.0", private: true }, null, 2)}\n`);
    const flags = ["--no-audit", "--no-fund", "--no-package-lock", "--ignore-scripts"];
    let r = npm(["install", "--offline", ...flags, tarball], { cwd: project });
    // Dependencies not in npm's cache (a fresh machine): allow the registry for what is missing.
    if (r.status !== 0) r = npm(["install", "--prefer-offline", ...flags, tarball], { cwd: project });
    if (r.status !== 0) throw new Error(`installing the packed tarball failed (exit ${r.status}):\n${r.stderr}`);

    const script = `
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const subpaths = ${JSON.stringify(SUBPATHS)};
const out = { entries: {} };
for (const s of subpaths) {
  const spec = s === "." ? "contactkit" : "contactkit/" + s.slice(2);
  const esm = await import(spec);
  const cjs = require(spec);
  out.entries[s] = {
    esm: Object.keys(esm).filter((k) => k !== "default").sort(),
    cjs: Object.keys(cjs).sort(),
    esmUrl: import.meta.resolve(spec),
    cjsFile: require.resolve(spec),
  };
}
const esm = await import("contactkit");
const cjs = require("contactkit");
out.sameClass = esm.ContactkitError === cjs.ContactkitError;
const { startFakeProviders } = await import("contactkit/testing");
const fake = await startFakeProviders();
try {
  const strip = ({ contact, raw, ...rest }) => rest;
  const fbId = fake.seeded.featurebase[0];
  const closeId = fake.seeded.close[0];
  out.esmDelete = strip(await esm.createContactsClient(fake.clientConfig("featurebase")).deleteContact(fbId));
  out.cjsDelete = strip(await cjs.createContactsClient(fake.clientConfig("close")).deleteContact(closeId));
  // The raw per-provider clients, one through each format.
  const { provider: _t, ...truto } = fake.clientConfig("truto");
  const rawEsm = (await import("contactkit/truto")).createClient(truto);
  const trutoRes = await rawEsm.DELETE("/unified/crm/contacts/{id}", { params: { path: { id: fake.seeded.truto[0] }, query: { integrated_account_id: truto.integratedAccountId } } });
  out.rawEsm = { status: trutoRes.response.status };
  const { provider: _u, ...userapi } = fake.clientConfig("userapi");
  const rawCjs = require("contactkit/userapi").createClient(userapi);
  const userapiRes = await rawCjs.DELETE("/user-api/v1/contacts/{id}", { params: { path: { id: fake.seeded.userapi[0] } } });
  out.rawCjs = { status: userapiRes.response.status };
  const seen = (e) => ({ guard: null, code: e?.code, instanceofEsm: e instanceof esm.ContactkitError, instanceofCjs: e instanceof cjs.ContactkitError });
  // A second delete of the same id: not_found, thrown by one copy, recognised by the other's guard.
  const cjsError = await cjs.createContactsClient(fake.clientConfig("close")).deleteContact(closeId).then(() => null, (e) => e);
  out.cjsErrorSeenByEsm = { ...seen(cjsError), guard: esm.isContactkitError(cjsError) };
  const esmError = await esm.createContactsClient(fake.clientConfig("featurebase")).deleteContact(fbId).then(() => null, (e) => e);
  out.esmErrorSeenByCjs = { ...seen(esmError), guard: cjs.isContactkitError(esmError) };
  // A raw client is bundled on its own (dist/esm/src/entries/<p>.js), so its errors come from another
  // copy of the class: instanceof must still see a ContactkitError.
  const rawError = (() => { try { (require("contactkit/close").createClient)({}); return null; } catch (e) { return e; } })();
  const rawEsmError = await import("contactkit/wethod").then((m) => { try { m.createClient({}); return null; } catch (e) { return e; } });
  out.rawErrors = [rawError, rawEsmError].map((e) => ({ ...seen(e), guard: esm.isContactkitError(e) }));
  out.gone = { featurebase: !fake.has("featurebase", fbId), close: !fake.has("close", closeId), truto: !fake.has("truto", fake.seeded.truto[0]), userapi: !fake.has("userapi", fake.seeded.userapi[0]) };
  out.requests = fake.requests.map(({ provider, method, path, status }) => ({ provider, method, path, status }));
} finally {
  await fake.close();
}
console.log(JSON.stringify(out));
`;
    await writeFile(join(project, "check.mjs"), script);
    const c = run(process.execPath, ["check.mjs"], { cwd: project, timeout: 60_000 });
    if (c.status !== 0) throw new Error(`the scratch project's check script failed (exit ${c.status}):\n${c.stdout}\n${c.stderr}`);
    report = JSON.parse(c.stdout.trim().split("\n").at(-1)!);
  });

  it.each(SUBPATHS.map((s) => [s]))("%s resolves to dist/esm for import and dist/cjs for require", (subpath) => {
    const entry = report.entries[subpath]!;
    const file =
      subpath === "."
        ? "index"
        : ["./testing", "./erasure", "./redis"].includes(subpath)
          ? `${subpath.slice(2)}/index`
          : `entries/${subpath.slice(2)}`;
    expect(entry.esmUrl).toMatch(new RegExp(`/node_modules/contactkit/dist/esm/src/${file}\\.js$`));
    expect(entry.cjsFile).toMatch(new RegExp(`/node_modules/contactkit/dist/cjs/src/${file}\\.js$`));
  });

  it.each(SUBPATHS.map((s) => [s]))("%s exposes the documented names, the same in ESM and CJS", (subpath) => {
    const entry = report.entries[subpath]!;
    expect(DOCUMENTED_VALUES[subpath], `no documented names for ${subpath}`).toBeDefined();
    expect(entry.esm).toEqual(expect.arrayContaining(DOCUMENTED_VALUES[subpath]!));
    expect(entry.cjs).toEqual(entry.esm);
    // No default export hazard: CJS consumers get named exports only.
    expect(entry.cjs).not.toContain("default");
  });

  it("deleteContact works through the ESM copy and through the CJS copy", () => {
    expect(report.esmDelete).toMatchObject({ provider: "featurebase", outcome: "deleted", attempts: 1, afterRetry: false });
    expect(report.cjsDelete).toMatchObject({ provider: "close", outcome: "deleted", attempts: 1, afterRetry: false });
    expect(report.esmDelete.status).toBeGreaterThanOrEqual(200);
    expect(report.esmDelete.status).toBeLessThan(300);
    expect(report.cjsDelete.status).toBe(200);
    expect(report.gone.featurebase && report.gone.close).toBe(true);
  });

  it("the raw provider clients work through both formats", () => {
    expect(report.rawEsm.status).toBeLessThan(300);
    expect(report.rawCjs.status).toBeLessThan(300);
    expect(report.gone.truto && report.gone.userapi).toBe(true);
    expect(report.requests.map((r) => `${r.provider} ${r.method} ${r.status}`)).toEqual([
      `featurebase DELETE ${report.esmDelete.status}`,
      "close DELETE 200",
      `truto DELETE ${report.rawEsm.status}`,
      `userapi DELETE ${report.rawCjs.status}`,
      "close DELETE 404",
      "featurebase DELETE 404",
    ]);
  });

  it("isContactkitError and instanceof recognise an error thrown by another copy of the class", () => {
    // Precondition: the two copies really are distinct classes (the dual-package hazard).
    expect(report.sameClass).toBe(false);
    expect(report.cjsErrorSeenByEsm).toEqual({ guard: true, code: "not_found", instanceofEsm: true, instanceofCjs: true });
    expect(report.esmErrorSeenByCjs).toEqual({ guard: true, code: "not_found", instanceofEsm: true, instanceofCjs: true });
    // The raw clients' own copies (a config error: no credentials), through require and import.
    expect(report.rawErrors).toEqual([
      { guard: true, code: "config", instanceofEsm: true, instanceofCjs: true },
      { guard: true, code: "config", instanceofEsm: true, instanceofCjs: true },
    ]);
  });
});
