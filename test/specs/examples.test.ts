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
import { providerNames, type ProviderName } from "../../src/index.js";
import { wires } from "../helpers/wire.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
type Provider = ProviderName;

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

/** Follows a local `$ref` (responses, headers and parameters may be shared components). */
function resolved<T>(spec: Spec, node: T): T {
  const ref = (node as { $ref?: string } | null)?.$ref;
  if (typeof ref !== "string") return node;
  let target: unknown = spec;
  for (const key of ref.slice(2).split("/")) target = (target as Record<string, unknown>)[key];
  return resolved(spec, target as T);
}

/** The spec's `deleteContact` operation (a spec may describe other operations too). */
function operationOf(spec: Spec): Operation {
  const found = Object.values(spec.paths).find(
    (item) => (item.delete as { operationId?: string } | undefined)?.operationId === "deleteContact",
  );
  if (!found) throw new Error("spec has no deleteContact operation");
  return found.delete;
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

for (const provider of providerNames) {
  const spec = loadSpec(provider);
  const op = operationOf(spec);

  describe(`${provider}: response examples match their schemas`, () => {
    for (const [status, ref] of Object.entries(op.responses)) {
      const response = resolved(spec, ref);
      for (const [contentType, media] of Object.entries(response.content ?? {})) {
        for (const [name, example] of Object.entries(media.examples ?? {})) {
          it(`${status} ${contentType} example "${name}"`, () => {
            expect(check(compile(spec, media.schema), example.value)).toBe("");
          });
        }
      }
      for (const [headerName, headerRef] of Object.entries(response.headers ?? {})) {
        const header = resolved(spec, headerRef);
        it(`${status} header ${headerName} example`, () => {
          expect(header.example).toBeDefined();
          expect(check(compile(spec, header.schema), header.example)).toBe("");
        });
      }
    }
  });

  describe(`${provider}: parameter examples match their schemas`, () => {
    for (const param of op.parameters.map((p) => resolved(spec, p))) {
      it(`${param.in} parameter ${param.name}`, () => {
        expect(param.example).toBeDefined();
        expect(check(compile(spec, param.schema), param.example)).toBe("");
      });
    }
  });

  describe(`${provider}: spec conventions`, () => {
    it("documents exactly the expected statuses", () => {
      expect(Object.keys(op.responses).sort()).toEqual(wires[provider].documentedStatuses.map(String).sort());
    });

    it("every response has application/json with a schema and at least one example (a 204 has no body)", () => {
      for (const [status, ref] of Object.entries(op.responses)) {
        const response = resolved(spec, ref);
        if (status === "204") {
          expect(response.content, "a 204 has no content").toBeUndefined();
          continue;
        }
        const media = response.content?.["application/json"];
        expect(media?.schema, `${status} schema`).toBeDefined();
        expect(Object.keys(media?.examples ?? {}).length, `${status} examples`).toBeGreaterThan(0);
      }
    });

    it("429 carries the provider's rate-limit headers", () => {
      expect(Object.keys(resolved(spec, op.responses["429"])?.headers ?? {})).toEqual(wires[provider].rateLimitHeaders);
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
    const header = operationOf(close).responses["429"]!.headers!.RateLimit!;
    expect(check(compile(close, header.schema), "limit=100, remaining=0, reset=1")).toBe("");
    expect(check(compile(close, header.schema), "100")).toMatch(/pattern/);
  });
});
