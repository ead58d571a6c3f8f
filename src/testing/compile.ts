/**
 * Compiling one provider's manifest entry into what the fake checks and answers: its route, id and
 * parameter checks, security alternatives and prepared responses. Everything here is derived from
 * spec data plus the provider's tooling rules (src/providers/<name>/tooling.ts, `fake.rules`).
 */
import { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { ProviderName } from "../providers/names.js";
import { toolingRegistry } from "../tooling-registry.js";
import type { FakeRules } from "../tooling.js";
import { compileWireSchema, queryReader, schemaShape, type WireCheck, type WireValue } from "./schema.js";

// ---------------------------------------------------------------------------------------------
// Manifest shape (structural and readonly, so both a typed and an `as const` manifest fit).

export interface FakeManifestParameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: unknown;
  readonly style?: string;
  readonly explode?: boolean;
}

export interface FakeManifestExample {
  readonly status: number;
  readonly name?: string;
  /** Absent when the response has no content (a bodiless 2xx such as 204). */
  readonly body?: unknown;
  readonly contentType?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  /** 404s: whether this is the provider's own "contact does not exist" answer (the spec's x-contactkit-not-found). */
  readonly contactNotFound?: boolean;
}

export interface FakeProviderManifest {
  readonly operation: {
    readonly path: string;
    readonly parameters: readonly FakeManifestParameter[];
    readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
    readonly securitySchemes?: Readonly<
      Record<string, { readonly type: string; readonly scheme?: string; readonly name?: string; readonly in?: string }>
    >;
  };
  readonly examples: readonly FakeManifestExample[];
  /**
   * Every operation by operationId; `getContact` (when present) is served for GETs, from the same
   * contact state. @default only the delete
   */
  readonly operations?: {
    readonly [operationId: string]: FakeProviderManifest["operation"] & { readonly examples: readonly FakeManifestExample[] };
  };
}

export type FakeManifest = { readonly [P in ProviderName]: FakeProviderManifest };

/** A provider's fake rules, typed loosely: each rule only ever sees its own provider's credentials. */
export function rulesOf(name: ProviderName): FakeRules<Record<string, string>> {
  return toolingRegistry[name].fake.rules as unknown as FakeRules<Record<string, string>>;
}

/** Example headers we compute from the real window instead of echoing the spec's sample values. */
const RATE_HEADER = /^(retry-after|ratelimit(-.*)?|x-([a-z]+-)?ratelimit-.*)$/i;

/** Header parameters OpenAPI says to ignore (they are described by other means). */
const IGNORED_HEADER_PARAMS = new Set(["authorization", "content-type", "accept"]);

// ---------------------------------------------------------------------------------------------
// Compilation of one provider's manifest entry.

export interface PreparedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  contentType: string | undefined;
}

export interface CompiledParam {
  name: string;
  required: boolean;
  check: WireCheck;
}

export type AuthCheck = (
  authorization: string | undefined,
  req: IncomingMessage,
  query: () => Map<string, string[]> | undefined,
) => boolean;

export interface CompiledProvider {
  name: ProviderName;
  route: RegExp;
  checkId: WireCheck;
  canonicalId(id: string): string;
  headerParams: (CompiledParam & { key: string })[];
  queryParams: (CompiledParam & { read: (q: Map<string, string[]>) => WireValue | undefined })[];
  /** Alternatives (OR) of requirements (AND); empty = no auth required. */
  security: AuthCheck[][];
  success: {
    status: number;
    parts: string[] | null;
    idAsNumber: boolean;
    headers: Record<string, string>;
    contentType: string | undefined;
  };
  responses: Map<number, PreparedResponse>;
  named: Map<string, PreparedResponse>;
  resetStyle: "seconds" | "epoch";
  exampleIds: string[];
  /** The provider's own request-id headers; each answer carries the fake's request id in them too. */
  requestIdHeaders: string[];
  /** The HTTP method this operation answers (`DELETE` for the provider itself). */
  method: string;
  /** The read-one-contact operation (`getContact`), compiled the same way; null when the spec has none. */
  read: CompiledProvider | null;
}

const ID_PLACEHOLDER = "\u0000contactkit-fake-id\u0000";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Example headers that carry a request id (`X-Request-Id`, `X-HubSpot-Correlation-Id`): the fake sends its own per request. */
const REQUEST_ID_HEADER = /(request|correlation)-id$/i;

function nonRateHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!RATE_HEADER.test(name) && !REQUEST_ID_HEADER.test(name)) out[name] = String(value);
  }
  return out;
}

