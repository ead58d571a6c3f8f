/**
 * The retry loop, timeouts, redirect policy and body buffering, as a `fetch` that openapi-fetch
 * calls (the loop sits *beneath* openapi-fetch, so its request building and typing run once per
 * call while each attempt gets a fresh request and its own timeout).
 */
import { ContactkitError, errorText, type ContactkitErrorCode, type ContactkitErrorInit } from "../errors.js";
import type { ProviderName } from "../providers/names.js";
import { scrubText } from "../redact.js";
import { onCallerAbort } from "./caller-abort.js";
import { readCappedText } from "./capped-body.js";
import { decideRedirect } from "./redirects.js";
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
  /** The largest response body read (bytes, after decompression); a longer one ends the attempt. */
  maxResponseBytes: number;
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
  /** What the call does, for its messages: "deleting" (the default) or "checking" (a read-back). */
  readonly action?: string;
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
    // The caller's signal gets one shared listener (see caller-abort.ts); waits and attempts of
    // this call listen on this call's own signal instead.
    const call = new AbortController();
    const unlink = onCallerAbort(state.signal, () => call.abort(state.signal?.reason));
    try {
      return await attemptUntilAnswered(baseFetch, request, settings, state, call.signal);
    } finally {
      unlink();
    }
  };
}

async function attemptUntilAnswered(
  baseFetch: FetchLike,
  request: Request,
  settings: RetrySettings,
  state: CallState,
  signal: AbortSignal,
): Promise<Response> {
  const deadline = settings.totalTimeoutMs === null ? Infinity : Date.now() + settings.totalTimeoutMs;
  for (;;) {
    throwIfCallerAborted(state);
    if (deadline - Date.now() <= 0) throw totalTimeoutError(settings, state);
    await takeTurn(settings, state, signal);
    // The turn may have waited: check the caller and the budget again before sending.
    throwIfCallerAborted(state);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw totalTimeoutError(settings, state);
    state.attempts += 1;
    const attempt = await runAttempt(baseFetch, request, Math.min(settings.timeoutMs, remaining), settings, state, signal).catch(
      (error: unknown) => {
        // The limiter counted this attempt as in flight: tell it the attempt is over.
        settings.afterAttempt?.(null, null);
        throw error;
      },
    );

    if (attempt.kind === "failed") {
      settings.afterAttempt?.(null, null);
      if (attempt.ambiguous) state.ambiguous = true;
      const delay = backoffDelay(state.attempts, settings.backoff);
      if (!canRetry(settings, state, delay, deadline)) throw transportError(attempt.reason, attempt.detail, state);
      await waitBeforeRetry(settings, state, signal, delay, attempt.reason, null);
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
    await waitBeforeRetry(settings, state, signal, delay, `status ${response.status}`, response.status);
  }
}

/** Waits for the rate limiter's go-ahead; a caller abort during the wait ends the call. */
async function takeTurn(settings: RetrySettings, state: CallState, signal: AbortSignal): Promise<void> {
  if (!settings.beforeAttempt) return;
  try {
    await settings.beforeAttempt(signal);
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
  signal: AbortSignal,
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
    await settings.sleep(delayMs, signal);
  } catch (error) {
    if (signal.aborted) throw abortedError(state);
    // A broken `sleep` hook is not the caller aborting: say what failed.
    throw callError(state, "provider_error", `failed: the \`sleep\` hook threw: ${scrubText(errorText(error), state.secrets)}`, { cause: error });
  }
}

type AttemptResult =
  | { kind: "response"; response: Response; bodyText: string }
  | { kind: "failed"; reason: "timeout" | "network"; detail: string; ambiguous: boolean };

/** One HTTP attempt with its own timeout, same-URL redirects followed, body read up to the cap. */
async function runAttempt(
  baseFetch: FetchLike,
  request: Request,
  timeoutMs: number,
  settings: RetrySettings,
  state: CallState,
  callSignal: AbortSignal,
): Promise<AttemptResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const stopOnCallerAbort = () => controller.abort();
  try {
    callSignal.addEventListener("abort", stopOnCallerAbort, { once: true });
    if (callSignal.aborted) controller.abort();
    let current = request;
    const sent = new Map<string, number>([[request.url, 1]]);
    for (;;) {
      // A bodiless DELETE can be sent again as is; anything with a body needs a fresh copy.
      const input = current.body === null ? current : current.clone();
      // Raced against the signal too, so a custom fetch that ignores signals cannot outlive the timeout.
      const response = await untilAborted(baseFetch(input, { signal: controller.signal, redirect: "manual" }), controller.signal);
      const redirect = decideRedirect(response, current, sent);
      if (redirect.kind === "none") return await readAnswer(response, settings, state, controller.signal);
      await response.body?.cancel().catch(() => undefined);
      if (redirect.kind === "refuse") {
        if (redirect.mayHaveApplied) state.ambiguous = true;
        throw callError(state, "provider_error", `failed: ${scrubText(redirect.reason, state.secrets)}.`, { status: response.status });
      }
      current = redirect.request;
      sent.set(current.url, (sent.get(current.url) ?? 0) + 1);
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
    callSignal.removeEventListener("abort", stopOnCallerAbort);
  }
}

/** The final response's body, read within the attempt's timeout and never past `maxResponseBytes`. */
async function readAnswer(response: Response, settings: RetrySettings, state: CallState, signal: AbortSignal): Promise<AttemptResult> {
  const body = await untilAborted(readCappedText(response, settings.maxResponseBytes, signal), signal);
  if (body.kind === "too_large") {
    // A 2xx (or a 5xx) may have applied the delete even though we will not read its answer.
    const status = response.status;
    if ((status >= 200 && status < 300) || AMBIGUOUS_STATUSES.has(status)) state.ambiguous = true;
    throw callError(
      state,
      "invalid_response",
      `failed: HTTP ${status} with a body over the ${settings.maxResponseBytes}-byte limit (\`maxResponseBytes\`); reading stopped${
        state.ambiguous ? ", and the delete may have been applied" : ""
      }.`,
      { status, retryable: false },
    );
  }
  return { kind: "response", response: bufferedResponse(response, body.text), bodyText: body.text };
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

/** An error about this call, with what the loop knows so far (attempts, ambiguity). */
function callError(state: CallState, code: ContactkitErrorCode, message: string, extra: Partial<ContactkitErrorInit> = {}): ContactkitError {
  return new ContactkitError({
    code,
    provider: state.provider,
    contactId: state.id,
    attempts: state.attempts,
    mayHaveApplied: state.ambiguous,
    retryable: code === "timeout" || code === "network",
    message: `${state.title}: ${state.action ?? "deleting"} contact ${JSON.stringify(state.id)} ${message}`,
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
