/**
 * The facade: one client per provider config, one `deleteContact` that resolves to a normalized
 * result or rejects with a `ContactkitError`. It knows providers only through the registry.
 */
import createOpenApiClient, { type Client } from "openapi-fetch";
import type { AnyAdapter, CommonDeleteOptions, PreparedProvider } from "./adapter.js";
import { configError, isCount, prepareProvider, retryTimingProblem } from "./config.js";
import type { NormalizedContact } from "./contact.js";
import { ContactkitError, classifyStatus, errorText, isContactkitError } from "./errors.js";
import { assertUsableId, invalidId } from "./ids.js";
import { isProviderName, providerNames, type ProviderName } from "./providers/names.js";
import { redactHeaders, scrubText, scrubValue } from "./redact.js";
import { adapterFor, type ConfigOf, type RequestOptionsOf } from "./registry.js";
import { collectReport, runBulk, type BulkItem, type BulkReport, type BulkRunOptions } from "./bulk.js";
import { AdaptiveRateLimiter, readRateLimitHeaders, type RateLimiter } from "./rate-limit.js";
import {
  createResilientFetch,
  defaultSleep,
  type CallState,
  type FetchLike,
  type RetrySettings,
} from "./transport/resilient-fetch.js";

/** A config for any provider, discriminated by `provider`. */
export type ContactsClientConfig = { [P in ProviderName]: ConfigOf<P> }[ProviderName];

/** Options of one `deleteContact` call: the shared ones plus provider `P`'s own. */
export type DeleteContactOptions<P extends ProviderName = ProviderName> = CommonDeleteOptions & RequestOptionsOf<P>;

/** What a successful (or harmlessly absent) delete resolves to. */
export interface DeleteResult<P extends ProviderName = ProviderName> {
  provider: P;
  /** The id as the caller passed it. */
  id: string;
  /** `deleted`: the provider confirmed it. `absent`: the provider says it does not exist (404). */
  outcome: "deleted" | "absent";
  /** The deleted record, normalized, when the provider returns it (userapi, Truto); else null. */
  contact: NormalizedContact | null;
  /** The provider's parsed response body (text if it was not JSON), null when empty. */
  raw: unknown;
  status: number;
  /** The provider's request-id header, if it sent one. */
  requestId: string | null;
  /** HTTP attempts made. */
  attempts: number;
  /**
   * True when an earlier attempt failed in a way that may have applied the delete (timeout,
   * dropped connection, 5xx) and a later one found the contact gone: `absent` then most likely
   * means "deleted by our own earlier attempt".
   */
  afterRetry: boolean;
}

/** Options of a bulk run: pool, pacing and reporting, plus the per-call options applied to every id. */
export type DeleteContactsOptions<P extends ProviderName = ProviderName> = BulkRunOptions &
  Omit<CommonDeleteOptions, "signal"> &
  RequestOptionsOf<P>;

/** A client for one provider, made by `createContactsClient`. */
export interface ContactsClient<P extends ProviderName = ProviderName> {
  /** The provider this client talks to. */
  readonly provider: P;
  /** Deletes one contact. Invalid ids and options are rejected before any request is sent. */
  deleteContact(id: string, options?: DeleteContactOptions<P>): Promise<DeleteResult<P>>;
  /**
   * Deletes many contacts (an array, iterable or async iterable of ids, consumed lazily) and
   * resolves to a report in which every input id appears exactly once. Never rejects for a
   * single id's failure; invalid run options reject before anything is sent.
   */
  deleteContacts(ids: Iterable<string> | AsyncIterable<string>, options?: DeleteContactsOptions<P>): Promise<BulkReport<P>>;
  /** The same run as an async iterator of per-id outcomes, in completion order. */
  deleteContactsStream(ids: Iterable<string> | AsyncIterable<string>, options?: DeleteContactsOptions<P>): AsyncIterable<BulkItem<P>>;
}

const COMMON_DELETE_KEYS = ["signal", "missingOk", "maxRetries", "timeoutMs", "totalTimeoutMs"];
// None of the five providers documents one; these are the common names.
const REQUEST_ID_HEADERS = ["x-request-id", "request-id"];
// The one hint a message cannot make obvious by itself.
const NOT_FOUND_HINT = " `missingOk: true` counts it as done.";
/** Error bodies kept on errors are capped: an HTML error page can be large and is rarely useful whole. */
const MAX_RAW_TEXT = 4096;

