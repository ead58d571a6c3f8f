/**
 * The retry loop, timeouts, redirect policy and body buffering, as a `fetch` that openapi-fetch
 * calls (the loop sits *beneath* openapi-fetch, so its request building and typing run once per
 * call while each attempt gets a fresh request and its own timeout).
 */
import { ContactkitError, errorText, type ContactkitErrorCode, type ContactkitErrorInit } from "../errors.js";
import type { ProviderName } from "../providers/names.js";
import { scrubText } from "../redact.js";
import { AMBIGUOUS_STATUSES, RETRYABLE_STATUSES, backoffDelay, parseRetryHint, type BackoffOptions } from "./retry-policy.js";

/** A fetch implementation: called as `fetch(request, init)` with a `Request` object. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Waits `ms`, or rejects as soon as `signal` aborts. Replaceable in tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What `onRetry` hooks receive before each retry. */
export interface RetryInfo {
  /** The provider being called. */
  provider: ProviderName;
  /** The contact id being deleted. */
  id: string;
  /** The attempt that just failed (1 for the first). */
  attempt: number;
  /** How long contactkit waits before the next attempt. */
  delayMs: number;
  /** Why: `status 503`, `timeout`, `network`. */
  reason: string;
  /** Status of the failed attempt, or null when no response arrived. */
  status: number | null;
}

export interface RetrySettings {
  maxRetries: number;
  timeoutMs: number;
  totalTimeoutMs: number | null;
  maxRetryAfterMs: number;
  backoff: BackoffOptions;
  onRetry: ((info: RetryInfo) => void) | undefined;
  sleep: Sleep;
  /** Awaited before every attempt, retries included (a rate limiter's turn). */
  beforeAttempt?: ((signal: AbortSignal | undefined) => Promise<void>) | undefined;
  /** Sees the end of every attempt (null: no response), e.g. to learn the provider's rate-limit state. */
  afterAttempt?: ((response: Response | null, retryAfterMs: number | null) => void) | undefined;
}

/** Per-call facts the loop needs and what it learns, read by the facade afterwards. */
export interface CallState {
  readonly provider: ProviderName;
  /** The provider's own name ("Close"), which starts every message about this call. */
  readonly title: string;
  readonly id: string;
  readonly secrets: readonly string[];
  readonly signal: AbortSignal | undefined;
  /** Provider-specific hint (ms) from a retryable response, tried after the header hints. */
  readonly providerHint: (response: Response, bodyText: string) => number | null;
  attempts: number;
  /**
   * Some attempt so far failed in a way that may have applied the delete: a timeout, a
   * connection lost after sending, a 5xx, an abort in flight.
   */
  ambiguous: boolean;
  /** The server's wait hint on the last response, when it gave one. */
  retryAfterMs: number | null;
  /** The last response body as text (the facade parses it; openapi-fetch gets a copy). */
  bodyText: string;
}

