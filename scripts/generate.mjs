#!/usr/bin/env node
// Generates, from the hand-written specs/<provider>.yaml:
//   generated/<provider>.ts        openapi-typescript types
//   generated/<provider>.facts.ts  compact runtime facts the adapters import (server, operations,
//                                  parameter rules, security, documented statuses)
//   generated/manifest.ts          every operation with its response examples (fake + tests only)
//
//   node scripts/generate.mjs           write generated/ (only files whose content changed)
//   node scripts/generate.mjs --check   generate in memory; list stale files and exit 1 if any
//
// Output is deterministic: no timestamps, absolute paths or machine-specific data.
// Note: programmatic openapiTS() does not read redocly.yaml (see `npm run lint:specs` for that).

import { readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import process from "node:process";
import openapiTS, { astToString } from "openapi-typescript";
import { parseDocument, isMap, isScalar } from "yaml";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SPECS_DIR = "specs";
const OUT_DIR = "generated";
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** openapi-typescript options: types only, spec order kept, no `pathParamsAsTypes`. */
const OPENAPI_TS_OPTIONS = {
  alphabetize: false,
  // A `default` must not turn an optional parameter/property into a required one.
  defaultNonNullable: false,
  // `{type: object}` without properties becomes Record<string, unknown>, not Record<string, never>.
  emptyObjectsUnknown: true,
  // Also export `SchemaX = components["schemas"]["X"]` aliases for adapters.
  rootTypes: true,
  silent: true,
};

class GenerateError extends Error {}

function fail(file, message) {
  throw new GenerateError(`${file}: ${message}`);
}

async function listSpecs() {
  const names = (await readdir(path.join(ROOT, SPECS_DIR))).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -".yaml".length));
  // Alphabetical: generated files do not depend on the registry's order (the registry picks it).
  names.sort();
  for (const name of names) {
    if (!/^[a-z][a-z0-9]*$/.test(name)) fail(`${SPECS_DIR}/${name}.yaml`, "spec file names must be lower-case alphanumeric provider names");
  }
  if (names.length === 0) throw new GenerateError(`no specs found in ${SPECS_DIR}/`);
  return names;
}

// ---------------------------------------------------------------------------------------------
// $ref resolution (local refs only), so that manifest data is self-contained.

function resolvePointer(doc, ref, file) {
  if (!ref.startsWith("#/")) fail(file, `only local $refs are supported, got ${JSON.stringify(ref)}`);
  let node = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) fail(file, `unresolved $ref ${ref}`);
    node = node[key];
  }
  return node;
}

function deref(doc, value, file, seen = []) {
  if (Array.isArray(value)) return value.map((v) => deref(doc, v, file, seen));
  if (value === null || typeof value !== "object") return value;
  if (typeof value.$ref === "string") {
    if (seen.includes(value.$ref)) fail(file, `circular $ref ${value.$ref} cannot be inlined into the manifest`);
    const target = deref(doc, resolvePointer(doc, value.$ref, file), file, [...seen, value.$ref]);
    const siblings = Object.fromEntries(Object.entries(value).filter(([k]) => k !== "$ref"));
    // OpenAPI 3.1: sibling keywords of $ref apply too (e.g. a `description` override).
    return Object.keys(siblings).length === 0 ? target : { ...target, ...deref(doc, siblings, file, seen) };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deref(doc, v, file, seen)]));
}

/** Keys of a YAML mapping in document order (plain objects reorder integer-like keys such as "200"). */
function yamlKeys(node) {
  if (!isMap(node)) return [];
  return node.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key));
}

