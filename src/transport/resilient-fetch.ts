/**
 * The retry loop, timeouts, redirect policy and body buffering, as a `fetch` that openapi-fetch
 * calls (the loop sits *beneath* openapi-fetch, so its request building and typing run once per
 * call while each attempt gets a fresh request and its own timeout, on a signal it may share with
 * attempts that time out in the same few ms: deadline-slots.ts).
 */
import { ContactkitError, errorText } from "../errors.js";
import type { ProviderName } from "../providers/names.js";
import { scrubText } from "../redact.js";
import { abortedError, callError, hookError, throwIfCallerAborted, totalTimeoutError, transportError } from "./call-errors.js";
import { onCallerAbort } from "./caller-abort.js";
import { readCappedText } from "./capped-body.js";
import { joinSlot, timersAndFetchAreNative, type SlotMember } from "./deadline-slots.js";
import type { OutgoingRequest } from "./light-request.js";
import { decideRedirect } from "./redirects.js";
import { AMBIGUOUS_STATUSES, RETRYABLE_STATUSES, backoffDelay, parseRetryHint, type BackoffOptions } from "./retry-policy.js";
import type { Sleep } from "./sleep.js";

export { defaultSleep, type Sleep } from "./sleep.js";

/** A fetch implementation: called as `fetch(request, init)` with a `Request` object. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

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
  /** A turn taken at once when free (true), so an idle limiter costs no await; else `beforeAttempt` runs. */
  tryBeforeAttempt?: (() => boolean) | undefined;
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

/**
 * The per-call fetch handed to openapi-fetch, which calls it with a light request (see
 * light-request.ts). `userFetch` is the config's `fetch`: it gets a real `Request`, as its type
 * promises; without one, each attempt calls the built-in `fetch(url, init)`.
 */
export function createResilientFetch(userFetch: FetchLike | undefined, settings: RetrySettings, state: CallState): FetchLike {
  return (request) => {
    const outgoing = request as unknown as OutgoingRequest;
    // Without a caller signal there is nothing to link or release: no wrapper around the loop.
    return state.signal
      ? answerLinked(userFetch, outgoing, settings, state, state.signal)
      : answer(userFetch, outgoing, settings, state, nothing);
  };
}

/** No wait signal (no caller signal), and nothing to unlink (no wait made one). */
const nothing = () => undefined;

/**
 * With a caller signal: attempts link to its one shared listener directly (caller-abort.ts);
 * waits (a backoff sleep, a limiter's turn) get a per-call signal linked to it, made on the first
 * wait, since most calls never wait (an AbortController costs ~3 µs on Node 20).
 */
async function answerLinked(
  userFetch: FetchLike | undefined,
  request: OutgoingRequest,
  settings: RetrySettings,
  state: CallState,
  caller: AbortSignal,
): Promise<Response> {
  let waits: AbortController | undefined;
  let unlink: () => void = nothing;
  const waitSignal = () => {
    if (waits === undefined) {
      const controller = (waits = new AbortController());
      unlink = onCallerAbort(caller, () => controller.abort(caller.reason));
    }
    return waits.signal;
  };
  try {
    return await answer(userFetch, request, settings, state, waitSignal);
  } finally {
    unlink();
  }
}

async function answer(
  userFetch: FetchLike | undefined,
  request: OutgoingRequest,
  settings: RetrySettings,
  state: CallState,
  waitSignal: () => AbortSignal | undefined,
): Promise<Response> {
  const deadline = settings.totalTimeoutMs === null ? Infinity : Date.now() + settings.totalTimeoutMs;
  for (;;) {
    throwIfCallerAborted(state);
    if (deadline - Date.now() <= 0) throw totalTimeoutError(settings, state);
    if (settings.beforeAttempt && !tryTurn(settings)) {
      await takeTurn(settings.beforeAttempt, state, waitSignal());
      // The turn may have waited: check the caller and the budget again before sending.
      throwIfCallerAborted(state);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw totalTimeoutError(settings, state);
    state.attempts += 1;
    let attempt: AttemptResult;
    try {
      attempt = await runAttempt(userFetch, request, Math.min(settings.timeoutMs, remaining), settings, state);
    } catch (error) {
      // The limiter counted this attempt as in flight: tell it the attempt is over.
      settings.afterAttempt?.(null, null);
      throw error;
    }

    if (attempt.kind === "failed") {
      settings.afterAttempt?.(null, null);
      if (attempt.ambiguous) state.ambiguous = true;
      const delay = backoffDelay(state.attempts, settings.backoff);
      if (!canRetry(settings, state, delay, deadline)) throw transportError(attempt.reason, attempt.detail, state);
      await waitBeforeRetry(settings, state, waitSignal(), delay, attempt.reason, null);
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
    await waitBeforeRetry(settings, state, waitSignal(), delay, `status ${response.status}`, response.status);
  }
}

/** The limiter's synchronous fast path; a throwing one falls back to the awaited turn. */
function tryTurn(settings: RetrySettings): boolean {
  try {
    return settings.tryBeforeAttempt?.() === true;
  } catch {
    return false;
  }
}

/** Waits for the rate limiter's go-ahead; a caller abort during the wait ends the call. */
async function takeTurn(
  beforeAttempt: NonNullable<RetrySettings["beforeAttempt"]>,
  state: CallState,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    await beforeAttempt(signal);
  } catch (error) {
    if (state.signal?.aborted) throw abortedError(state);
    throw hookError(state, "rate limiter:", error);
  }
}

function canRetry(settings: RetrySettings, state: CallState, delay: number, deadline: number): boolean {
  return state.attempts <= settings.maxRetries && Date.now() + delay < deadline;
}

async function waitBeforeRetry(
  settings: RetrySettings,
  state: CallState,
  signal: AbortSignal | undefined,
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
    if (signal?.aborted) throw abortedError(state);
    // A broken `sleep` hook is not the caller aborting: say what failed.
    throw hookError(state, "the `sleep` hook threw:", error);
  }
}