const MAX_REDIRECTS = 5;
/** Connection errors raised before a request left this machine: the delete cannot have happened. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export function createResilientFetch(baseFetch: FetchLike, settings: RetrySettings, state: CallState): FetchLike {
  return async (request) => {
    const deadline = settings.totalTimeoutMs === null ? Infinity : Date.now() + settings.totalTimeoutMs;
    for (;;) {
      throwIfCallerAborted(state);
      if (deadline - Date.now() <= 0) throw totalTimeoutError(settings, state);
      await takeTurn(settings, state);
      // The turn may have waited: check the caller and the budget again before sending.
      throwIfCallerAborted(state);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw totalTimeoutError(settings, state);
      state.attempts += 1;
      const attempt = await runAttempt(baseFetch, request, Math.min(settings.timeoutMs, remaining), state);

      if (attempt.kind === "failed") {
        settings.afterAttempt?.(null, null);
        if (attempt.ambiguous) state.ambiguous = true;
        const delay = backoffDelay(state.attempts, settings.backoff);
        if (!canRetry(settings, state, delay, deadline)) throw transportError(attempt.reason, attempt.detail, state);
        await waitBeforeRetry(settings, state, delay, attempt.reason, null);
        continue;
      }

      const { response, bodyText } = attempt;
      state.bodyText = bodyText;
      const retryable = RETRYABLE_STATUSES.has(response.status);
      const hint = retryable ? (parseRetryHint(response.headers) ?? state.providerHint(response, bodyText)) : null;
      // Every response replaces the hint: a 404 after a 429 must not inherit "retry in 5 s".
      state.retryAfterMs = hint;
      settings.afterAttempt?.(response, hint);
      if (AMBIGUOUS_STATUSES.has(response.status)) state.ambiguous = true;
      if (!retryable || state.attempts > settings.maxRetries) return response;
      // A server hint longer than we are willing (or able) to wait is handed to the caller instead.
      if (hint !== null && (hint > settings.maxRetryAfterMs || Date.now() + hint > deadline)) return response;
      const delay = hint ?? backoffDelay(state.attempts, settings.backoff);
      if (!canRetry(settings, state, delay, deadline)) return response;
      await waitBeforeRetry(settings, state, delay, `status ${response.status}`, response.status);
    }
  };
}

/** Waits for the rate limiter's go-ahead; a caller abort during the wait ends the call. */
async function takeTurn(settings: RetrySettings, state: CallState): Promise<void> {
  if (!settings.beforeAttempt) return;
  try {
    await settings.beforeAttempt(state.signal);
  } catch (error) {
    if (state.signal?.aborted) throw abortedError(state);
    throw callError(state, "provider_error", `failed: rate limiter: ${scrubText(errorText(error), state.secrets)}`, {
      cause: error,
    });
  }
}

function canRetry(settings: RetrySettings, state: CallState, delay: number, deadline: number): boolean {
  return state.attempts <= settings.maxRetries && Date.now() + delay < deadline;
}

async function waitBeforeRetry(
  settings: RetrySettings,
  state: CallState,
  delayMs: number,
  reason: string,
  status: number | null,
): Promise<void> {
  try {
    settings.onRetry?.({ provider: state.provider, id: state.id, attempt: state.attempts, delayMs, reason, status });
  } catch {
    // A logging or metrics hook must not change what happens to the contact.
  }
  try {
    await settings.sleep(delayMs, state.signal);
  } catch {
    throw abortedError(state);
  }
}

type AttemptResult =
  | { kind: "response"; response: Response; bodyText: string }
  | { kind: "failed"; reason: "timeout" | "network"; detail: string; ambiguous: boolean };

