import { Buffer } from "node:buffer";
import {
  createServer,
  STATUS_CODES,
  validateHeaderName,
  validateHeaderValue,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { isProviderName, providerNames, type ProviderName } from "../providers/names.js";
import { compileWireSchema, parseQuery, queryReader, schemaShape, type WireCheck, type WireValue } from "./schema.js";
import { seedIds } from "./seeds.js";
import type {
  FakeClientConfig,
  FakeCredentials,
  FakeFault,
  FakeProviders,
  FakeProvidersOptions,
  RecordedRequest,
} from "./types.js";

/*
 * The engine behind `startFakeProviders`. It takes the manifest as an argument (instead of
 * importing `generated/manifest.ts`) so everything the fake does is visibly derived from spec
 * data: routes, parameter rules, security alternatives and response bodies. The few things a spec
 * cannot express (which credential the account id must equal, a version cut-off, rate-limit header
 * formats) live in `providerRules` below, one entry per provider.
 */

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
  readonly body: unknown;
  readonly contentType?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
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
}

export type FakeManifest = { readonly [P in ProviderName]: FakeProviderManifest };

// ---------------------------------------------------------------------------------------------
// Defaults

/**
 * Fake credentials: obviously fake, stable, and distinct per provider so a mix-up fails auth.
 * Frozen: it is exported, and a caller mutating it would change every later fake's defaults.
 */
export const defaultFakeCredentials: Readonly<FakeCredentials> = Object.freeze({
  userapi: Object.freeze({ token: "fake-userapi-token" }),
  truto: Object.freeze({ token: "fake-truto-token", integratedAccountId: "0f4c2d1e-7b3a-4c5d-9e8f-a1b2c3d4e5f6" }),
  wethod: Object.freeze({ token: "fake-wethod-token", company: "acme" }),
  close: Object.freeze({ apiKey: "api_fakeclosekey0000000000", accessToken: "fake-close-oauth-token" }),
  featurebase: Object.freeze({ apiKey: "sk_fake_featurebase" }),
});

// ---------------------------------------------------------------------------------------------
// Provider rules a spec cannot carry.

interface RateWindow {
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets, at least 1. */
  resetSeconds: number;
  /** Epoch seconds of the reset. */
  resetAt: number;
}

interface ProviderRules {
  /** The bearer token / API key / Basic user each security scheme type must carry. */
  bearer(c: FakeCredentials): string;
  basic?(c: FakeCredentials): { user: string; password: string };
  /** A parameter whose value must equal a configured credential, and the status when it doesn't. */
  account?: {
    in: "query" | "header";
    name: string;
    expected(c: FakeCredentials): string;
    status: number;
    /** The spec example (by name) that describes this case, when there is one. */
    example?: string;
  };
  /** A header whose date-prefixed version must be at least `minimum` (endpoint added then). */
  minVersion?: { header: string; minimum: string };
  /** The provider's own rate-limit headers: informational on every answer, and on the 429. */
  rateHeaders(w: RateWindow, limited: boolean, resetStyle: "seconds" | "epoch"): Record<string, string>;
}

const providerRules: Record<ProviderName, ProviderRules> = {
  // No documented rate-limit headers; only the generic Retry-After on 429.
  userapi: { bearer: (c) => c.userapi.token, rateHeaders: () => ({}) },
  truto: {
    bearer: (c) => c.truto.token,
    // Truto answers 404 when the integrated account isn't visible to the token.
    account: {
      in: "query",
      name: "integrated_account_id",
      expected: (c) => c.truto.integratedAccountId,
      status: 404,
      example: "accountNotFound",
    },
    rateHeaders: (w) => ({
      "ratelimit-limit": String(w.limit),
      "ratelimit-remaining": String(w.remaining),
      "ratelimit-reset": String(w.resetSeconds),
    }),
  },
  wethod: {
    bearer: (c) => c.wethod.token,
    // The token is personal; a company the user is not part of is a permission problem.
    account: { in: "header", name: "wethod-company", expected: (c) => c.wethod.company, status: 403 },
    // Only the 429 carries a hint (seconds).
    rateHeaders: (w, limited): Record<string, string> =>
      limited ? { "x-ratelimit-retry-after": String(w.resetSeconds) } : {},
  },
  close: {
    bearer: (c) => c.close.accessToken,
    basic: (c) => ({ user: c.close.apiKey, password: "" }),
    // IETF draft single header, the format the official client parses.
    rateHeaders: (w) => ({ RateLimit: `limit=${w.limit}, remaining=${w.remaining}, reset=${w.resetSeconds}` }),
  },
  featurebase: {
    bearer: (c) => c.featurebase.apiKey,
    // DELETE /v2/contacts/{id} exists only in 2026-01-01.nova and newer.
    minVersion: { header: "featurebase-version", minimum: "2026-01-01" },
    rateHeaders: (w, _limited, resetStyle) => ({
      "X-RateLimit-Limit": String(w.limit),
      "X-RateLimit-Remaining": String(w.remaining),
      "X-RateLimit-Reset": String(resetStyle === "epoch" ? w.resetAt : w.resetSeconds),
    }),
  },
};

