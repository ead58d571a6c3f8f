/**
 * A deliberately tiny JSON Schema checker for OpenAPI *parameter* values as they arrive on the wire
 * (strings). It covers the keywords our specs use on parameters (type, enum, const, pattern,
 * format uuid/date, minimum/maximum, minLength/maxLength, items, minItems/maxItems/uniqueItems,
 * properties,
 * additionalProperties, anyOf/oneOf/allOf) and nothing else: `contactkit/testing` ships in the
 * package, so pulling ajv in at runtime is not an option. Unknown keywords are ignored (lenient),
 * which is the right failure mode for a fake: it may accept too much, never reject a valid call.
 *
 * Schemas are compiled once into closures so the per-request cost is a few comparisons.
 */

/** Returns `null` when the value is valid, else a short human-readable reason. */
export type WireCheck = (value: WireValue) => string | null;

/** What a parameter looks like after query/header parsing. */
export type WireValue = string | string[] | Record<string, string>;

type Schema = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INTEGER = /^-?\d+$/;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The first non-"null" type of `type: x` or `type: [x, "null"]` (3.1 style). */
function primaryType(schema: Schema): string | undefined {
  const t = schema.type;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.find((x): x is string => typeof x === "string" && x !== "null");
  if (schema.items !== undefined) return "array";
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return "object";
  return undefined;
}

/** Whether the schema describes a list or a map (drives query parsing). */
export function schemaShape(schema: unknown): "array" | "object" | "scalar" {
  if (!isSchema(schema)) return "scalar";
  const t = primaryType(schema);
  if (t === "array") return "array";
  if (t === "object") return "object";
  return "scalar";
}

/** Wire strings become the JSON value the schema talks about (for enum/const/minimum). */
function coerce(type: string | undefined, raw: string): { value: unknown } | { error: string } {
  switch (type) {
    case "integer":
      if (!INTEGER.test(raw)) return { error: `expected an integer, got "${raw}"` };
      return { value: Number(raw) };
    case "number": {
      const n = raw.trim() === "" ? NaN : Number(raw);
      if (!Number.isFinite(n)) return { error: `expected a number, got "${raw}"` };
      return { value: n };
    }
    case "boolean":
      if (raw === "true") return { value: true };
      if (raw === "false") return { value: false };
      return { error: `expected true or false, got "${raw}"` };
    default:
      return { value: raw };
  }
}

function compileScalar(schema: Schema): (raw: string) => string | null {
  const type = primaryType(schema);
  const enumValues = Array.isArray(schema.enum) ? schema.enum : undefined;
  const hasConst = "const" in schema;
  const pattern = typeof schema.pattern === "string" ? new RegExp(schema.pattern, "u") : undefined;
  const format = typeof schema.format === "string" ? schema.format : undefined;
  const minimum = typeof schema.minimum === "number" ? schema.minimum : undefined;
  const maximum = typeof schema.maximum === "number" ? schema.maximum : undefined;
  const exclusiveMinimum = typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum : undefined;
  const exclusiveMaximum = typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum : undefined;
  const minLength = typeof schema.minLength === "number" ? schema.minLength : undefined;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : undefined;

  return (raw) => {
    const coerced = coerce(type, raw);
    if ("error" in coerced) return coerced.error;
    const value = coerced.value;
    if (enumValues && !enumValues.includes(value)) return `"${raw}" is not one of ${JSON.stringify(enumValues)}`;
    if (hasConst && value !== schema.const) return `"${raw}" is not ${JSON.stringify(schema.const)}`;
    if (typeof value === "number") {
      if (minimum !== undefined && value < minimum) return `${raw} is below the minimum ${minimum}`;
      if (maximum !== undefined && value > maximum) return `${raw} is above the maximum ${maximum}`;
      if (exclusiveMinimum !== undefined && value <= exclusiveMinimum) return `${raw} must be > ${exclusiveMinimum}`;
      if (exclusiveMaximum !== undefined && value >= exclusiveMaximum) return `${raw} must be < ${exclusiveMaximum}`;
    }
    if (typeof value === "string") {
      if (minLength !== undefined && [...value].length < minLength) return `"${raw}" is shorter than ${minLength}`;
      if (maxLength !== undefined && [...value].length > maxLength) return `"${raw}" is longer than ${maxLength}`;
      if (pattern && !pattern.test(value)) return `"${raw}" does not match ${pattern.source}`;
      if (format === "uuid" && !UUID.test(value)) return `"${raw}" is not a uuid`;
      if (format === "date" && !DATE.test(value)) return `"${raw}" is not a date`;
    }
    return null;
  };
}

/** Compile a parameter schema into a checker. A non-object schema accepts anything. */
export function compileWireSchema(schema: unknown): WireCheck {
  if (!isSchema(schema)) return () => null;

  // Combinators first: they wrap whatever the rest of the schema says.
  const own = compileWithoutCombinators(schema);
  const anyOf = [schema.anyOf, schema.oneOf].filter(Array.isArray).map((list) => list.map(compileWireSchema));
  const allOf = Array.isArray(schema.allOf) ? schema.allOf.map(compileWireSchema) : [];
  if (anyOf.length === 0 && allOf.length === 0) return own;

  return (value) => {
    const ownError = own(value);
    if (ownError) return ownError;
    for (const check of allOf) {
      const error = check(value);
      if (error) return error;
    }
    for (const branches of anyOf) {
      // oneOf is checked like anyOf: exclusivity never matters for the wire strings we see.
      let firstError: string | null = null;
      let ok = false;
      for (const check of branches) {
        const error = check(value);
        if (!error) {
          ok = true;
          break;
        }
        firstError ??= error;
      }
      if (!ok) return firstError ?? "no alternative matched";
    }
    return null;
  };
}