/**
 * Creates a client for the provider named by `config.provider`. Settings are checked here: a
 * missing or malformed one throws a `ContactkitError` with code `config`, before anything is sent.
 *
 * @example
 * const crm = createContactsClient({ provider: "close", apiKey: process.env.CLOSE_API_KEY! });
 * const result = await crm.deleteContact("cont_123", { missingOk: true });
 */
export function createContactsClient<C extends ContactsClientConfig>(config: C): ContactsClient<C["provider"]> {
  if (typeof config !== "object" || config === null) throw configError(null, "the config must be an object");
  const name = (config as { provider?: unknown }).provider;
  if (!isProviderName(name)) {
    throw configError(null, `\`provider\` must be one of ${providerNames.join(", ")}, got ${JSON.stringify(name)}`);
  }
  const adapter = adapterFor(name);
  const prepared = prepareProvider(adapter.connection, config as unknown as Record<string, unknown>);
  const settings = retrySettings(config);
  // Looked up at call time, not creation time, so a fetch patched later (test mocks, polyfills) is used.
  const baseFetch: FetchLike = (config as { fetch?: FetchLike }).fetch ?? ((input, init) => globalThis.fetch(input, init));
  const client = createOpenApiClient<Record<string, never>>({ baseUrl: prepared.baseUrl, headers: prepared.headers });
  const call = (id: string, options: Record<string, unknown>, extra?: Partial<RetrySettings>) =>
    deleteOne(adapter, client, prepared, settings, baseFetch, id, options, extra) as Promise<DeleteResult<C["provider"]>>;
  // One pacing state per client, so consecutive bulk runs share what they learned.
  let defaultLimiter: RateLimiter | undefined;

  const stream = (ids: Iterable<string> | AsyncIterable<string>, options: Record<string, unknown> = {}) => {
    if (ids === null || typeof ids !== "object" || !(Symbol.iterator in ids || Symbol.asyncIterator in ids)) {
      throw new ContactkitError({ code: "invalid_input", provider: name, message: `${name}: \`ids\` must be iterable.` });
    }
    const { concurrency = 4, rateLimit, onResult, collect, ...perCall } = options;
    const problem = bulkProblem(concurrency, rateLimit, onResult, collect);
    if (problem) throw new ContactkitError({ code: "invalid_input", provider: name, message: `${name}: ${problem}.` });
    callSettings(name, adapter, settings, perCall); // fail the run once, up front, on a bad per-call option
    const limiter = rateLimit === false ? null : ((rateLimit as RateLimiter | undefined) ?? (defaultLimiter ??= new AdaptiveRateLimiter({ ...adapter.rateLimit, maxPauseMs: settings.maxRetryAfterMs })));
    const stats = { attempts: 0, rateLimitedResponses: 0 };
    const extra: Partial<RetrySettings> = {
      beforeAttempt: limiter ? (signal) => limiter.acquire(signal) : undefined,
      afterAttempt: (response, retryAfterMs) => {
        if (response?.status === 429) stats.rateLimitedResponses += 1;
        const window = response ? readRateLimitHeaders(response.headers) : { limit: null, remaining: null, resetMs: null };
        limiter?.observe?.({ status: response?.status ?? null, retryAfterMs, ...window });
      },
    };
    const counted = (id: string) =>
      call(id, perCall, extra).then(
        (result) => ((stats.attempts += result.attempts), result),
        (error: unknown) => {
          stats.attempts += isContactkitError(error) ? error.attempts : 0;
          throw error;
        },
      );
    return { items: runBulk(name, ids, concurrency as number, perCall.signal as AbortSignal | undefined, counted, adapter.title), stats };
  };

  return {
    provider: name,
    deleteContact: (id, options) => call(id, (options ?? {}) as Record<string, unknown>),
    deleteContactsStream: (ids, options) => stream(ids, options as Record<string, unknown>).items,
    deleteContacts: async (ids, options) => {
      const { items, stats } = stream(ids, options as Record<string, unknown>);
      return collectReport(name, items, (options ?? {}) as BulkRunOptions, stats);
    },
  };
}

