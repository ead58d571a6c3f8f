// `npm pack` from a fresh clone, as a maintainer publishing or a user packing the repo would do it:
// git clone of this repository's HEAD (committed files only, no dist/) -> npm ci -> npm pack, whose
// `prepack` script must build dist/ first. The tarball is then installed into a scratch project,
// where the installed `contactkit` bin runs and the library loads through `import` and `require`.
// exports.test.ts checks the tarball of the working tree in depth; this one checks the path from
// a clone, and what the installed CLI says about itself.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { npm, ROOT, run, setupOrFail } from "./helpers.js";

const flags = ["--no-audit", "--no-fund"];
let work: string;
let packedFiles: string[];
let project: string;
let bin: string;

setupOrFail(async () => {
  work = await mkdtemp(join(tmpdir(), "contactkit-clone-"));
  const clone = join(work, "clone");
  const g = run("git", ["clone", "--quiet", "--no-hardlinks", ROOT, clone]);
  if (g.status !== 0) throw new Error(`git clone failed (exit ${g.status}):\n${g.stderr}`);
  if (existsSync(join(clone, "dist"))) throw new Error("the clone already has dist/ (is dist/ committed?)");
  // The project's own install filled npm's cache; a fresh machine may still need the registry.
  const ci = npm(["ci", "--prefer-offline", ...flags], { cwd: clone });
  if (ci.status !== 0) throw new Error(`npm ci in the clone failed (exit ${ci.status}):\n${ci.stderr}`);
  const pack = npm(["pack", "--json", "--pack-destination", work], { cwd: clone });
  if (pack.status !== 0) throw new Error(`npm pack in the clone failed (exit ${pack.status}):\n${pack.stderr}`);
  const [result] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[\n"))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packedFiles = result!.files.map((f) => f.path);

  project = join(work, "scratch");
  await mkdir(project);
  await writeFile(join(project, "package.json"), `${JSON.stringify({ name: "scratch", version: "1.0.0", private: true }, null, 2)}\n`);
  const install = npm(["install", "--prefer-offline", "--no-package-lock", ...flags, join(work, result!.filename)], { cwd: project });
  if (install.status !== 0) throw new Error(`installing the tarball failed (exit ${install.status}):\n${install.stderr}`);
  bin = join(project, "node_modules", ".bin", "contactkit");
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("npm pack in a fresh clone", () => {
  it("builds dist/ first (prepack), so the tarball holds both builds and the CLI", () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining(["dist/esm/src/index.js", "dist/cjs/src/index.js", "dist/esm/src/cli/main.js", "dist/cjs/package.json"]),
    );
  });

  it("the installed bin runs: --version, help, and the demo against the embedded fake", () => {
    const v = run(bin, ["--version"], { cwd: project });
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = run(bin, ["help"], { cwd: project });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Exit codes:");
    const demo = run(bin, ["demo"], { cwd: project, timeout: 60_000 });
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toContain("behaved as expected");
    // An installed package is not a checkout: no hint may point at the repo's dist/ paths.
    for (const text of [help.stdout, demo.stdout, demo.stderr]) {
      expect(text).not.toMatch(/checkout|dist\//);
    }
  });

  it("the library loads through import (ESM) and require (CJS) in the scratch project", async () => {
    const script = [
      `import { createRequire } from "node:module";`,
      `const esm = await import("contactkit");`,
      `const cjs = createRequire(import.meta.url)("contactkit");`,
      `console.log(JSON.stringify({ esm: typeof esm.createContactsClient, cjs: typeof cjs.createContactsClient, names: esm.providerNames.length === cjs.providerNames.length && esm.providerNames.length > 0 }));`,
    ].join("\n");
    await writeFile(join(project, "load.mjs"), script);
    const r = run(process.execPath, ["load.mjs"], { cwd: project });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ esm: "function", cjs: "function", names: true });
  });
});
