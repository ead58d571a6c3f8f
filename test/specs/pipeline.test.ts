// generated/manifest.ts matches the specs; `generate --check` finds no drift (and does find it when
// there is some); the generator's output does not depend on where the checkout lives; and the
// Redocly lint reports zero problems.
import { describe, it, expect, afterAll } from "vitest";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { manifest } from "../../generated/manifest.js";
import type { ManifestExample } from "../../generated/manifest.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Every spec the generator reads (test/project/registry.test.ts proves they are the registry's providers).
const PROVIDERS = readdirSync(path.join(ROOT, "specs"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.slice(0, -".yaml".length))
  .sort() as Array<keyof typeof manifest>;
type Provider = keyof typeof manifest;

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd = ROOT, timeout = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, timeout, env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySpec = any;
function loadSpec(provider: Provider): AnySpec {
  return parse(readFileSync(`${ROOT}specs/${provider}.yaml`, "utf8"));
}

/** Follows a local `$ref`. */
function resolved(spec: AnySpec, node: AnySpec): AnySpec {
  if (typeof node?.$ref !== "string") return node;
  let target = spec;
  for (const key of (node.$ref as string).slice(2).split("/")) target = target[key];
  return resolved(spec, target);
}

/** Every local `$ref` inlined, at any depth (the manifest's parameter schemas are self-contained). */
function inlined(spec: AnySpec, node: AnySpec): AnySpec {
  const value = resolved(spec, node);
  if (Array.isArray(value)) return value.map((item) => inlined(spec, item));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inlined(spec, v)]));
}

/** The path and operation object of the spec's `deleteContact`. */
function deleteOf(spec: AnySpec): [string, AnySpec] {
  const found = Object.entries(spec.paths as Record<string, AnySpec>).find(([, item]) => item.delete?.operationId === "deleteContact");
  if (!found) throw new Error("no deleteContact");
  return [found[0], found[1].delete];
}

/** (status, example name) pairs of a spec in document order, with bodies and header examples. */
function specExamples(spec: AnySpec): Array<Omit<ManifestExample, "contentType">> {
  const [, op] = deleteOf(spec);
  const out: Array<Omit<ManifestExample, "contentType">> = [];
  for (const [status, ref] of Object.entries(op.responses as Record<string, AnySpec>)) {
    const response = resolved(spec, ref);
    const headers = Object.fromEntries(
      Object.entries((response.headers ?? {}) as Record<string, AnySpec>).map(([k, h]) => [k, String(resolved(spec, h).example)]),
    );
    if (response.content === undefined) {
      // A bodiless response (204): one entry, with no body at all.
      out.push({ status: Number(status), name: "default", summary: null, headers });
      continue;
    }
    for (const [name, example] of Object.entries(response.content["application/json"].examples as Record<string, AnySpec>)) {
      out.push({ status: Number(status), name, summary: example.summary ?? null, body: example.value, headers });
    }
  }
  return out;
}

