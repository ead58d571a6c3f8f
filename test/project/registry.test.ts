/**
 * The registry walk: src/registry.ts is the one list of providers, and every list derived from it
 * (CLI env and help, the fake, docs, package exports and typesVersions, bundle budgets, unit and
 * examples suites, generated facts) must contain each provider. A forgotten place fails here,
 * naming the provider and the place, instead of silently skipping it. It also proves the reverse
 * (nothing lists a provider the registry lacks) and that no file in src/ names a provider outside
 * its own module.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverSpecs, renderIndex, readSpecInfo } from "../../scripts/build-docs.mjs";
import { BUDGETS, coreEntries } from "../../scripts/bundle-size.mjs";
import { providerNamesFrom } from "../../scripts/lib/providers.mjs";
import { derivedPackageJson, render } from "../../scripts/package-json.mjs";
import { manifest } from "../../generated/manifest.js";
import { configFromEnv, providerEnv } from "../../src/cli/env.js";
import { exportLines } from "../../src/cli/commands/fake-server.js";
import { deleteHelp, mainHelp } from "../../src/cli/usage.js";
import { createContactsClient, providerNames } from "../../src/index.js";
import { registry } from "../../src/registry.js";
import { providerNames as toolingProviderNames, toolingRegistry } from "../../src/tooling-registry.js";
import { defaultFakeCredentials, startFakeProviders, summarizeFakeProviders, type FakeProviders } from "../../src/testing/index.js";
import { wires } from "../helpers/wire.js";

const ROOT = join(import.meta.dirname, "..", "..");
const sorted = (list: readonly string[]) => [...list].sort();
const stems = (dir: string, ext: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(ext))
    .map((f) => f.slice(0, -ext.length));

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ seedCount: 2 });
});
afterAll(async () => {
  await fake.close();
});

describe("the registry is the one list", () => {
  it("names the same providers as the specs, the generated files, the entry points and the provider folders", () => {
    const names = sorted(providerNames);
    expect(names.length).toBeGreaterThan(0);
    expect(sorted(Object.keys(toolingRegistry))).toEqual(names);
    // Same order too: help, the fake-server's exports and the demo list providers in this order.
    expect(toolingProviderNames, "src/tooling-registry.ts (same order as src/registry.ts)").toEqual(providerNames);
    expect(sorted(stems("specs", ".yaml")), "specs/<name>.yaml").toEqual(names);
    expect(sorted(stems("generated", ".facts.ts")), "generated/<name>.facts.ts").toEqual(names);
    expect(sorted(Object.keys(manifest)), "generated/manifest.ts").toEqual(names);
    expect(providerNamesFrom(ROOT), "src/entries/<name>.ts (what scripts/ read)").toEqual(names);
    expect(
      sorted(
        readdirSync(join(ROOT, "src", "providers"), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name),
      ),
    ).toEqual(names);
  });
});

describe.each(providerNames.map((p) => [p]))("%s is in every derived list", (provider) => {
  it("adapter and connection agree on the name; the facade accepts its fake config", () => {
    expect(registry[provider].connection.name).toBe(provider);
    expect(createContactsClient(fake.clientConfig(provider)).provider).toBe(provider);
  });

  it("CLI: environment variables (with <NAME>_BASE_URL), help text, config from env", () => {
    const vars = providerEnv[provider];
    expect(
      vars.some((v) => v.secret),
      "a secret variable",
    ).toBe(true);
    expect(vars.map((v) => v.field)).toContain("baseUrl");
    expect(vars.some((v) => v.name === `${provider.toUpperCase()}_BASE_URL`)).toBe(true);
    for (const help of [mainHelp(), deleteHelp()]) {
      expect(help).toContain(`  ${provider}\n`);
      for (const v of vars) expect(help).toContain(v.name);
    }
    const env = Object.fromEntries(exportLines(fake, provider).map((line) => /^export (\w+)=(.*)$/.exec(line)!.slice(1, 3)));
    const { config } = configFromEnv(provider, env);
    expect(config.provider).toBe(provider);
    expect(config.baseUrl).toBe(fake.url);
  });

  it("fake: credentials, seeds, route and summary", () => {
    expect(defaultFakeCredentials[provider]).toBeDefined();
    expect(fake.seeded[provider]).toHaveLength(2);
    expect(summarizeFakeProviders(fake).providers.map((p) => p.provider)).toContain(provider);
    expect(fake.has(provider, fake.seeded[provider][0]!)).toBe(true);
  });

  it("docs: a page and an index entry", async () => {
    const specs = await discoverSpecs();
    expect(specs.map((f) => relative(ROOT, f))).toContain(join("specs", `${provider}.yaml`));
    const index = renderIndex([await readSpecInfo(join(ROOT, "specs", `${provider}.yaml`))]);
    expect(index).toContain(`href="./${provider}.html"`);
  });

  it("package.json: exports, typesVersions and a bundle budget", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.exports[`./${provider}`]?.import?.default).toBe(`./dist/esm/src/entries/${provider}.js`);
    expect(pkg.exports[`./${provider}`]?.require?.default).toBe(`./dist/cjs/src/entries/${provider}.js`);
    expect(pkg.typesVersions["*"][provider]).toEqual([`./dist/cjs/src/entries/${provider}.d.ts`]);
    expect(coreEntries(ROOT).map((e) => e.entry)).toContain(`contactkit/${provider}`);
    expect(BUDGETS.provider).toBeGreaterThan(0);
  });

  it("test suites: its wire expectations and its own test file exist", () => {
    expect(wires[provider], `test/providers/${provider}.wire.ts`).toBeDefined();
    expect(existsSync(join(ROOT, "test", "providers", `${provider}.test.ts`)), `test/providers/${provider}.test.ts`).toBe(true);
    expect(wires[provider].documentedStatuses).toEqual(
      manifest[provider].examples.map((e) => e.status).filter((s, i, all) => all.indexOf(s) === i),
    );
  });
});

describe("derived files are up to date", () => {
  it("package.json equals what scripts/package-json.mjs derives (run `npm run generate`)", () => {
    const current = readFileSync(join(ROOT, "package.json"), "utf8");
    expect(current).toBe(render(derivedPackageJson(JSON.parse(current), ROOT)));
  });

  it("the derivation notices a provider the package does not list", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const name = providerNames[0]!;
    delete pkg.exports[`./${name}`];
    expect(render(derivedPackageJson(pkg, ROOT))).not.toBe(render(pkg));
  });

  it("user-facing strings never count the providers in words", () => {
    const texts = [mainHelp(), deleteHelp(), readFileSync(join(ROOT, "package.json"), "utf8")];
    for (const text of texts) expect(text).not.toMatch(/\bfive\b/i);
  });
});

describe("no file in src/ names a provider outside its own module", () => {
  /** Every .ts file under src/, relative to the root. */
  function sources(dir = "src"): string[] {
    return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
    );
  }
  const allowed = (file: string, name: string) =>
    file.startsWith(`${join("src", "providers", name)}/`) ||
    file === join("src", "entries", `${name}.ts`) ||
    file === join("src", "registry.ts") ||
    file === join("src", "tooling-registry.ts") ||
    file === join("src", "index.ts");
  // The lead's check: a quoted name or an import path; comments and event names (`on("close")`) do not count.
  const named = (name: string) => new RegExp(`["'\`/]${name}["'\`.]`);
  const isComment = /^\s*(\*|\/\/|\/\*)/;
  const isEvent = (name: string) => new RegExp(`(on|once|off|emit|addEventListener|removeListener|removeEventListener)\\(\\s*["']${name}`);

  it.each(providerNames.map((p) => [p]))("%s", (name) => {
    const hits: string[] = [];
    for (const file of sources()) {
      if (allowed(file, name)) continue;
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (named(name).test(line) && !isComment.test(line) && !isEvent(name).test(line)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });
});