type AttemptResult =
  | { kind: "response"; response: Response; bodyText: string }
  | { kind: "failed"; reason: "timeout" | "network"; detail: string; ambiguous: boolean };

/**
 * One HTTP attempt within its timeout, same-URL redirects followed, body read up to the cap. A
 * redirect's discarded body and the cap stop cancel their own stream: the signal is shared.
 */
async function runAttempt(
  userFetch: FetchLike | undefined,
  request: OutgoingRequest,
  timeoutMs: number,
  settings: RetrySettings,
  state: CallState,
): Promise<AttemptResult> {
  // The timeout and the caller's abort, shared with attempts that end in the same slot (deadline-slots.ts).
  const attempt = joinSlot(state.signal, timeoutMs, userFetch === undefined && timersAndFetchAreNative());
  const signal = attempt.signal;
  try {
    let current = request;
    // URLs requested so far in this attempt, made on the first redirect (most answers have none).
    let sent: Map<string, number> | undefined;
    for (;;) {
      const { url, method, headers, body } = current;
      // A user's fetch is raced (see deadline-slots.ts). Its Request carries no signal (one that
      // follows ours costs listeners per attempt); the signal comes in `init`, as
      // `fetch(request, init)` allows.
      const response = userFetch
        ? await attempt.race(userFetch(new Request(url, { method, headers, body, redirect: "manual" }), { signal, redirect: "manual" }))
        : await globalThis.fetch(url, { method, headers, body, signal, redirect: "manual" });
      const redirect = decideRedirect(response, current, sent);
      if (redirect.kind === "none") return await readAnswer(response, settings, state, attempt, userFetch !== undefined);
      // Not awaited: a stream whose cancel never settles must not hold the attempt past its timeout.
      void response.body?.cancel().catch(() => undefined);
      if (redirect.kind === "refuse") {
        if (redirect.mayHaveApplied) state.ambiguous = true;
        throw callError(state, "provider_error", `failed: ${scrubText(redirect.reason, state.secrets)}.`, { status: response.status });
      }
      sent = redirect.sent;
      current = redirect.request;
    }
  } catch (error) {
    if (error instanceof ContactkitError) throw error;
    if (state.signal?.aborted) {
      // Aborted in flight: the provider may have received the request.
      state.ambiguous = true;
      throw abortedError(state);
    }
    if (attempt.timedOut)
      return { kind: "failed", reason: "timeout", detail: `no complete answer within ${timeoutMs} ms`, ambiguous: true };
    const code = causeCode(error);
    return {
      kind: "failed",
      reason: "network",
      detail: scrubText(code ?? errorText(error), state.secrets),
      ambiguous: code === null || !NOT_SENT_CODES.has(code),
    };
  } finally {
    attempt.leave();
  }
}

/**
 * The final response's body, read within the attempt's timeout and never past `maxResponseBytes`.
 * `raced`: a user's fetch made it, so the read is raced against the abort. A response the
 * built-in fetch did not make (a user's, a mock, a patched `globalThis.fetch`: type "default")
 * may not follow the signal either, so its stream is cancelled on abort too.
 */
async function readAnswer(
  response: Response,
  settings: RetrySettings,
  state: CallState,
  attempt: SlotMember,
  raced: boolean,
): Promise<AttemptResult> {
  const watch = raced || response.type === "default" ? (stop: () => void) => attempt.onAbort(stop) : undefined;
  const reading = readCappedText(response, settings.maxResponseBytes, attempt.signal, watch);
  const body = await (raced ? attempt.race(reading) : reading);
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

/**
 * The response handed back to openapi-fetch, whose body we have already read in full (so the
 * attempt's timeout covered it). openapi-fetch only reads `status`, `ok`, `headers` and `text()`;
 * giving it the buffered text instead of building a new Response saves ~10 µs per call
 * (`npm run bench`, stubbed-fetch table), a third of contactkit's own overhead.
 */
function bufferedResponse({ status, ok, headers }: Response, bodyText: string): Response {
  // The facade reads only `status` and `headers` of it too (adapters return it to deleteOne alone).
  return { status, ok, headers, text: () => Promise.resolve(bodyText) } as Response;
}

/** undici puts the socket error's code (ECONNRESET, ECONNREFUSED…) on `cause`. */
function causeCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === "string" ? cause.code : null;
}