function bulkProblem(concurrency: unknown, rateLimit: unknown, onResult: unknown, collect: unknown): string | null {
  if (!(isCount(concurrency) && concurrency >= 1 && concurrency <= 256)) return "`concurrency` must be 1 to 256";
  if (rateLimit !== undefined && rateLimit !== false) {
    if (typeof rateLimit !== "object" || rateLimit === null || typeof (rateLimit as RateLimiter).acquire !== "function") {
      return "`rateLimit` must be false or a RateLimiter";
    }
  }
  if (onResult !== undefined && typeof onResult !== "function") return "`onResult` must be a function";
  if (collect !== undefined && typeof collect !== "boolean") return "`collect` must be a boolean";
  return null;
}

function retrySettings(config: ContactsClientConfig): RetrySettings {
  return {
    maxRetries: config.maxRetries ?? 2,
    timeoutMs: config.timeoutMs ?? 30_000,
    totalTimeoutMs: config.totalTimeoutMs ?? null,
    maxRetryAfterMs: config.maxRetryAfterMs ?? 60_000,
    backoff: config.backoff ?? {},
    onRetry: config.onRetry,
    sleep: config.sleep ?? defaultSleep,
  };
}

async function deleteOne(
  adapter: AnyAdapter,
  client: Client<Record<string, never>>,
  prepared: PreparedProvider,
  clientSettings: RetrySettings,
  baseFetch: FetchLike,
  id: string,
  options: Record<string, unknown>,
  extra?: Partial<RetrySettings>,
): Promise<DeleteResult> {
  const provider = adapter.connection.name;
  assertUsableId(provider, id, adapter.title);
  const idProblem = adapter.checkId(id);
  if (idProblem) throw invalidId(provider, id, idProblem, adapter.title);
  const settings = { ...callSettings(provider, adapter, clientSettings, options), ...extra };

  const state: CallState = {
    provider,
    title: adapter.title,
    id,
    secrets: prepared.secrets,
    signal: options.signal as AbortSignal | undefined,
    providerHint: adapter.retryHint,
    attempts: 0,
    ambiguous: false,
    retryAfterMs: null,
    bodyText: "",
  };
  let response: Response;
  try {
    ({ response } = await adapter.send(client, id, options, prepared, createResilientFetch(baseFetch, settings, state)));
  } catch (error) {
    if (isContactkitError(error)) throw error;
    // Everything past the first send is mapped by the retry loop, so this is openapi-fetch
    // refusing to build the request (e.g. a value it cannot serialize): nothing was sent.
    throw new ContactkitError({
      code: "invalid_input",
      provider,
      contactId: id,
      attempts: state.attempts,
      message: `${adapter.title}: deleting contact ${JSON.stringify(id)} failed: bad request: ${scrubText(errorText(error), prepared.secrets)}`,
      cause: error,
    });
  }
  return interpret(adapter, response, state, options.missingOk === true);
}

/** Validates per-call options and merges the overrides into the client's retry settings. */
function callSettings(
  provider: ProviderName,
  adapter: AnyAdapter,
  base: RetrySettings,
  options: Record<string, unknown>,
): RetrySettings {
  const bad = (problem: string) =>
    new ContactkitError({ code: "invalid_input", provider, message: `${provider}: ${problem}. No request was sent.` });
  if (typeof options !== "object" || options === null) throw bad("`options` must be an object");
  const unknownKey = Object.keys(options).find((key) => !COMMON_DELETE_KEYS.includes(key) && !adapter.optionKeys.includes(key));
  if (unknownKey) throw bad(`unknown option \`${unknownKey}\` for ${provider}`);
  const { signal, maxRetries, timeoutMs, totalTimeoutMs } = options;
  if (signal !== undefined && !(typeof signal === "object" && signal !== null && "aborted" in signal)) {
    throw bad("`signal` must be an AbortSignal");
  }
  const timingProblem = retryTimingProblem(options);
  if (timingProblem) throw bad(timingProblem);
  const problem = adapter.checkOptions(options);
  if (problem) throw bad(problem);
  return {
    ...base,
    maxRetries: (maxRetries as number | undefined) ?? base.maxRetries,
    timeoutMs: (timeoutMs as number | undefined) ?? base.timeoutMs,
    totalTimeoutMs: totalTimeoutMs === undefined ? base.totalTimeoutMs : (totalTimeoutMs as number | null),
  };
}