describe("generated/manifest.ts matches the specs", () => {
  it("has one entry per spec", () => {
    expect(Object.keys(manifest).sort()).toEqual([...PROVIDERS]);
  });

  for (const provider of PROVIDERS) {
    it(`${provider}: operation, parameters, security and servers`, () => {
      const spec = loadSpec(provider);
      const [specPath, op] = deleteOf(spec);
      const params = (op.parameters as AnySpec[]).map((p) => resolved(spec, p));
      const m = manifest[provider];
      expect(m.title).toBe(spec.info.title);
      expect(m.version).toBe(spec.info.version);
      expect(m.operation).toMatchObject({ operationId: "deleteContact", method: "delete", path: specPath });
      expect(m.operation.parameters.map((p) => [p.in, p.name, p.required])).toEqual(
        params.map((p: AnySpec) => [p.in, p.name, p.in === "path" || p.required === true]),
      );
      expect(m.operation.parameters.map((p) => p.schema)).toEqual(params.map((p: AnySpec) => inlined(spec, p.schema)));
      expect(m.operation.security).toEqual(op.security ?? spec.security);
      expect(Object.keys(m.operation.securitySchemes)).toEqual(Object.keys(spec.components.securitySchemes));
      expect(m.servers.map((s) => s.url)).toEqual(spec.servers.map((s: AnySpec) => s.url));
    });

    it(`${provider}: examples (bodies, summaries, stringified headers) in spec order`, () => {
      const m = manifest[provider];
      const withoutContentType = m.examples.map((e) => ({
        status: e.status,
        name: e.name,
        summary: e.summary,
        ...("body" in e ? { body: e.body } : {}),
        headers: e.headers,
      }));
      expect(withoutContentType).toEqual(specExamples(loadSpec(provider)));
      const bodied = m.examples.filter((e) => "body" in e);
      expect(new Set(bodied.map((e) => e.contentType))).toEqual(new Set(["application/json"]));
      // A response without content (204) has no body at all, not `null`.
      for (const e of m.examples.filter((x) => !("body" in x))) expect(e).toMatchObject({ status: 204, contentType: null });
    });

    it(`${provider}: the 404's x-contactkit-not-found rule and example marks`, () => {
      const spec = loadSpec(provider);
      const [, op] = deleteOf(spec);
      const rule = resolved(spec, op.responses["404"])["x-contactkit-not-found"];
      expect(rule, "every spec documents which 404 means the contact does not exist").toBeDefined();
      expect(manifest[provider].operations.deleteContact!.notFound).toEqual(rule.match);
      const marks = manifest[provider].examples.filter((e) => e.status === 404).map((e) => [e.name, e.contactNotFound]);
      expect(marks.filter(([, yes]) => yes).map(([name]) => name)).toEqual(rule.examples);
      expect(marks.every(([, mark]) => typeof mark === "boolean")).toBe(true);
      expect(manifest[provider].examples.filter((e) => e.status !== 404).every((e) => !("contactNotFound" in e))).toBe(true);
    });
  }

  it("is self-contained: no $ref left anywhere", () => {
    expect(JSON.stringify(manifest)).not.toContain('"$ref"');
  });

  it("spot checks", () => {
    expect(manifest.userapi.servers).toEqual([{ url: "https://{host}", variables: { host: { default: "userapi.invalid" } } }]);
    expect(manifest.userapi.operation.parameters[1]).toMatchObject({ name: "include", in: "query", style: "form", explode: false });

    expect(manifest.truto.servers[0]?.url).toBe("https://api.truto.one");
    const trutoParams = Object.fromEntries(manifest.truto.operation.parameters.map((p) => [p.name, p]));
    expect(trutoParams.integrated_account_id).toMatchObject({ required: true, schema: { type: "string", format: "uuid" } });
    expect(trutoParams["truto_exclude_fields[]"]).toMatchObject({ style: "form", explode: true, schema: { type: "array" } });
    expect(trutoParams.remote_query).toMatchObject({ style: "deepObject", explode: true, schema: { type: "object" } });
    expect(trutoParams.truto_response_format?.schema).toMatchObject({
      enum: ["unified", "raw", "normalized", "stream"],
      default: "unified",
    });
    const trutoRateLimited = manifest.truto.examples.find((e) => e.status === 429);
    expect(trutoRateLimited?.headers).toEqual({
      "Retry-After": "10",
      "ratelimit-limit": "50",
      "ratelimit-remaining": "0",
      "ratelimit-reset": "10",
    });

    expect(manifest.wethod.operation.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 }, example: 42 },
      { name: "Wethod-Company", in: "header", required: true, schema: { type: "string", minLength: 1 }, example: "acme" },
      {
        name: "Wethod-Version",
        in: "header",
        required: true,
        schema: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
        example: "2024-06-15",
      },
    ]);
    expect(manifest.wethod.examples.find((e) => e.status === 429)?.headers).toEqual({ "x-ratelimit-retry-after": "60" });

    expect(manifest.close.servers[0]?.url).toBe("https://api.close.com");
    expect(manifest.close.operation.path).toBe("/api/v1/contact/{id}/");
    expect(manifest.close.operation.security).toEqual([{ basicAuth: [] }, { bearerAuth: [] }]);
    expect(manifest.close.operation.securitySchemes).toEqual({
      basicAuth: { type: "http", scheme: "basic" },
      bearerAuth: { type: "http", scheme: "bearer" },
    });
    expect(manifest.close.examples.find((e) => e.status === 200)?.body).toEqual({});
    expect(manifest.close.examples.find((e) => e.status === 429)?.headers).toEqual({
      RateLimit: "limit=100, remaining=0, reset=1",
      "Retry-After": "1",
      "RateLimit-Reset": "1",
    });

    expect(manifest.featurebase.operation.parameters[0]?.schema).toEqual({ type: "string", pattern: "^[0-9a-fA-F]{24}$" });
    expect(manifest.featurebase.examples[0]).toEqual({
      status: 200,
      name: "deletedContact",
      summary: "Deletion confirmation (SDK example)",
      contentType: "application/json",
      body: { id: "507f1f77bcf86cd799439011", deleted: true, object: "contact" },
      headers: {},
    });
    expect(Object.keys(manifest.featurebase.examples.find((e) => e.status === 429)?.headers ?? {})).toEqual([
      "X-RateLimit-Limit",
      "X-RateLimit-Remaining",
      "X-RateLimit-Reset",
    ]);

    for (const provider of PROVIDERS) {
      expect(manifest[provider].operation.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer" });
      expect(
        manifest[provider].examples.some((e) => e.status === 404),
        provider,
      ).toBe(true);
    }
  });
});

