/**
 * The retry loop, timeouts, redirect policy and body buffering, as a `fetch` that openapi-fetch
 * calls (the loop sits *beneath* openapi-fetch, so its request building and typing run once per
 * call while each attempt gets a fresh request and its own timeout).
 */
import { ContactkitError } from "../errors.js";
import type { ProviderName } from "../providers/names.js";
import { scrubText } from "../redact.js";
import {
  AMBIGUOUS_STATUSES,
  RETRYABLE_STATUSES,
  backoffDelay,
  parseStandardRetryHint,
  type BackoffOptions,
} from "./retry-policy.js";

export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Waits `ms`, or rejects as soon as `signal` aborts. Replaceable in tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What `onRetry` hooks receive before each retry. */
export interface RetryInfo {
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
  /** Sees every response, e.g. to learn the provider's rate-limit state. */
  afterResponse?: ((response: Response, retryAfterMs: number | null) => void) | undefined;
}

/** Per-call facts the loop needs and what it learns, read by the facade afterwards. */
export interface CallState {
  readonly provider: ProviderName;
  readonly id: string;
  readonly secrets: readonly string[];
  readonly signal: AbortSignal | undefined;
  /** Provider-specific hint (ms) from a retryable response, tried after the standard headers. */
  readonly providerHint: (response: Response, bodyText: string) => number | null;
  attempts: number;
  /** An earlier attempt failed in a way that may have applied the delete. */
  ambiguous: boolean;
  /** The server's wait hint on the last response, when it gave one. */
  retryAfterMs: number | null;
  /** The last response body as text (the facade parses it; openapi-fetch gets a copy). */
  bodyText: string;
}

const MAX_REDIRECTS = 5;

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
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw totalTimeoutError(settings, state);
      if (settings.beforeAttempt) {
        try {
          await settings.beforeAttempt(state.signal);
        } catch {
          throw abortedError(state);
        }
      }
      state.attempts += 1;
      const attempt = await runAttempt(baseFetch, request, Math.min(settings.timeoutMs, remaining), settings, state);

      if (attempt.kind === "failed") {
        // No response: the request may or may not have reached the provider.
        state.ambiguous = true;
        const delay = backoffDelay(state.attempts, settings.backoff);
        if (!canRetry(settings, state, delay, deadline)) throw attempt.error;
        await waitBeforeRetry(settings, state, delay, attempt.reason, null);
        continue;
      }

      const { response, bodyText } = attempt;
      state.bodyText = bodyText;
      const retryable = RETRYABLE_STATUSES.has(response.status);
      const hint = retryable ? (parseStandardRetryHint(response.headers) ?? state.providerHint(response, bodyText)) : null;
      settings.afterResponse?.(response, hint);
      if (!retryable) return response;

      state.retryAfterMs = hint;
      if (state.attempts > settings.maxRetries) return response;
      // A server hint longer than we are willing (or able) to wait is handed to the caller instead.
      if (hint !== null && (hint > settings.maxRetryAfterMs || Date.now() + hint > deadline)) return response;
      const delay = hint ?? backoffDelay(state.attempts, settings.backoff);
      if (!canRetry(settings, state, delay, deadline)) return response;
      if (AMBIGUOUS_STATUSES.has(response.status)) state.ambiguous = true;
      await waitBeforeRetry(settings, state, delay, `status ${response.status}`, response.status);
    }
  };
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
  settings.onRetry?.({ provider: state.provider, id: state.id, attempt: state.attempts, delayMs, reason, status });
  try {
    await settings.sleep(delayMs, state.signal);
  } catch {
    throw abortedError(state);
  }
}

type AttemptResult =
  | { kind: "response"; response: Response; bodyText: string }
  | { kind: "failed"; error: ContactkitError; reason: "timeout" | "network" };

/** One HTTP attempt with its own timeout, same-origin redirects followed, body read in full. */
async function runAttempt(
  baseFetch: FetchLike,
  request: Request,
  timeoutMs: number,
  settings: RetrySettings,
  state: CallState,
): Promise<AttemptResult> {
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
      const response = await baseFetch(input, { signal: controller.signal, redirect: "manual" });
      const next = redirectTarget(response, current, hop, state);
      if (next === null) {
        const bodyText = await response.text();
        return { kind: "response", response: rebuildResponse(response, bodyText), bodyText };
      }
      await response.body?.cancel();
      current = next;
    }
  } catch (error) {
    if (error instanceof ContactkitError) throw error;
    if (state.signal?.aborted) throw abortedError(state);
    if (timedOut) {
      return {
        kind: "failed",
        reason: "timeout",
        error: new ContactkitError({
          code: "timeout",
          provider: state.provider,
          contactId: state.id,
          retryable: true,
          attempts: state.attempts,
          afterRetry: state.attempts > 1,
          message: `${state.provider}: no complete answer within ${timeoutMs} ms (attempt ${state.attempts}).`,
        }),
      };
    }
    return {
      kind: "failed",
      reason: "network",
      error: new ContactkitError({
        code: "network",
        provider: state.provider,
        contactId: state.id,
        retryable: true,
        attempts: state.attempts,
        afterRetry: state.attempts > 1,
        message: `${state.provider}: network error (${scrubText(describeCause(error), state.secrets)}) on attempt ${state.attempts}.`,
      }),
    };
  } finally {
    clearTimeout(timer);
    state.signal?.removeEventListener("abort", onCallerAbort);
  }
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
  return new ContactkitError({
    code: "provider_error",
    provider: state.provider,
    contactId: state.id,
    status,
    attempts: state.attempts,
    message: `${state.provider}: refused to follow a ${status} redirect to ${where}: ${why ?? "credentials are only sent to the configured origin"}.`,
  });
}

// Statuses that may not carry a body in the Response constructor.
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function rebuildResponse(response: Response, bodyText: string): Response {
  const body = NULL_BODY.has(response.status) || bodyText === "" ? null : bodyText;
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function throwIfCallerAborted(state: CallState): void {
  if (state.signal?.aborted) throw abortedError(state);
}

function abortedError(state: CallState): ContactkitError {
  return new ContactkitError({
    code: "aborted",
    provider: state.provider,
    contactId: state.id,
    attempts: state.attempts,
    afterRetry: state.ambiguous,
    message: `${state.provider}: the call was aborted by the caller after ${state.attempts} attempt(s).`,
  });
}

function totalTimeoutError(settings: RetrySettings, state: CallState): ContactkitError {
  return new ContactkitError({
    code: "timeout",
    provider: state.provider,
    contactId: state.id,
    retryable: true,
    attempts: state.attempts,
    afterRetry: state.ambiguous,
    message: `${state.provider}: total time budget of ${settings.totalTimeoutMs} ms used up after ${state.attempts} attempt(s).`,
  });
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === "string" ? cause.code : null;
  return code ?? (typeof cause?.message === "string" ? cause.message : error.message);
}