function headerValue(value) {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Manifest extraction: every operation of a spec, keyed by operationId.

/** The merged parameter list of one operation (path-level ones apply unless overridden). */
function operationParameters(pathItem, op, file) {
  const params = [...(pathItem.parameters ?? [])];
  for (const p of op.parameters ?? []) {
    const i = params.findIndex((q) => q.name === p.name && q.in === p.in);
    if (i === -1) params.push(p);
    else params[i] = p;
  }
  return params.map((p) => {
    if (!["path", "query", "header"].includes(p.in)) fail(file, `parameter ${p.name}: unsupported location ${p.in}`);
    if (p.schema === undefined) fail(file, `parameter ${p.name}: a schema is required`);
    const out = { name: p.name, in: p.in, required: p.in === "path" ? true : p.required === true, schema: p.schema };
    if (p.style !== undefined) out.style = p.style;
    if (p.explode !== undefined) out.explode = p.explode;
    if (p.example !== undefined) out.example = p.example;
    return out;
  });
}

/** One entry per (status, example name), in spec order; a bodiless response is one entry with `body: undefined`. */
function operationExamples(yamlDoc, doc, pathKey, method, op, file) {
  const responsesNode = yamlDoc.getIn(["paths", pathKey, method, "responses"], true);
  const examples = [];
  for (const statusKey of yamlKeys(responsesNode)) {
    if (!/^[1-5]\d\d$/.test(statusKey)) fail(file, `response key ${statusKey}: only explicit status codes are supported`);
    const status = Number(statusKey);
    const response = deref(doc, op.responses[statusKey], file);
    const headers = {};
    for (const [headerName, header] of Object.entries(response.headers ?? {})) {
      const example =
        header.example !== undefined ? header.example : header.examples ? Object.values(header.examples)[0]?.value : header.schema?.example;
      if (example === undefined) fail(file, `${status} header ${headerName}: an example is required`);
      headers[headerName] = headerValue(example);
    }
    const notFound = status === 404 ? notFoundRule(response, file) : null;
    const content = response.content ?? {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      // No content: the answer has no body at all (e.g. 204). `body` is left out, not null, so the
      // fake can tell "no body" from "the JSON value null".
      examples.push({ status, name: "default", summary: null, contentType: null, headers });
      continue;
    }
    for (const contentType of mediaTypes) {
      const media = content[contentType];
      const named = Object.entries(media.examples ?? {});
      if (named.length === 0) {
        if (media.example === undefined) fail(file, `${status} ${contentType}: at least one example is required`);
        examples.push({ status, name: "default", summary: null, contentType, body: media.example, headers });
        continue;
      }
      for (const [exampleName, example] of named) {
        if (example.value === undefined) fail(file, `${status} example ${exampleName}: an inline \`value\` is required`);
        const entry = { status, name: exampleName, summary: example.summary ?? null, contentType, body: example.value, headers };
        // Which 404 examples are the provider's own "this contact does not exist" (docs/sources.md).
        if (notFound !== null) entry.contactNotFound = notFound.examples.includes(exampleName);
        examples.push(entry);
      }
    }
  }
  return examples;
}

/**
 * A 404's `x-contactkit-not-found` (docs/sources.md): `match` maps dotted body paths to the exact
 * scalar each must equal; `examples` names the fixtures that are "contact does not exist". Every
 * 404 must carry one: without it the client could not tell a missing contact from a wrong URL.
 */
function notFoundRule(response, file) {
  const rule = response["x-contactkit-not-found"];
  if (rule === undefined) fail(file, "every 404 response needs `x-contactkit-not-found` (docs/sources.md)");
  const { examples, match } = rule;
  if (!Array.isArray(examples) || examples.some((e) => typeof e !== "string"))
    fail(file, "404 x-contactkit-not-found.examples must be a list of example names");
  if (match === null || typeof match !== "object" || Array.isArray(match)) fail(file, "404 x-contactkit-not-found.match must be a mapping");
  for (const [key, value] of Object.entries(match)) {
    if (!/^[^.]+(\.[^.]+)*$/.test(key)) fail(file, `404 x-contactkit-not-found.match: bad path ${JSON.stringify(key)}`);
    if (!["string", "number", "boolean"].includes(typeof value))
      fail(file, `404 x-contactkit-not-found.match.${key}: only strings, numbers and booleans can be matched`);
  }
  const named = Object.values(response.content ?? {}).flatMap((media) => Object.keys(media.examples ?? {}));
  const unknown = examples.find((e) => !named.includes(e));
  if (unknown !== undefined) fail(file, `404 x-contactkit-not-found names unknown example ${unknown}`);
  return { examples, match };
}

function buildProviderManifest(name, source) {
  const file = `${SPECS_DIR}/${name}.yaml`;
  const yamlDoc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (yamlDoc.errors.length > 0) fail(file, yamlDoc.errors.map((e) => e.message).join("\n"));
  const doc = yamlDoc.toJS();

  if (typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.1.")) fail(file, "must be OpenAPI 3.1.x");

  const servers = (doc.servers ?? []).map((s) => ({
    url: s.url,
    variables: Object.fromEntries(
      Object.entries(s.variables ?? {}).map(([k, v]) => [
        k,
        v.enum === undefined ? { default: v.default } : { default: v.default, enum: v.enum },
      ]),
    ),
  }));
  if (servers.length === 0) fail(file, "at least one server is required");

  const securitySchemes = {};
  for (const [key, raw] of Object.entries(doc.components?.securitySchemes ?? {})) {
    const s = deref(doc, raw, file);
    const out = { type: s.type };
    for (const k of ["scheme", "name", "in"]) if (s[k] !== undefined) out[k] = s[k];
    securitySchemes[key] = out;
  }

  const operations = {};
  for (const pathKey of yamlKeys(yamlDoc.get("paths", true))) {
    const pathItem = deref(doc, doc.paths[pathKey], file);
    for (const method of HTTP_METHODS.filter((m) => pathItem[m] !== undefined)) {
      const op = pathItem[method];
      if (typeof op.operationId !== "string" || !/^[a-z][A-Za-z0-9]*$/.test(op.operationId)) {
        fail(file, `${method.toUpperCase()} ${pathKey}: a camelCase operationId is required`);
      }
      if (operations[op.operationId]) fail(file, `operationId ${op.operationId} is used twice`);
      const security = op.security ?? doc.security ?? [];
      for (const requirement of security) {
        for (const scheme of Object.keys(requirement)) {
          if (!securitySchemes[scheme]) fail(file, `security requirement names undefined scheme ${scheme}`);
        }
      }
      operations[op.operationId] = {
        operationId: op.operationId,
        method,
        path: pathKey,
        parameters: operationParameters(pathItem, op, file),
        security,
        securitySchemes,
        examples: operationExamples(yamlDoc, doc, pathKey, method, op, file),
        // The rule a 404 body must match to mean "this contact does not exist"; null without a 404.
        notFound: op.responses["404"] === undefined ? null : notFoundRule(deref(doc, op.responses["404"], file), file).match,
      };
    }
  }
  const remove = operations.deleteContact;
  if (remove?.method !== "delete") fail(file, "a `delete` operation with operationId deleteContact is required");
  if (remove.parameters.filter((p) => p.in === "path").length !== 1)
    fail(file, "deleteContact must have exactly one path parameter (the contact id)");
  const { examples, ...operation } = remove;

  return {
    title: doc.info?.title ?? fail(file, "info.title is required"),
    version: doc.info?.version ?? fail(file, "info.version is required"),
    servers,
    // The delete operation, as before; `operations` has every operation (the delete included).
    operation,
    examples,
    operations,
  };
}

// ---------------------------------------------------------------------------------------------
// Facts: the compact runtime subset the library core imports (no descriptions, no examples of
// responses), one module per provider so a `contactkit/<provider>` bundle carries only its own.

// Only what the library reads at run time: id rules (type, pattern, lengths, bounds) and the
// enums adapters offer. `format`, `default` and `required` are documentation to the runtime (a
// provider module states its own rule where it enforces one, e.g. Truto's UUID account id);
// tests and tools read them from generated/manifest.ts.
const SCHEMA_FACT_KEYS = ["type", "pattern", "minLength", "maxLength", "minimum", "maximum", "enum"];
/** OpenAPI's default style and explode per parameter location: facts list only a departure from them. */
const DEFAULT_STYLE = { path: ["simple", false], header: ["simple", false], query: ["form", true], cookie: ["form", true] };

function schemaFacts(schema) {
  if (schema === null || typeof schema !== "object") return {};
  const out = {};
  for (const key of SCHEMA_FACT_KEYS) if (schema[key] !== undefined) out[key] = schema[key];
  if (schema.items !== undefined) out.items = schemaFacts(schema.items);
  return out;
}

function operationFacts(operation) {
  const parameters = {};
  for (const p of operation.parameters) {
    const fact = { in: p.in, schema: schemaFacts(p.schema) };
    const [style, explode] = DEFAULT_STYLE[p.in];
    if ((p.style ?? style) !== style || (p.explode ?? explode) !== explode) {
      fact.style = p.style ?? style;
      fact.explode = p.explode ?? explode;
    }
    // Header examples are runtime facts (the value sent by default); path and query examples are
    // fixtures only (generated/manifest.ts keeps every example).
    if (p.example !== undefined && p.in === "header") fact.example = p.example;
    parameters[p.name] = fact;
  }
  const request = { method: operation.method, path: operation.path, parameters };
  const statuses = [...new Set(operation.examples.map((e) => e.status))];
  const bodiless = [...new Set(operation.examples.filter((e) => !("body" in e)).map((e) => e.status))];
  return { request, responses: { security: operation.security, statuses, bodiless }, notFound: operation.notFound };
}

// `null as const` is not valid TypeScript; null needs no assertion to keep its type.
const constant = (name, value, doc) => [
  `/** ${doc} */`,
  `export const ${name} = ${JSON.stringify(value, null, 2)}${value === null ? "" : " as const"};`,
  "",
];

/**
 * One export per fact, so a bundler keeps only what the code imports (an adapter needs the name,
 * the base URL and its operation's request facts; statuses and security are for tests and tools).
 */
function renderFacts(name, m) {
  const server = m.servers[0];
  // The server URL is the default base URL only when it needs no user-supplied variable.
  const defaultBaseUrl = Object.keys(server.variables).length === 0 ? server.url : null;
  const lines = [
    "/**",
    ` * Generated by scripts/generate.mjs from specs/${name}.yaml. Do not edit: change the spec and run`,
    " * `npm run generate`.",
    " *",
    " * The runtime facts about this provider (server, operations, parameters and their schema rules,",
    " * security, documented statuses), as data the provider module reads instead of restating it.",
    " * Response examples live in generated/manifest.ts (never imported by the library core).",
    " */",
    "",
    ...constant("name", name, "The provider's name: the spec's file name."),
    ...constant("title", m.title, "The spec's title."),
    ...constant("server", server, "The spec's first server, with its variables' defaults."),
    ...constant("defaultBaseUrl", defaultBaseUrl, "The server URL, or null when it has variables the user must fill in."),
    ...constant("securitySchemes", m.operation.securitySchemes, "The spec's security schemes."),
  ];
  const ids = Object.keys(m.operations);
  for (const id of ids) {
    const { request, responses, notFound } = operationFacts(m.operations[id]);
    lines.push(...constant(id, request, `\`${request.method.toUpperCase()} ${request.path}\` (${id}): what a request needs.`));
    lines.push(...constant(`${id}Responses`, responses, `${id}: its security requirements, documented statuses and bodiless ones.`));
    lines.push(
      ...constant(
        `${id}NotFound`,
        notFound,
        `${id}: what a JSON-object 404 body must hold (dotted path → exact value) to mean "this contact does not exist"; \`{}\`: any JSON object; null: no documented 404.`,
      ),
    );
  }
  // No spreads: a spread is not side-effect free to a bundler, and would keep every fact alive.
  const operations = ids.map((id) => `    ${id}: { request: ${id}, responses: ${id}Responses, notFound: ${id}NotFound },`);
  lines.push(
    "/** Everything above in one object, for tests and tools (the library imports the pieces). */",
    "export const facts = {",
    "  name,",
    "  title,",
    "  server,",
    "  defaultBaseUrl,",
    "  securitySchemes,",
    "  operations: {",
    ...operations,
    "  },",
    "} as const;",
    "",
  );
  return lines.join("\n");
}

const MANIFEST_TYPES = `export interface ManifestParameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  /** The parameter's JSON Schema, with every \`$ref\` resolved. */
  schema: unknown;
  style?: string;
  explode?: boolean;
  /** The parameter's \`example\` (sample ids for fixtures and the fake's seeds). */
  example?: unknown;
}

export interface ManifestSecurityScheme {
  type: string;
  scheme?: string;
  name?: string;
  in?: string;
}

export interface ManifestExample {
  status: number;
  /** Key in the response's \`examples\` map. */
  name: string;
  summary: string | null;
  contentType: string | null;
  /** The example body; absent (not null) when the response has no content at all (e.g. 204). */
  body?: unknown;
  /** Response header examples, stringified as they would appear on the wire. */
  headers: Record<string, string>;
  /** 404s only: whether this example is the provider's own "this contact does not exist" answer (x-contactkit-not-found). */
  contactNotFound?: boolean;
}

export interface ManifestOperation {
  operationId: string;
  method: string;
  path: string;
  parameters: ManifestParameter[];
  security: Array<Record<string, string[]>>;
  securitySchemes: Record<string, ManifestSecurityScheme>;
  /** What a JSON-object 404 body must hold (dotted path → value) to mean "contact does not exist"; null without a 404. */
  notFound: Record<string, string | number | boolean> | null;
}

export interface ProviderManifest {
  title: string;
  version: string;
  servers: Array<{ url: string; variables: Record<string, { default: string; enum?: string[] }> }>;
  /** The \`deleteContact\` operation. */
  operation: ManifestOperation & { method: "delete" };
  /** The delete's responses: one entry per (status, example name), in spec order. */
  examples: ManifestExample[];
  /** Every operation of the spec by operationId (the delete included), each with its examples. */
  operations: Record<string, ManifestOperation & { examples: ManifestExample[] }>;
}
`;

function renderManifest(names, manifests) {
  const union = names.map((n) => JSON.stringify(n)).join(" | ");
  // Written once per operation; `operation` and `examples` (the delete) are filled in from it.
  const stored = Object.fromEntries(names.map((n, i) => [n, { ...manifests[i], operation: undefined, examples: undefined }]));
  const body = JSON.stringify(stored, null, 2);
  return [
    "/**",
    ` * Generated by scripts/generate.mjs from specs/<provider>.yaml for: ${names.join(", ")}.`,
    " * Do not edit: change the specs and run `npm run generate`.",
    " *",
    " * Runtime data (operations and response examples) for the fake providers, the CLI's fake-server",
    " * and test fixtures; never imported by the library core (it reads generated/<provider>.facts.ts).",
    " */",
    "",
    MANIFEST_TYPES,
    `const specs: Record<${union}, Omit<ProviderManifest, "operation" | "examples">> = ${body};`,
    "",
    'function withDelete(spec: Omit<ProviderManifest, "operation" | "examples">): ProviderManifest {',
    "  const { examples, ...operation } = spec.operations.deleteContact!;",
    '  return { ...spec, operation: operation as ProviderManifest["operation"], examples };',
    "}",
    "",
    `export const manifest = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, withDelete(spec)])) as Record<${union}, ProviderManifest>;`,
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------

async function generateTypes(name) {
  const url = pathToFileURL(path.join(ROOT, SPECS_DIR, `${name}.yaml`));
  const ast = await openapiTS(url, OPENAPI_TS_OPTIONS);
  const header = [
    "/**",
    ` * Generated by scripts/generate.mjs from specs/${name}.yaml (openapi-typescript). Do not edit:`,
    " * change the spec and run `npm run generate`.",
    " */",
    "",
    "",
  ].join("\n");
  return header + astToString(ast).replace(/\s*$/, "\n");
}

async function generateAll() {
  const names = await listSpecs();
  const files = new Map();
  const manifests = [];
  for (const name of names) {
    const source = await readFile(path.join(ROOT, SPECS_DIR, `${name}.yaml`), "utf8");
    const manifest = buildProviderManifest(name, source);
    manifests.push(manifest);
    files.set(`${OUT_DIR}/${name}.ts`, await generateTypes(name));
    files.set(`${OUT_DIR}/${name}.facts.ts`, renderFacts(name, manifest));
  }
  files.set(`${OUT_DIR}/manifest.ts`, renderManifest(names, manifests));
  return files;
}

async function readIfExists(file) {
  try {
    return (await readFile(path.join(ROOT, file), "utf8")).replace(/\r\n/g, "\n");
  } catch (error) {
    if (error.code === "ENOENT") return null;
    throw error;
  }
}

async function main(argv) {
  const check = argv.includes("--check");
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length > 0) throw new GenerateError(`unknown argument(s): ${unknown.join(" ")} (usage: generate.mjs [--check])`);

  const files = await generateAll();
  const stale = [];
  for (const [file, content] of files) {
    if ((await readIfExists(file)) !== content) stale.push(file);
  }

  if (check) {
    let orphans = [];
    try {
      orphans = (await readdir(path.join(ROOT, OUT_DIR))).map((f) => `${OUT_DIR}/${f}`).filter((f) => f.endsWith(".ts") && !files.has(f));
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
    if (stale.length === 0 && orphans.length === 0) {
      console.log(`generate --check: ${files.size} generated files are up to date.`);
      return 0;
    }
    for (const f of stale) console.error(`stale: ${f}`);
    for (const f of orphans) console.error(`unexpected (no spec generates it): ${f}`);
    console.error("generated/ does not match specs/: run `npm run generate`.");
    return 1;
  }

  await mkdir(path.join(ROOT, OUT_DIR), { recursive: true });
  for (const file of stale) await writeFile(path.join(ROOT, file), files.get(file));
  console.log(`generate: ${stale.length} file(s) written, ${files.size - stale.length} unchanged.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof GenerateError ? `generate: ${error.message}` : error);
    process.exitCode = 1;
  },
);