/** Turns the final response into a result or a typed error. Success is decided by status alone. */
function interpret(
  adapter: AnyAdapter,
  response: Response,
  state: CallState,
  missingOk: boolean,
): DeleteResult {
  const { provider, id, secrets } = state;
  const status = response.status;
  const requestId = readRequestId(response.headers);
  const body = parseBody(state.bodyText, response.headers.get("content-type"));
  const base = { provider, id, status, requestId, attempts: state.attempts };
  const errorBase = { provider, contactId: id, status, requestId, attempts: state.attempts };

  if (status >= 200 && status < 300) {
    const parsed = body.kind === "json" ? adapter.parseSuccess(body.value, id) : { contact: null };
    const invalid =
      "invalid" in parsed
        ? `the body contradicts the spec (${parsed.invalid})`
        : body.kind === "unparseable" && (!adapter.successMayBeText || body.declaredJson || body.html)
          ? "the body is not JSON"
          : null;
    if (invalid !== null) {
      throw new ContactkitError({
        ...errorBase,
        code: "invalid_response",
        // A 2xx means the provider did something; a login page from a proxy means we cannot tell.
        mayHaveApplied: true,
        raw: keepRaw(body, secrets),
        headers: redactHeaders(response.headers, secrets),
        message: `${adapter.title}: HTTP ${status} for contact ${JSON.stringify(id)}, but ${invalid}; it may have been deleted.`,
      });
    }
    const contact = "contact" in parsed ? parsed.contact : null;
    // A confirmed delete is a delete, whatever came before it: afterRetry only qualifies "absent".
    return { ...base, outcome: "deleted", afterRetry: false, contact, raw: keepRaw(body, secrets) };
  }

  if (status === 404 && (missingOk || state.ambiguous)) {
    return { ...base, outcome: "absent", afterRetry: state.ambiguous, contact: null, raw: keepRaw(body, secrets) };
  }

  const { code, retryable } = classifyStatus(status);
  const providerMessage = body.kind === "json" ? adapter.errorMessage(body.value) : null;
  const wait = state.retryAfterMs === null ? "" : ` Retry after ${Math.ceil(state.retryAfterMs / 1000)} s.`;
  const detail = providerMessage ? `: ${providerMessage.replace(/\.+$/, "")}` : "";
  throw new ContactkitError({
    ...errorBase,
    code,
    retryable,
    mayHaveApplied: state.ambiguous,
    retryAfterMs: state.retryAfterMs,
    raw: keepRaw(body, secrets),
    headers: redactHeaders(response.headers, secrets),
    message: scrubText(
      `${adapter.title}: deleting contact ${JSON.stringify(id)} failed: HTTP ${status}${detail}.${wait}${code === "not_found" ? NOT_FOUND_HINT : ""}`,
      secrets,
    ),
  });
}

type Body =
  | { kind: "empty" }
  | { kind: "json"; value: unknown }
  | { kind: "unparseable"; text: string; declaredJson: boolean; html: boolean };

function parseBody(text: string, contentType: string | null): Body {
  if (text.trim() === "") return { kind: "empty" };
  try {
    return { kind: "json", value: JSON.parse(text) };
  } catch {
    return {
      kind: "unparseable",
      text,
      declaredJson: /[/+]json\b/i.test(contentType ?? ""),
      html: /html/i.test(contentType ?? "") || /^\s*</.test(text),
    };
  }
}

function keepRaw(body: Body, secrets: readonly string[]): unknown {
  if (body.kind === "empty") return null;
  if (body.kind === "json") return scrubValue(body.value, secrets);
  const text = body.text.length > MAX_RAW_TEXT ? `${body.text.slice(0, MAX_RAW_TEXT)}…` : body.text;
  return scrubText(text, secrets);
}

function readRequestId(headers: Headers): string | null {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return null;
}