/** Example headers we compute from the real window instead of echoing the spec's sample values. */
const RATE_HEADER = /^(retry-after|ratelimit(-.*)?|x-ratelimit-.*)$/i;

/** Header parameters OpenAPI says to ignore (they are described by other means). */
const IGNORED_HEADER_PARAMS = new Set(["authorization", "content-type", "accept"]);

// ---------------------------------------------------------------------------------------------
// Compilation of one provider's manifest entry.

interface PreparedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  contentType: string | undefined;
}

interface CompiledParam {
  name: string;
  required: boolean;
  check: WireCheck;
}

type AuthCheck = (authorization: string | undefined, req: IncomingMessage, query: () => Map<string, string[]> | undefined) => boolean;

interface CompiledProvider {
  name: ProviderName;
  route: RegExp;
  checkId: WireCheck;
  canonicalId(id: string): string;
  headerParams: (CompiledParam & { key: string })[];
  queryParams: (CompiledParam & { read: (q: Map<string, string[]>) => WireValue | undefined })[];
  /** Alternatives (OR) of requirements (AND); empty = no auth required. */
  security: AuthCheck[][];
  success: { status: number; parts: string[] | null; idAsNumber: boolean; headers: Record<string, string>; contentType: string | undefined };
  responses: Map<number, PreparedResponse>;
  named: Map<string, PreparedResponse>;
  resetStyle: "seconds" | "epoch";
  exampleIds: string[];
}

const ID_PLACEHOLDER = "\u0000contactkit-fake-id\u0000";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function nonRateHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (!RATE_HEADER.test(name)) out[name] = String(value);
  return out;
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

function compileProvider(name: ProviderName, entry: FakeProviderManifest, credentials: FakeCredentials): CompiledProvider {
  const { operation } = entry;
  const rules = providerRules[name];

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

  // Responses: the first example of each status, in spec order (plus every example by name, for
  // the rare case where a rule knows which documented example fits better).
  const responses = new Map<number, PreparedResponse>();
  const named = new Map<string, PreparedResponse>();
  let success: CompiledProvider["success"] | undefined;
  const exampleIds: string[] = [];
  let resetStyle: "seconds" | "epoch" = "seconds";
  for (const example of entry.examples) {
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
    if (responses.has(example.status)) continue;
    responses.set(example.status, prepared);
    if (isSuccess && !success) {
      const t = successTemplate(example.body);
      success = { status: example.status, parts: t.parts, idAsNumber: t.idAsNumber, headers, contentType };
    }
  }
  // A spec without a 2xx example documents no body: answer 200 with none.
  success ??= { status: 200, parts: null, idAsNumber: false, headers: {}, contentType: undefined };

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
  };
}

