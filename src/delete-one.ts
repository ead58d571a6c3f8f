/**
 * One delete, start to end: id and option checks (nothing sent on a problem), the typed send
 * through the retry loop, and the final status turned into a result or one typed error.
 */
import type { Client } from "openapi-fetch";
import type { AnyAdapter, PreparedProvider } from "./adapter.js";
import { callOptionProblem } from "./config.js";
import { ContactkitError, classifyStatus, errorText, isContactkitError } from "./errors.js";
import { assertUsableId, invalidId } from "./ids.js";
import { foreignNotFoundText, isContactNotFound } from "./not-found.js";
import type { ProviderName } from "./providers/names.js";
import { mayHoldSecret, redactHeaders, scrubError, scrubText, scrubValue } from "./redact.js";
import type { DeleteResult } from "./result.js";
import { createResilientFetch, type CallState, type FetchLike, type RetrySettings } from "./transport/resilient-fetch.js";

const COMMON_DELETE_KEYS = ["signal", "missingOk", "maxRetries", "timeoutMs", "totalTimeoutMs", "maxResponseBytes"];
// Tried after the provider's own request-id headers (its adapter's `requestIdHeaders`).
const REQUEST_ID_HEADERS = ["x-request-id", "request-id"];
// The one hint a message cannot make obvious by itself.
const NOT_FOUND_HINT = " `missingOk: true` counts it as done.";
/** Error bodies kept on errors are capped: an HTML error page can be large and is rarely useful whole. */
const MAX_RAW_TEXT = 4096;

/** What a client fixes once: its adapter, prepared connection, typed client and retry settings. */
export interface ClientContext {
  adapter: AnyAdapter;
  client: Client<Record<string, never>>;
  prepared: PreparedProvider;
  settings: RetrySettings;
  /** The config's `fetch`; undefined: the built-in one, looked up per attempt. */
  baseFetch: FetchLike | undefined;
}

/** One call: the client's context plus this id, its options and any per-run settings (bulk pacing). */
export interface DeleteCall extends ClientContext {
  id: string;
  options: Record<string, unknown>;
  extra?: Partial<RetrySettings> | undefined;
  /**
   * `settings` already hold `options` and `extra`, checked once by the caller: a bulk run merges
   * them once per run, not per id; `deleteContact(id)` has no options to merge.
   */
  merged?: boolean;
}

export async function deleteOne(call: DeleteCall): Promise<DeleteResult> {
  const { adapter, client, prepared, baseFetch, id, options, extra } = call;
  const provider = adapter.connection.name as ProviderName;
  assertUsableId(provider, id, adapter.title);
  const idProblem = adapter.checkId(id);
  if (idProblem) throw invalidId(provider, id, idProblem, adapter.title);
  const settings = call.merged ? call.settings : { ...callSettings(provider, adapter, call.settings, options), ...extra };

  const state = newCallState(adapter, prepared, id, options.signal as AbortSignal | undefined);
  let response: Response;
  try {
    ({ response } = await adapter.send({ client, id, options, prepared, fetch: createResilientFetch(baseFetch, settings, state) }));
  } catch (error) {
    if (isContactkitError(error)) throw scrubError(error, prepared.secrets);
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
  try {
    return interpret(adapter, response, state, options.missingOk === true);
  } catch (error) {
    // The one exit of every error about a response: whatever built it, no secret leaves.
    throw isContactkitError(error) ? scrubError(error, prepared.secrets) : error;
  }
}

/** A fresh per-call state for the retry loop (`action` words its messages: "deleting" by default). */
export function newCallState(
  adapter: AnyAdapter,
  prepared: PreparedProvider,
  id: string,
  signal: AbortSignal | undefined,
  action?: string,
): CallState {
  return {
    provider: adapter.connection.name as ProviderName,
    title: adapter.title,
    action,
    id,
    secrets: prepared.secrets,
    signal,
    providerHint: adapter.retryHint,
    attempts: 0,
    ambiguous: false,
    retryAfterMs: null,
    bodyText: "",
  };
}

/** Validates per-call options and merges the overrides into the client's retry settings. */
export function callSettings(
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
  const { maxRetries, timeoutMs, totalTimeoutMs, maxResponseBytes } = options;
  const commonProblem = callOptionProblem(options);
  if (commonProblem) throw bad(commonProblem);
  const problem = adapter.checkOptions(options);
  if (problem) throw bad(problem);
  return {
    ...base,
    maxRetries: (maxRetries as number | undefined) ?? base.maxRetries,
    timeoutMs: (timeoutMs as number | undefined) ?? base.timeoutMs,
    totalTimeoutMs: totalTimeoutMs === undefined ? base.totalTimeoutMs : (totalTimeoutMs as number | null),
    maxResponseBytes: (maxResponseBytes as number | undefined) ?? base.maxResponseBytes,
  };
}

/** Turns the final response into a result or a typed error. Success is decided by status alone. */
function interpret(adapter: AnyAdapter, response: Response, state: CallState, missingOk: boolean): DeleteResult {
  const { id, secrets } = state;
  const status = response.status;
  const requestId = readRequestId(response.headers, adapter.requestIdHeaders, secrets);
  const body = parseBody(state.bodyText, response.headers);

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
        ...errorFields(state, status, requestId),
        code: "invalid_response",
        // A 2xx means the provider did something; a login page from a proxy means we cannot tell.
        mayHaveApplied: true,
        raw: keepRaw(body, secrets),
        headers: redactHeaders(response.headers, secrets),
        message: `${adapter.title}: HTTP ${status} for contact ${JSON.stringify(id)}, but ${invalid}; it may have been deleted.`,
      });
    }
    const parsedContact = "contact" in parsed ? parsed.contact : null;
    // Derived from the body: scrubbed like it (an audit log stores the contact's fields).
    const contact =
      parsedContact !== null && bodyMayHoldSecret(body, secrets)
        ? (scrubValue(parsedContact, secrets) as typeof parsedContact)
        : parsedContact;
    // A confirmed delete is a delete, whatever came before it: afterRetry only qualifies "absent".
    return outcomeOf(state, status, requestId, "deleted", false, contact, keepRaw(body, secrets));
  }

  const json = body.kind === "json" ? body.value : undefined;
  // Only the provider's own "no such contact" 404 can be absent; any other 404 (an HTML page, a
  // wrong host, Truto's unknown account) says nothing about the contact, retried or not.
  const foreign404 = status === 404 && !isContactNotFound(adapter, status, json);
  if (status === 404 && !foreign404 && (missingOk || state.ambiguous)) {
    return outcomeOf(state, status, requestId, "absent", state.ambiguous, null, keepRaw(body, secrets));
  }

  const { code, retryable } = foreign404 ? ({ code: "endpoint_not_found", retryable: false } as const) : classifyStatus(status);
  const providerMessage = json === undefined ? null : adapter.errorMessage(json);
  const hint = code === "not_found" ? NOT_FOUND_HINT : foreign404 ? foreignNotFoundText(adapter, json) : "";
  const wait = state.retryAfterMs === null ? "" : ` Retry after ${Math.ceil(state.retryAfterMs / 1000)} s.`;
  const detail = providerMessage ? `: ${providerMessage.replace(/\.+$/, "")}` : "";
  throw new ContactkitError({
    ...errorFields(state, status, requestId),
    code,
    retryable,
    mayHaveApplied: state.ambiguous,
    retryAfterMs: state.retryAfterMs,
    raw: keepRaw(body, secrets),
    headers: redactHeaders(response.headers, secrets),
    message: scrubText(`${adapter.title}: deleting contact ${JSON.stringify(id)} failed: HTTP ${status}${detail}.${wait}${hint}`, secrets),
  });
}

