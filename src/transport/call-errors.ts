/** The retry loop's errors about one call: each says what the loop knows so far (attempts, ambiguity). */
import { ContactkitError, errorText, type ContactkitErrorCode, type ContactkitErrorInit } from "../errors.js";
import { scrubText } from "../redact.js";
import type { CallState, RetrySettings } from "./resilient-fetch.js";

export function throwIfCallerAborted(state: CallState): void {
  if (state.signal?.aborted) throw abortedError(state);
}

/** An error about this call, with what the loop knows so far (attempts, ambiguity). */
export function callError(
  state: CallState,
  code: ContactkitErrorCode,
  message: string,
  extra: Partial<ContactkitErrorInit> = {},
): ContactkitError {
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

/** A user hook (limiter, `sleep`) failed: say which, with its message scrubbed. */
export function hookError(state: CallState, what: string, error: unknown): ContactkitError {
  return callError(state, "provider_error", `failed: ${what} ${scrubText(errorText(error), state.secrets)}`, { cause: error });
}

export function transportError(reason: "timeout" | "network", detail: string, state: CallState): ContactkitError {
  const what = reason === "timeout" ? detail : `network error (${detail})`;
  return callError(state, reason, `failed: ${what} on attempt ${state.attempts}.`);
}

const attemptCount = (n: number) => `${n} ${n === 1 ? "attempt" : "attempts"}`;

export function abortedError(state: CallState): ContactkitError {
  return callError(
    state,
    "aborted",
    state.attempts === 0 ? "aborted before it was sent." : `aborted after ${attemptCount(state.attempts)}.`,
  );
}

export function totalTimeoutError(settings: RetrySettings, state: CallState): ContactkitError {
  return callError(state, "timeout", `timed out after ${attemptCount(state.attempts)} (total timeout ${settings.totalTimeoutMs} ms).`);
}