function compileSecurity(
  name: ProviderName,
  operation: FakeProviderManifest["operation"],
  rules: ProviderRules,
  credentials: FakeCredentials,
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
          return (_a, req) =>
            (req.headers.cookie ?? "").split(";").some((c) => c.trim() === `${scheme.name}=${expected}`);
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

// ---------------------------------------------------------------------------------------------
// The server.

interface QueuedFault {
  fault: FakeFault;
  remaining: number;
}

interface Outcome {
  status: number;
  /** A specific spec example (by name) to answer with instead of the status's first one. */
  example?: string;
  /** Why an error status was chosen; sent as `x-fake-reason` to make failing tests readable. */
  reason?: string;
  id?: string;
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  n: number;
  rawId: string;
  query: string;
  entry: RecordedRequest | undefined;
}

const EMPTY_QUERY = new Map<string, string[]>();

function genericBody(status: number, message: string): string {
  return JSON.stringify({ error: STATUS_CODES[status] ?? "Error", status, message });
}

/** Header values must be latin-1 without control characters. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 300);
}

function validateFault(fault: FakeFault): void {
  if (typeof fault !== "object" || fault === null) throw new TypeError("queueFault: fault must be an object");
  if (fault.provider !== undefined && !isProviderName(fault.provider)) {
    throw new TypeError(`queueFault: unknown provider ${JSON.stringify(fault.provider)}`);
  }
  if (fault.times !== undefined && !(fault.times === Infinity || (Number.isInteger(fault.times) && fault.times >= 1))) {
    throw new TypeError("queueFault: times must be a positive integer (or Infinity)");
  }
  if (fault.delayMs !== undefined && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) {
    throw new TypeError("queueFault: delayMs must be a finite number >= 0");
  }
  if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new TypeError("queueFault: status must be an integer HTTP status (100-599)");
  }
  if (fault.status === undefined && !fault.drop && (fault.headers !== undefined || fault.body !== undefined)) {
    // Without a status the normal handler answers, so headers/body would be silently ignored.
    throw new TypeError("queueFault: headers/body need a status");
  }
  for (const [name, value] of Object.entries(fault.headers ?? {})) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  }
}

export async function startFakeProvidersWith(
  manifest: FakeManifest,
  options: FakeProvidersOptions = {},
): Promise<FakeProviders> {
  const seedCount = options.seedCount ?? 5;
  if (!Number.isInteger(seedCount) || seedCount < 0) throw new TypeError("seedCount must be a non-negative integer");
  const rateOption = options.rateLimit as { perSecond?: number; limit?: number; windowMs?: number } | undefined;
  const perSecond = rateOption ? (rateOption.perSecond ?? rateOption.limit) : undefined;
  const windowMs = rateOption?.perSecond !== undefined ? 1000 : (rateOption?.windowMs ?? 1000);
  if (perSecond !== undefined && !(Number.isInteger(perSecond) && perSecond >= 1)) {
    throw new TypeError("rateLimit.perSecond (or limit) must be a positive integer");
  }
  if (!(Number.isInteger(windowMs) && windowMs >= 1000 && windowMs % 1000 === 0)) {
    throw new TypeError("rateLimit.windowMs must be a whole number of seconds");
  }
  const anyMode = (options.contacts ?? "seeded") === "any";
  const cors = options.cors === true;
  const record = options.record !== false;

  const credentials = {} as FakeCredentials;
  for (const name of providerNames) {
    // Per-provider shallow merge: `{ truto: { token: "x" } }` keeps the default account id.
    Object.assign(credentials, { [name]: { ...defaultFakeCredentials[name], ...options.credentials?.[name] } });
  }

  const compiled = providerNames.map((name) => compileProvider(name, manifest[name], credentials));
  const byName = new Map(compiled.map((p) => [p.name, p]));
  const isWellFormed = (p: CompiledProvider, id: string) => p.checkId(id) === null;

  const seeded = {} as Record<ProviderName, string[]>;
  for (const p of compiled) seeded[p.name] = seedIds(p.name, seedCount, p.exampleIds, (id) => isWellFormed(p, id));

  // State. Seeded mode: the ids still present. "any" mode: only the ids deleted so far.
  const present = new Map<ProviderName, Set<string>>();
  const deleted = new Map<ProviderName, Set<string>>();
  const windows = new Map<ProviderName, { start: number; count: number }>();
  const faults: QueuedFault[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;

  const restore = () => {
    for (const p of compiled) {
      present.set(p.name, new Set(seeded[p.name]));
      deleted.set(p.name, new Set());
    }
    windows.clear();
  };
  restore();

  const exists = (p: CompiledProvider, key: string) =>
    anyMode ? !deleted.get(p.name)!.has(key) : present.get(p.name)!.has(key);

  // --- the normal handler's decision (no I/O, so `applyDelete` can reuse it) ---
  const decide = (ctx: Ctx, p: CompiledProvider): Outcome => {
    const { req } = ctx;
    let parsed: Map<string, string[]> | undefined | null = null;
    const query = () => (parsed === null ? (parsed = ctx.query === "" ? EMPTY_QUERY : parseQuery(ctx.query)) : parsed);

    const authorization = req.headers.authorization;
    if (p.security.length > 0 && !p.security.some((all) => all.every((check) => check(authorization, req, query)))) {
      return { status: 401, reason: authorization ? "credentials not accepted" : "missing credentials" };
    }

    let id: string;
    try {
      id = decodeURIComponent(ctx.rawId);
    } catch {
      return { status: 400, reason: "malformed percent-encoding in the id" };
    }
    const idError = p.checkId(id);
    if (idError) return { status: 400, reason: `id: ${idError}` };

    for (const h of p.headerParams) {
      const value = req.headers[h.key];
      if (value === undefined) {
        if (h.required) return { status: 400, reason: `missing header ${h.name}` };
        continue;
      }
      const error = h.check(Array.isArray(value) ? value.join(", ") : value);
      if (error) return { status: 400, reason: `${h.name}: ${error}` };
    }

    if (p.queryParams.length > 0 || ctx.query !== "") {
      const q = query();
      if (q === undefined) return { status: 400, reason: "malformed percent-encoding in the query" };
      for (const param of p.queryParams) {
        const value = param.read(q);
        if (value === undefined) {
          if (param.required) return { status: 400, reason: `missing query parameter ${param.name}` };
          continue;
        }
        const error = param.check(value);
        if (error) return { status: 400, reason: `${param.name}: ${error}` };
      }
    }

    const rules = providerRules[p.name];
    if (rules.minVersion) {
      const version = req.headers[rules.minVersion.header];
      if (typeof version === "string" && version.slice(0, 10) < rules.minVersion.minimum) {
        return { status: 400, reason: `${rules.minVersion.header} ${version} predates this endpoint` };
      }
    }
    if (rules.account) {
      const { account } = rules;
      const given = account.in === "query" ? query()?.get(account.name)?.[0] : req.headers[account.name];
      if (given !== undefined && given !== account.expected(credentials)) {
        return {
          status: account.status,
          reason: `${account.name} does not match the configured account`,
          ...(account.example !== undefined ? { example: account.example } : {}),
        };
      }
    }

    const key = p.canonicalId(id);
    if (!exists(p, key)) return { status: 404, reason: "no such contact", id };
    if (anyMode) deleted.get(p.name)!.add(key);
    else present.get(p.name)!.delete(key);
    return { status: p.success.status, id };
  };

  // --- writing answers ---
  const baseHeaders = (ctx: Ctx): OutgoingHttpHeaders => {
    const headers: OutgoingHttpHeaders = { "x-request-id": `fake-${ctx.n}` };
    if (cors) {
      headers["access-control-allow-origin"] = "*";
      headers["access-control-expose-headers"] = "*";
    }
    return headers;
  };

  const write = (ctx: Ctx, status: number, headers: OutgoingHttpHeaders, body: string) => {
    const { res } = ctx;
    if (res.destroyed || res.headersSent) return;
    headers["content-length"] = Buffer.byteLength(body);
    res.writeHead(status, headers);
    res.end(body);
    if (ctx.entry) ctx.entry.status = status;
  };

  const sendPrepared = (
    ctx: Ctx,
    p: CompiledProvider,
    status: number,
    reason: string,
    extra?: Record<string, string>,
    exampleName?: string,
  ) => {
    const chosen = exampleName === undefined ? undefined : p.named.get(exampleName);
    const prepared = chosen?.status === status ? chosen : p.responses.get(status);
    const headers = baseHeaders(ctx);
    if (prepared) Object.assign(headers, prepared.headers);
    if (extra) Object.assign(headers, extra);
    headers["x-fake-reason"] = headerSafe(reason);
    const body = prepared ? prepared.body : genericBody(status, reason);
    const contentType = prepared ? prepared.contentType : "application/json";
    if (contentType && body !== "") headers["content-type"] = contentType;
    write(ctx, status, headers, body);
  };

  /** Count the request in its provider's window; the headers to send, and whether it is over. */
  const rateLimit = (p: CompiledProvider): { limited: boolean; headers: Record<string, string> } | undefined => {
    if (perSecond === undefined) return undefined;
    const now = Date.now();
    let w = windows.get(p.name);
    // Windows start on whole wall-clock seconds, as real fixed-window limiters do, so an
    // epoch-style reset (whole seconds) names the true end of the window.
    const start = Math.floor(now / windowMs) * windowMs;
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      windows.set(p.name, w);
    }
    w.count += 1;
    const limited = w.count > perSecond;
    const resetMs = w.start + windowMs - now;
    const window: RateWindow = {
      limit: perSecond,
      remaining: Math.max(0, perSecond - w.count),
      resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
      resetAt: Math.ceil((w.start + windowMs) / 1000),
    };
    const headers = providerRules[p.name].rateHeaders(window, limited, p.resetStyle);
    if (limited) headers["Retry-After"] = String(window.resetSeconds);
    return { limited, headers };
  };

  const normal = (ctx: Ctx, p: CompiledProvider) => {
    if (ctx.req.method !== "DELETE") {
      sendPrepared(ctx, p, 405, `${ctx.req.method} is not allowed here`, { allow: cors ? "DELETE, OPTIONS" : "DELETE" });
      return;
    }
    const rate = rateLimit(p);
    if (rate?.limited) {
      sendPrepared(ctx, p, 429, "rate limit exceeded", rate.headers);
      return;
    }
    const outcome = decide(ctx, p);
    if (outcome.status !== p.success.status || outcome.id === undefined) {
      sendPrepared(ctx, p, outcome.status, outcome.reason ?? "", rate?.headers, outcome.example);
      return;
    }
    const { success } = p;
    const headers = baseHeaders(ctx);
    Object.assign(headers, success.headers);
    if (rate) Object.assign(headers, rate.headers);
    let body: string;
    if (success.parts) {
      const idJson = success.idAsNumber && /^-?\d+$/.test(outcome.id) ? p.canonicalId(outcome.id) : JSON.stringify(outcome.id);
      body = success.parts.join(idJson);
    } else {
      body = p.responses.get(success.status)?.body ?? "";
    }
    if (success.contentType && body !== "") headers["content-type"] = success.contentType;
    write(ctx, success.status, headers, body);
  };

  const takeFault = (p: CompiledProvider): FakeFault | undefined => {
    for (let i = 0; i < faults.length; i++) {
      const queued = faults[i]!;
      if (queued.fault.provider !== undefined && queued.fault.provider !== p.name) continue;
      queued.remaining -= 1;
      if (queued.remaining <= 0) faults.splice(i, 1);
      return queued.fault;
    }
    return undefined;
  };

  const finishFault = (ctx: Ctx, p: CompiledProvider, fault: FakeFault) => {
    if (ctx.res.destroyed) return; // the client went away while we were waiting
    if (fault.drop) {
      ctx.req.socket.destroy();
      return;
    }
    if (fault.status === undefined) {
      normal(ctx, p);
      return;
    }
    const headers = baseHeaders(ctx);
    let body = "";
    if (typeof fault.body === "string") {
      body = fault.body;
      headers["content-type"] = "text/plain; charset=utf-8";
    } else if (fault.body !== undefined) {
      body = JSON.stringify(fault.body);
      headers["content-type"] = "application/json";
    }
    // Given headers win over ours (they may replace content-type or x-request-id on purpose).
    for (const [name, value] of Object.entries(fault.headers ?? {})) {
      for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
      headers[name] = value;
    }
    write(ctx, fault.status, headers, body);
  };

  const playFault = (ctx: Ctx, p: CompiledProvider, fault: FakeFault) => {
    // 1. The work happens (or is refused) exactly as the normal handler would decide it.
    if (fault.applyDelete && ctx.req.method === "DELETE") decide(ctx, p);
    // 2. Then the wait; 3. then drop / canned answer / normal handler.
    const delay = fault.delayMs ?? 0;
    if (delay <= 0) {
      finishFault(ctx, p, fault);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      finishFault(ctx, p, fault);
    }, delay);
    timers.add(timer);
    // A client that gives up (timeout/abort) must not leave our timer behind.
    ctx.res.once("close", () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };

  const preflight = (ctx: Ctx) => {
    const headers = baseHeaders(ctx);
    headers["access-control-allow-methods"] = "DELETE";
    const requested = ctx.req.headers["access-control-request-headers"];
    if (requested) headers["access-control-allow-headers"] = requested;
    headers["access-control-max-age"] = "600";
    headers.vary = "Access-Control-Request-Headers";
    write(ctx, 204, headers, "");
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    // DELETE bodies are meaningless here; drain them so the connection stays reusable.
    req.resume();
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? "" : url.slice(q + 1);

    let provider: CompiledProvider | undefined;
    let rawId = "";
    for (const p of compiled) {
      const match = p.route.exec(path);
      if (match) {
        provider = p;
        rawId = match[1] ?? "";
        break;
      }
    }

    let entry: RecordedRequest | undefined;
    if (record) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      entry = { provider: provider?.name ?? null, method: req.method ?? "", path, query, headers, status: null };
      requests.push(entry);
    }

    const ctx: Ctx = { req, res, n: ++counter, rawId, query, entry };

    if (cors && req.method === "OPTIONS") {
      preflight(ctx);
      return;
    }
    if (!provider) {
      const headers = baseHeaders(ctx);
      headers["content-type"] = "application/json";
      write(ctx, 404, headers, JSON.stringify({ error: "not_found", message: `contactkit fake: no route for ${req.method} ${path}` }));
      return;
    }
    const fault = faults.length > 0 ? takeFault(provider) : undefined;
    if (fault) playFault(ctx, provider, fault);
    else normal(ctx, provider);
  };

  const server = createServer({ noDelay: true }, (req, res) => {
    try {
      onRequest(req, res);
    } catch (error) {
      // A bug in the fake must surface as a 500 the test can see, not as a hung request.
      if (!res.headersSent && !res.destroyed) {
        const body = genericBody(500, `contactkit fake crashed: ${String(error)}`);
        res.writeHead(500, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      }
    }
  });
  // Keep-alive connections are the norm for clients here; keep them warm between test steps.
  server.keepAliveTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;

  const fake: FakeProviders = {
    url,
    port,
    server,
    credentials,
    seeded,
    requests,
    clientConfig<P extends ProviderName>(provider: P): FakeClientConfig<P> {
      const configs: { [K in ProviderName]: FakeClientConfig<K> } = {
        userapi: { provider: "userapi", token: credentials.userapi.token, baseUrl: url },
        truto: {
          provider: "truto",
          token: credentials.truto.token,
          integratedAccountId: credentials.truto.integratedAccountId,
          baseUrl: url,
        },
        wethod: { provider: "wethod", token: credentials.wethod.token, company: credentials.wethod.company, baseUrl: url },
        close: { provider: "close", apiKey: credentials.close.apiKey, baseUrl: url },
        featurebase: { provider: "featurebase", apiKey: credentials.featurebase.apiKey, baseUrl: url },
      };
      if (!isProviderName(provider)) throw new TypeError(`unknown provider ${JSON.stringify(provider)}`);
      return configs[provider];
    },
    queueFault(fault) {
      validateFault(fault);
      // Copy so later mutation by the caller cannot change a queued fault.
      const copy: FakeFault = { ...fault, ...(fault.headers ? { headers: { ...fault.headers } } : {}) };
      faults.push({ fault: copy, remaining: fault.times ?? 1 });
    },
    has(provider, id) {
      const p = byName.get(provider);
      if (!p || !isWellFormed(p, id)) return false;
      return exists(p, p.canonicalId(id));
    },
    reset() {
      // Delayed answers still pending belong to the previous test: they never fire.
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      restore();
      faults.length = 0;
      requests.length = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        faults.length = 0;
        server.close(() => resolve());
        // Idle keep-alive and in-flight (delayed) sockets alike: nothing may outlive close().
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return fake;
}