/** A result as one literal (a spread of shared fields costs ~3 µs per call on this path). */
function outcomeOf(
  state: CallState,
  status: number,
  requestId: string | null,
  outcome: DeleteResult["outcome"],
  afterRetry: boolean,
  contact: DeleteResult["contact"],
  raw: unknown,
): DeleteResult {
  const { provider, id, attempts } = state;
  // `verified` is the read-back's to set (src/verify.ts); a delete alone never verifies itself.
  return { provider, id, status, requestId, attempts, outcome, afterRetry, verified: false, contact, raw };
}

/** What every error about a response carries (built only on those paths: most answers succeed). */
function errorFields(state: CallState, status: number, requestId: string | null) {
  return { provider: state.provider, contactId: state.id, status, requestId, attempts: state.attempts };
}

export type Body =
  | { kind: "empty" }
  | { kind: "json"; value: unknown; text: string }
  | { kind: "unparseable"; text: string; declaredJson: boolean; html: boolean };

/** `headers`: the response's, for its content type, read only when the body is not JSON (rare). */
export function parseBody(text: string, headers: Headers): Body {
  // Not `trim()`: that copies the whole body to look at its ends. (`\s` is trim's set.)
  if (/^\s*$/.test(text)) return { kind: "empty" };
  try {
    return { kind: "json", value: JSON.parse(text), text };
  } catch {
    const contentType = headers.get("content-type") ?? "";
    return {
      kind: "unparseable",
      text,
      declaredJson: /[/+]json\b/i.test(contentType),
      html: /html/i.test(contentType) || /^\s*</.test(text),
    };
  }
}

export function keepRaw(body: Body, secrets: readonly string[]): unknown {
  if (body.kind === "empty") return null;
  // Most bodies hold no secret: a quick look at the text spares the deep copy.
  if (body.kind === "json") return bodyMayHoldSecret(body, secrets) ? scrubValue(body.value, secrets) : body.value;
  // Scrub first, then cut: a secret straddling the cut would otherwise survive minus its tail.
  const text = scrubText(body.text, secrets);
  return text.length > MAX_RAW_TEXT ? `${text.slice(0, MAX_RAW_TEXT)}…` : text;
}

function bodyMayHoldSecret(body: Body, secrets: readonly string[]): boolean {
  return body.kind !== "empty" && mayHoldSecret(body.text, secrets);
}

export function readRequestId(headers: Headers, own: readonly string[], secrets: readonly string[]): string | null {
  // Not `own.concat(REQUEST_ID_HEADERS)`: no array per call.
  const value = firstHeader(headers, own) ?? firstHeader(headers, REQUEST_ID_HEADERS);
  // A proxy may echo the request's headers, credentials included, as its "request id".
  return value === null ? null : scrubText(value, secrets);
}

/** The first of `names` with a non-empty value. */
function firstHeader(headers: Headers, names: readonly string[]): string | null {
  for (const name of names) {
    const value = headers.get(name);
    if (value) return value;
  }
  return null;
}