/** The request-id headers a provider's examples name, besides the fake's own `x-request-id`. */
function requestIdHeaders(examples: readonly FakeManifestExample[]): string[] {
  const names = examples.flatMap((e) => Object.keys(e.headers ?? {})).filter((name) => REQUEST_ID_HEADER.test(name));
  return [...new Set(names.filter((name) => name.toLowerCase() !== "x-request-id"))];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function exampleIdOf(body: unknown): unknown {
  if (!isRecord(body)) return undefined;
  if ("id" in body) return body.id;
  if (isRecord(body.data) && "id" in body.data) return body.data.id;
  return undefined;
}

/**
 * Pre-serialize the success body with a placeholder where the id goes, split around it: per
 * request we only join the parts with the JSON-encoded id (no JSON.stringify of the whole body).
 */
function successTemplate(body: unknown): { parts: string[] | null; idAsNumber: boolean } {
  if (!isRecord(body)) return { parts: null, idAsNumber: false };
  const copy: Record<string, unknown> = { ...body };
  let original: unknown;
  if ("id" in copy) {
    original = copy.id;
    copy.id = ID_PLACEHOLDER;
  } else if (isRecord(copy.data) && "id" in copy.data) {
    original = copy.data.id;
    copy.data = { ...copy.data, id: ID_PLACEHOLDER };
  } else {
    return { parts: null, idAsNumber: false };
  }
  return { parts: JSON.stringify(copy).split(JSON.stringify(ID_PLACEHOLDER)), idAsNumber: typeof original === "number" };
}

/**
 * Responses: the first example of each status, in spec order (plus every example by name, for
 * the rare case where a rule knows which documented example fits better), the success template,
 * the ids success examples carry, and whether rate-limit resets are epoch seconds.
 */
function compileResponses(examples: readonly FakeManifestExample[]) {
  const responses = new Map<number, PreparedResponse>();
  const named = new Map<string, PreparedResponse>();
  const contactGone = new Set<number>();
  let success: CompiledProvider["success"] | undefined;
  const exampleIds: string[] = [];
  let resetStyle: "seconds" | "epoch" = "seconds";
  for (const example of examples) {
    const isSuccess = example.status >= 200 && example.status < 300;
    const id = exampleIdOf(example.body);
    if (isSuccess && (typeof id === "string" || typeof id === "number")) exampleIds.push(String(id));
    for (const [header, value] of Object.entries(example.headers ?? {})) {
      // A reset value that looks like a Unix time tells us the provider sends epoch seconds.
      if (/reset$/i.test(header) && Number(value) > 1e9) resetStyle = "epoch";
    }
    const contentType = example.body === undefined ? undefined : (example.contentType ?? "application/json");
    const headers = nonRateHeaders(example.headers);
    const body =
      example.body === undefined
        ? ""
        : typeof example.body === "string" && !/json/i.test(contentType ?? "")
          ? example.body
          : JSON.stringify(example.body);
    const prepared: PreparedResponse = { status: example.status, headers, body, contentType };
    if (example.name !== undefined && !named.has(example.name)) named.set(example.name, prepared);
    // The "no such contact" 404 must be the provider's own answer, wherever the spec lists it.
    if (example.contactNotFound === true && !contactGone.has(example.status)) {
      contactGone.add(example.status);
      responses.set(example.status, prepared);
    }
    if (responses.has(example.status)) continue;
    responses.set(example.status, prepared);
    if (isSuccess && !success) {
      const t = successTemplate(example.body);
      success = { status: example.status, parts: t.parts, idAsNumber: t.idAsNumber, headers, contentType };
    }
  }
  // A spec without a 2xx example documents no body: answer 200 with none.
  success ??= { status: 200, parts: null, idAsNumber: false, headers: {}, contentType: undefined };
  return { responses, named, success, exampleIds, resetStyle };
}

export function compileProvider(name: ProviderName, entry: FakeProviderManifest, credentials: Record<string, string>): CompiledProvider {
  const getContact = entry.operations?.getContact;
  const read = getContact ? compileOperation(name, { operation: getContact, examples: getContact.examples }, credentials, "GET") : null;
  return { ...compileOperation(name, entry, credentials, "DELETE"), read };
}

function compileOperation(
  name: ProviderName,
  entry: FakeProviderManifest,
  credentials: Record<string, string>,
  method: string,
): CompiledProvider {
  const { operation } = entry;
  const rules = rulesOf(name);

  // Route: every `{param}` of the template matches one raw (still encoded) segment; only the id
  // parameter captures, so `match[1]` is always the id.
  const idParam = operation.parameters.find((p) => p.in === "path");
  let idSeen = false;
  const pattern = operation.path.replace(/\{([^}]+)\}|[^{]+/g, (token, param: string | undefined) => {
    if (param === undefined) return escapeRegExp(token);
    if (!idSeen && (idParam === undefined || param === idParam.name)) {
      idSeen = true;
      return "([^/]+)";
    }
    return "(?:[^/]+)";
  });
  if (!idSeen) throw new Error(`contactkit/testing: ${name} path ${operation.path} has no id parameter`);
  const route = new RegExp(`^${pattern}$`);

  const checkId = compileWireSchema(idParam?.schema);
  const idIsInteger = isRecord(idParam?.schema) && schemaShape(idParam.schema) === "scalar" && idParam.schema.type === "integer";
  // Integer ids are compared by value (`/api/contact/007` is contact 7).
  const canonicalId = idIsInteger ? (id: string) => (/^-?\d+$/.test(id) ? BigInt(id).toString() : id) : (id: string) => id;

  const headerParams = operation.parameters
    .filter((p) => p.in === "header" && !IGNORED_HEADER_PARAMS.has(p.name.toLowerCase()))
    .map((p) => ({ name: p.name, key: p.name.toLowerCase(), required: p.required === true, check: compileWireSchema(p.schema) }));
  const queryParams = operation.parameters
    .filter((p) => p.in === "query")
    .map((p) => ({ name: p.name, required: p.required === true, check: compileWireSchema(p.schema), read: queryReader(p) }));

  const security = compileSecurity(name, operation, rules, credentials);

  const { responses, named, success, exampleIds, resetStyle } = compileResponses(entry.examples);

  // Example ids also come from the path parameter's own example(s).
  if (isRecord(idParam?.schema)) {
    const s = idParam.schema;
    if (s.example !== undefined) exampleIds.unshift(String(s.example));
    if (Array.isArray(s.examples)) exampleIds.unshift(...s.examples.map(String));
  }
  const p = idParam as (FakeManifestParameter & { example?: unknown; examples?: unknown }) | undefined;
  if (p?.example !== undefined) exampleIds.unshift(String(p.example));

  return {
    name,
    route,
    checkId,
    canonicalId,
    headerParams,
    queryParams,
    security,
    success,
    responses,
    named,
    resetStyle,
    exampleIds: [...new Set(exampleIds.map(canonicalId))],
    requestIdHeaders: requestIdHeaders(entry.examples),
    method,
    read: null,
  };
}

function compileSecurity(
  name: ProviderName,
  operation: FakeProviderManifest["operation"],
  rules: FakeRules<Record<string, string>>,
  credentials: Record<string, string>,
): AuthCheck[][] {
  const schemes = operation.securitySchemes ?? {};
  return (operation.security ?? []).map((alternative) =>
    Object.keys(alternative).map((schemeName): AuthCheck => {
      const scheme = schemes[schemeName];
      if (!scheme) throw new Error(`contactkit/testing: ${name} security references unknown scheme ${schemeName}`);
      const type = scheme.type.toLowerCase();
      const httpScheme = (scheme.scheme ?? "").toLowerCase();

      if (type === "http" && httpScheme === "basic") {
        const expected = rules.basic?.(credentials);
        if (!expected) return () => false;
        const token = Buffer.from(`${expected.user}:${expected.password}`, "utf8").toString("base64");
        return (authorization) => {
          if (!authorization || !/^basic\s/i.test(authorization)) return false;
          const given = authorization.slice(6).trim();
          // Compare decoded values so padding/whitespace variants of the same pair still pass.
          return given === token || Buffer.from(given, "base64").toString("utf8") === `${expected.user}:${expected.password}`;
        };
      }

      if (type === "apikey") {
        const expected = rules.bearer(credentials);
        const key = (scheme.name ?? "").toLowerCase();
        if (scheme.in === "query") return (_a, _r, query) => query()?.get(scheme.name ?? "")?.[0] === expected;
        if (scheme.in === "cookie") {
          return (_a, req) => (req.headers.cookie ?? "").split(";").some((c) => c.trim() === `${scheme.name}=${expected}`);
        }
        return (_a, req) => req.headers[key] === expected;
      }

      // http bearer, and oauth2 / openIdConnect (which put a bearer token in Authorization).
      const expected = `bearer ${rules.bearer(credentials)}`;
      return (authorization) =>
        authorization !== undefined &&
        authorization.length === expected.length &&
        authorization.slice(0, 7).toLowerCase() === "bearer " &&
        authorization.slice(7) === expected.slice(7);
    }),
  );
}