/** One HTTP attempt with its own timeout, same-origin redirects followed, body read in full. */
async function runAttempt(baseFetch: FetchLike, request: Request, timeoutMs: number, state: CallState): Promise<AttemptResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = () => controller.abort();
  state.signal?.addEventListener("abort", onCallerAbort, { once: true });
  try {
    let current = request;
    for (let hop = 0; ; hop++) {
      // A bodiless DELETE can be sent again as is; anything with a body needs a fresh copy.
      const input = current.body === null ? current : current.clone();
      // Raced against the signal too, so a custom fetch that ignores signals cannot outlive the timeout.
      const response = await untilAborted(baseFetch(input, { signal: controller.signal, redirect: "manual" }), controller.signal);
      const next = redirectTarget(response, current, hop, state);
      if (next === null) {
        const bodyText = await untilAborted(response.text(), controller.signal);
        return { kind: "response", response: bufferedResponse(response, bodyText), bodyText };
      }
      await response.body?.cancel();
      current = next;
    }
  } catch (error) {
    if (error instanceof ContactkitError) throw error;
    if (state.signal?.aborted) {
      // Aborted in flight: the provider may have received the request.
      state.ambiguous = true;
      throw abortedError(state);
    }
    if (timedOut) return { kind: "failed", reason: "timeout", detail: `no complete answer within ${timeoutMs} ms`, ambiguous: true };
    const code = causeCode(error);
    return {
      kind: "failed",
      reason: "network",
      detail: scrubText(code ?? errorText(error), state.secrets),
      ambiguous: code === null || !NOT_SENT_CODES.has(code),
    };
  } finally {
    clearTimeout(timer);
    state.signal?.removeEventListener("abort", onCallerAbort);
  }
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (the promise is still observed). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * Credentials must never reach another origin, so only same-origin redirects are followed
 * (fetch's own `follow` mode would carry the Authorization header along, or drop it silently).
 */
function redirectTarget(response: Response, request: Request, hop: number, state: CallState): Request | null {
  if (response.type === "opaqueredirect") {
    // Browsers hide the target of manual redirects: we cannot prove it is same-origin.
    throw redirectError(state, response.status, null);
  }
  if (![301, 302, 307, 308].includes(response.status)) return null;
  const location = response.headers.get("location");
  if (location === null) return null;
  const target = new URL(location, request.url);
  if (target.origin !== new URL(request.url).origin) throw redirectError(state, response.status, target.host);
  if (hop >= MAX_REDIRECTS) throw redirectError(state, response.status, target.host, "too many redirects");
  return new Request(target, request);
}

function redirectError(state: CallState, status: number, host: string | null, why?: string): ContactkitError {
  const where = host === null ? "an undisclosed location" : `another origin (${host})`;
  return callError(state, "provider_error", `failed: refused a ${status} redirect to ${where}: ${why ?? "credentials stay on the configured origin"}.`, {
    status,
  });
}

/**
 * The response handed back to openapi-fetch, whose body we have already read in full (so the
 * attempt's timeout covered it). openapi-fetch only reads `status`, `ok`, `headers` and `text()`;
 * giving it the buffered text instead of building a new Response saves ~10 µs per call
 * (`npm run bench`, stubbed-fetch table), a third of contactkit's own overhead.
 */
function bufferedResponse(response: Response, bodyText: string): Response {
  const { status, statusText, headers, ok, url } = response;
  const text = () => Promise.resolve(bodyText);
  return { status, statusText, headers, ok, url, redirected: false, type: response.type, text } as Response;
}

function throwIfCallerAborted(state: CallState): void {
  if (state.signal?.aborted) throw abortedError(state);
}

/**
 * An error about this call, with what the loop knows so far (attempts, ambiguity). Its message is
 * `<Title>: deleting contact "<id>" <what happened>`, the same shape as the facade's HTTP errors.
 */
function callError(state: CallState, code: ContactkitErrorCode, message: string, extra: Partial<ContactkitErrorInit> = {}): ContactkitError {
  return new ContactkitError({
    code,
    provider: state.provider,
    contactId: state.id,
    attempts: state.attempts,
    mayHaveApplied: state.ambiguous,
    retryable: code === "timeout" || code === "network",
    message: `${state.title}: deleting contact ${JSON.stringify(state.id)} ${message}`,
    ...extra,
  });
}

function transportError(reason: "timeout" | "network", detail: string, state: CallState): ContactkitError {
  const what = reason === "timeout" ? detail : `network error (${detail})`;
  return callError(state, reason, `failed: ${what} on attempt ${state.attempts}.`);
}

const attemptCount = (n: number) => `${n} ${n === 1 ? "attempt" : "attempts"}`;

function abortedError(state: CallState): ContactkitError {
  return callError(state, "aborted", state.attempts === 0 ? "aborted before it was sent." : `aborted after ${attemptCount(state.attempts)}.`);
}

function totalTimeoutError(settings: RetrySettings, state: CallState): ContactkitError {
  return callError(state, "timeout", `timed out after ${attemptCount(state.attempts)} (total timeout ${settings.totalTimeoutMs} ms).`);
}

/** undici puts the socket error's code (ECONNRESET, ECONNREFUSED…) on `cause`. */
function causeCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === "string" ? cause.code : null;
}
