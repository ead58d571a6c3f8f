// Every example in specs/*.yaml (response bodies, response headers, parameters) validates against
// its own schema with an independent JSON Schema 2020-12 validator (Ajv), plus structural checks
// of the spec conventions and negative controls proving the validator really rejects bad data.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv/dist/2020.js";
import formats from "ajv-formats";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PROVIDERS = ["userapi", "truto", "wethod", "close", "featurebase"] as const;
type Provider = (typeof PROVIDERS)[number];

/** Documented (or, for userapi, assumed) statuses, in spec order. */
const EXPECTED_STATUSES: Record<Provider, string[]> = {
  userapi: ["200", "401", "404", "429"],
  truto: ["200", "400", "401", "403", "404", "405", "409", "422", "429", "500", "502", "503", "504"],
  wethod: ["200", "400", "401", "403", "404", "412", "429"],
  close: ["200", "400", "401", "403", "404", "429"],
  featurebase: ["200", "400", "401", "403", "404", "429", "500"],
};

/** Rate-limit headers each provider sends with a 429. */
const RATE_LIMIT_HEADERS: Record<Provider, string[]> = {
  userapi: ["Retry-After"],
  truto: ["Retry-After", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"],
  wethod: ["x-ratelimit-retry-after"],
  close: ["RateLimit"],
  featurebase: ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Spec {
  paths: Record<string, { delete: Operation }>;
  components?: { schemas?: Record<string, Json> };
}
interface Operation {
  parameters: Array<{ name: string; in: string; schema: Json; example: Json }>;
  responses: Record<
    string,
    {
      headers?: Record<string, { schema: Json; example: Json }>;
      content: Record<string, { schema: Json; examples: Record<string, { summary: string; value: Json }> }>;
    }
  >;
}

function loadSpec(provider: Provider): Spec {
  return parse(readFileSync(`${ROOT}specs/${provider}.yaml`, "utf8")) as Spec;
}

function operationOf(spec: Spec): Operation {
  const [pathItem] = Object.values(spec.paths);
  if (!pathItem) throw new Error("spec has no path");
  return pathItem.delete;
}

/** Rewrites `#/components/schemas/X` refs to `#/$defs/X` so Ajv resolves them within one schema. */
function rewriteRefs(value: Json): Json {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === "$ref" && typeof v === "string" ? v.replace(/^#\/components\/schemas\//, "#/$defs/") : rewriteRefs(v);
  }
  return out;
}

function makeAjv(): Ajv2020 {
  // strict mode stays on: only the OpenAPI-specific annotation keywords are declared as known.
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  formats.default(ajv);
  ajv.addVocabulary(["example", "discriminator", "xml", "externalDocs"]);
  return ajv;
}

const ajv = makeAjv();

function compile(spec: Spec, schema: Json): ValidateFunction {
  const root = rewriteRefs(schema);
  const wrapped: JsonObject = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    allOf: [root],
    $defs: rewriteRefs(spec.components?.schemas ?? {}),
  };
  return ajv.compile(wrapped);
}

function check(validate: ValidateFunction, value: unknown): string {
  return validate(value) ? "" : ajv.errorsText(validate.errors, { separator: "; " });
}

/** JSON paths of every `additionalProperties: false` in a document. */
function closedObjects(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => closedObjects(v, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === "additionalProperties" && v === false ? [`${path}.${k}`] : closedObjects(v, `${path}.${k}`),
  );
}

for (const provider of PROVIDERS) {
  const spec = loadSpec(provider);
  const op = operationOf(spec);

  describe(`${provider}: response examples match their schemas`, () => {
    for (const [status, response] of Object.entries(op.responses)) {
      for (const [contentType, media] of Object.entries(response.content ?? {})) {
        for (const [name, example] of Object.entries(media.examples ?? {})) {
          it(`${status} ${contentType} example "${name}"`, () => {
            expect(check(compile(spec, media.schema), example.value)).toBe("");
          });
        }
      }
      for (const [headerName, header] of Object.entries(response.headers ?? {})) {
        it(`${status} header ${headerName} example`, () => {
          expect(header.example).toBeDefined();
          expect(check(compile(spec, header.schema), header.example)).toBe("");
        });
      }
    }
  });

  describe(`${provider}: parameter examples match their schemas`, () => {
    for (const param of op.parameters) {
      it(`${param.in} parameter ${param.name}`, () => {
        expect(param.example).toBeDefined();
        expect(check(compile(spec, param.schema), param.example)).toBe("");
      });
    }
  });

  describe(`${provider}: spec conventions`, () => {
    it("documents exactly the expected statuses", () => {
      expect(Object.keys(op.responses).sort()).toEqual([...EXPECTED_STATUSES[provider]].sort());
    });

    it("every response has application/json with a schema and at least one example", () => {
      for (const [status, response] of Object.entries(op.responses)) {
        const media = response.content?.["application/json"];
        expect(media?.schema, `${status} schema`).toBeDefined();
        expect(Object.keys(media?.examples ?? {}).length, `${status} examples`).toBeGreaterThan(0);
      }
    });

    it("429 carries the provider's rate-limit headers", () => {
      expect(Object.keys(op.responses["429"]?.headers ?? {})).toEqual(RATE_LIMIT_HEADERS[provider]);
    });

    it("stays lenient: no `additionalProperties: false` anywhere", () => {
      expect(closedObjects(spec)).toEqual([]);
    });
  });
}

describe("negative controls: the validator rejects broken data", () => {
  const featurebase = loadSpec("featurebase");
  const truto = loadSpec("truto");
  const close = loadSpec("close");
  const wethod = loadSpec("wethod");
  const schemaOf = (spec: Spec, status: string) => operationOf(spec).responses[status]!.content["application/json"]!.schema;
  const paramSchema = (spec: Spec, name: string) => operationOf(spec).parameters.find((p) => p.name === name)!.schema;

  it("rejects a Featurebase deletion with deleted: false or a missing field", () => {
    const validate = compile(featurebase, schemaOf(featurebase, "200"));
    expect(check(validate, { id: "507f1f77bcf86cd799439011", deleted: true, object: "contact" })).toBe("");
    expect(check(validate, { id: "507f1f77bcf86cd799439011", deleted: false, object: "contact" })).toMatch(/deleted/);
    expect(check(validate, { id: "507f1f77bcf86cd799439011", object: "contact" })).toMatch(/deleted/);
  });

  it("rejects a Featurebase error envelope without error.status (nested $ref is followed)", () => {
    const validate = compile(featurebase, schemaOf(featurebase, "404"));
    expect(check(validate, { error: { type: "invalid_request_error", code: "resource_not_found", message: "x" } })).toMatch(/status/);
  });

  it("rejects a Truto contact without id and an error without statusCode", () => {
    expect(check(compile(truto, schemaOf(truto, "200")), { name: "Jane" })).toMatch(/id/);
    expect(check(compile(truto, schemaOf(truto, "404")), { error: "Not Found", message: "x" })).toMatch(/statusCode/);
  });

  it("rejects malformed parameters (pattern, minimum, uuid format, enum)", () => {
    expect(check(compile(featurebase, paramSchema(featurebase, "id")), "not-an-object-id")).toMatch(/pattern/);
    expect(check(compile(wethod, paramSchema(wethod, "id")), 0)).toMatch(/>= 1/);
    expect(check(compile(truto, paramSchema(truto, "integrated_account_id")), "not-a-uuid")).toMatch(/format/);
    expect(check(compile(featurebase, paramSchema(featurebase, "Featurebase-Version")), "2024-01-01")).toMatch(/allowed values/);
  });

  it("rejects a malformed Close RateLimit header", () => {
    const header = operationOf(close).responses["429"]!.headers!["RateLimit"]!;
    expect(check(compile(close, header.schema), "limit=100, remaining=0, reset=1")).toBe("");
    expect(check(compile(close, header.schema), "100")).toMatch(/pattern/);
  });
});