function compileWithoutCombinators(schema: Schema): WireCheck {
  const shape = schemaShape(schema);

  if (shape === "array") {
    const items = isSchema(schema.items) ? compileScalar(schema.items) : () => null;
    const minItems = typeof schema.minItems === "number" ? schema.minItems : undefined;
    const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : undefined;
    const uniqueItems = schema.uniqueItems === true;
    return (value) => {
      const list = typeof value === "string" ? [value] : Array.isArray(value) ? value : undefined;
      if (!list) return "expected a list";
      if (minItems !== undefined && list.length < minItems) return `expected at least ${minItems} items`;
      if (maxItems !== undefined && list.length > maxItems) return `expected at most ${maxItems} items`;
      if (uniqueItems && new Set(list).size !== list.length) return "items must be unique";
      for (const item of list) {
        const error = items(item);
        if (error) return error;
      }
      return null;
    };
  }

  if (shape === "object") {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const checks = new Map(Object.entries(properties).map(([k, s]) => [k, compileScalar(isSchema(s) ? s : {})]));
    const extra = schema.additionalProperties;
    const extraCheck = isSchema(extra) ? compileScalar(extra) : undefined;
    const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
    return (value) => {
      if (typeof value === "string" || Array.isArray(value)) return "expected key/value pairs";
      for (const key of required) if (typeof key === "string" && !(key in value)) return `missing "${key}"`;
      for (const [key, raw] of Object.entries(value)) {
        const check = checks.get(key) ?? extraCheck;
        if (!check) {
          if (extra === false) return `unexpected key "${key}"`;
          continue;
        }
        const error = check(raw);
        if (error) return `${key}: ${error}`;
      }
      return null;
    };
  }

  const scalar = compileScalar(schema);
  return (value) => (typeof value === "string" ? scalar(value) : "expected a single value");
}

/** `+` is a space in form-encoded query strings; a malformed `%` escape is reported, not thrown. */
function decodeQueryComponent(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.includes("+") ? raw.replaceAll("+", " ") : raw);
  } catch {
    return undefined;
  }
}

/** Decoded query pairs grouped by key, in arrival order. `undefined` when an escape is malformed. */
export function parseQuery(raw: string): Map<string, string[]> | undefined {
  const pairs = new Map<string, string[]>();
  if (raw === "") return pairs;
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = decodeQueryComponent(eq === -1 ? part : part.slice(0, eq));
    const value = decodeQueryComponent(eq === -1 ? "" : part.slice(eq + 1));
    if (key === undefined || value === undefined) return undefined;
    const list = pairs.get(key);
    if (list) list.push(value);
    else pairs.set(key, [value]);
  }
  return pairs;
}

export interface QueryParameterShape {
  readonly name: string;
  readonly schema?: unknown;
  readonly style?: string | undefined;
  readonly explode?: boolean | undefined;
}

const DELIMITERS: Record<string, string> = { form: ",", spaceDelimited: " ", pipeDelimited: "|" };

/**
 * Build a reader for one query parameter that understands its OpenAPI serialization:
 * - arrays, `style: form, explode: false` → `include=a,b` (also space/pipe delimited);
 * - arrays, exploded → `x=a&x=b`, and the bracket form `x[]=a&x[]=b` (Truto documents brackets
 *   whether or not the spec names the parameter `x[]`);
 * - objects, `style: deepObject` (and by default) → `remote_query[foo]=bar`;
 * - scalars → the first `name=value`.
 * Returns `undefined` when the parameter is absent.
 */
export function queryReader(param: QueryParameterShape): (query: Map<string, string[]>) => WireValue | undefined {
  const shape = schemaShape(param.schema);
  const base = param.name.endsWith("[]") ? param.name.slice(0, -2) : param.name;

  if (shape === "array") {
    const style = param.style ?? "form";
    const explode = param.explode ?? style === "form";
    const delimiter = explode ? undefined : DELIMITERS[style];
    const keys = [base, `${base}[]`];
    return (query) => {
      let found = false;
      const out: string[] = [];
      for (const key of keys) {
        const values = query.get(key);
        if (!values) continue;
        found = true;
        for (const value of values) {
          if (delimiter !== undefined) out.push(...value.split(delimiter));
          else out.push(value);
        }
      }
      return found ? out : undefined;
    };
  }

  if (shape === "object") {
    const prefix = `${base}[`;
    return (query) => {
      let out: Record<string, string> | undefined;
      for (const [key, values] of query) {
        if (!key.startsWith(prefix) || !key.endsWith("]")) continue;
        out ??= {};
        out[key.slice(prefix.length, -1)] = values[0] ?? "";
      }
      return out;
    };
  }

  return (query) => query.get(param.name)?.[0];
}