describe("scripts/generate.mjs", () => {
  const scratch: string[] = [];
  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the pipeline inputs in a temp dir (node_modules linked), to run the generator elsewhere. */
  function scratchCopy(withGenerated: boolean): string {
    const dir = mkdtempSync(path.join(tmpdir(), "contactkit-generate-"));
    scratch.push(dir);
    cpSync(path.join(ROOT, "specs"), path.join(dir, "specs"), { recursive: true });
    mkdirSync(path.join(dir, "scripts"));
    cpSync(path.join(ROOT, "scripts/generate.mjs"), path.join(dir, "scripts/generate.mjs"));
    if (withGenerated) cpSync(path.join(ROOT, "generated"), path.join(dir, "generated"), { recursive: true });
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
  }

  it("refuses a 404 without x-contactkit-not-found, or one naming an unknown example", async () => {
    const dir = scratchCopy(false);
    // Only the spec under test: the generator stops at it without generating the others' types first.
    for (const other of PROVIDERS.filter((p) => p !== "wethod")) rmSync(path.join(dir, `specs/${other}.yaml`));
    const specPath = path.join(dir, "specs/wethod.yaml");
    const source = readFileSync(specPath, "utf8");
    writeFileSync(
      specPath,
      source.replace(
        /x-contactkit-not-found:\n\s+examples:\n\s+- notFound/,
        "x-contactkit-not-found:\n            examples:\n              - noSuchExample",
      ),
    );
    const unknown = await run(["scripts/generate.mjs"], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("specs/wethod.yaml: 404 x-contactkit-not-found names unknown example noSuchExample");
    writeFileSync(specPath, source.replace(/ +x-contactkit-not-found:\n\s+examples:\n\s+- notFound\n\s+match:\n\s+key: not_found\n/, ""));
    const missing = await run(["scripts/generate.mjs"], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("every 404 response needs `x-contactkit-not-found`");
  }, 60_000);

  it("--check exits 0 on the committed tree (no drift)", async () => {
    const result = await run(["scripts/generate.mjs", "--check"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/up to date/);
  });

  it("--check exits 1 and names the stale file when generated/ drifts", async () => {
    const dir = scratchCopy(true);
    const stalePath = path.join(dir, "generated/close.ts");
    writeFileSync(stalePath, readFileSync(stalePath, "utf8").replace("RateLimit?: string;", "RateLimit?: number;"));
    const result = await run(["scripts/generate.mjs", "--check"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("stale: generated/close.ts");
    expect(result.stderr).not.toContain("generated/truto.ts");
  });

  it("produces byte-identical output from another directory (no absolute paths, no timestamps)", async () => {
    const dir = scratchCopy(false);
    const result = await run(["scripts/generate.mjs"], dir);
    expect(result.code).toBe(0);
    const expected = readdirSync(path.join(ROOT, "generated")).sort();
    expect(readdirSync(path.join(dir, "generated")).sort()).toEqual(expected);
    for (const file of expected) {
      expect(readFileSync(path.join(dir, "generated", file), "utf8"), file).toBe(readFileSync(path.join(ROOT, "generated", file), "utf8"));
    }
  });
});

/** `redocly lint --format=json` prints one JSON document per file, concatenated. */
function splitJsonDocuments(text: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") {
      if (depth++ === 0) start = i;
    } else if (c === "}" && --depth === 0) docs.push(JSON.parse(text.slice(start, i + 1)));
  }
  return docs;
}

describe("Redocly lint", () => {
  it("reports zero errors and zero warnings for every spec", async () => {
    const specs = readdirSync(path.join(ROOT, "specs"))
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((f) => `specs/${f}`);
    expect(specs).toHaveLength(PROVIDERS.length);
    const result = await run([path.join(ROOT, "node_modules/@redocly/cli/bin/cli.js"), "lint", ...specs, "--format=json"]);
    const reports = splitJsonDocuments(result.stdout) as Array<{ totals: { errors: number; warnings: number }; problems: unknown[] }>;
    expect(reports).toHaveLength(specs.length);
    for (const report of reports) {
      expect(report.problems).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    }
    expect(result.code).toBe(0);
  });
});
