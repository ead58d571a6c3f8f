/**
 * Read-back verification (`verify`): wraps one `deleteOne` with reads of the contact, so that
 * "may have applied" becomes a known answer. Kept apart from delete-one.ts, which stays the
 * single delete; the reads go through read-one.ts with the same retry settings and pacing hooks.
 *
 * - `"ambiguous"` (default): only when the delete would end with `mayHaveApplied: true`, read back
 *   once. Gone → `absent`, `afterRetry`, `verified`. Still there → the delete did not happen: it
 *   is retried within what is left of the retry budget, else the error says `mayHaveApplied: false`.
 *   A read that itself fails leaves the error as it was, with the read's error as `verification`.
 * - `true`: the same, and a read after every `deleted`/`absent` too; still there → re-read with
 *   backoff up to `verifyTimeoutMs`, then `still_present`.
 * - `false`: the delete alone.
 * One clock for everything: `totalTimeoutMs` covers the delete, the reads and the retries.
 */
import type { AnyAdapter } from "./adapter.js";
import { MAX_TIMER_MS, firstProblem, isCount, must } from "./config.js";
import { callSettings, deleteOne, type DeleteCall } from "./delete-one.js";
import { ContactkitError, inputError, isContactkitError, reviseError, type ContactkitErrorInit } from "./errors.js";
import type { ProviderName } from "./providers/names.js";
import { readOne, type ReadAnswer } from "./read-one.js";
import type { DeleteResult } from "./result.js";
import { backoffDelay } from "./transport/retry-policy.js";
import type { RetrySettings } from "./transport/resilient-fetch.js";

export type VerifyMode = "ambiguous" | boolean;

const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;

const VERIFY_CHECKS = {
  verify: must((value) => value === "ambiguous" || typeof value === "boolean", '"ambiguous", true or false'),
  verifyTimeoutMs: must((value) => isCount(value) && value <= MAX_TIMER_MS, `a whole number from 0 to ${MAX_TIMER_MS}`),
};

interface VerifyChoice {
  mode: VerifyMode;
  timeoutMs: number;
}

/**
 * Takes `verify` and `verifyTimeoutMs` out of a call's options and checks them: a bad value, or
 * `verify: true` on a provider without a read endpoint, is `invalid_input` before anything is sent.
 */
export function splitVerifyOptions(
  adapter: AnyAdapter,
  options: Record<string, unknown>,
): { choice: VerifyChoice; rest: Record<string, unknown> } {
  if (typeof options !== "object" || options === null || !("verify" in options || "verifyTimeoutMs" in options)) {
    return { choice: { mode: adapter.read ? "ambiguous" : false, timeoutMs: DEFAULT_VERIFY_TIMEOUT_MS }, rest: options };
  }
  const { verify = "ambiguous", verifyTimeoutMs = DEFAULT_VERIFY_TIMEOUT_MS, ...rest } = options;
  const problem =
    firstProblem(VERIFY_CHECKS, options) ??
    (verify === true && !adapter.read ? `\`verify: true\` needs a read endpoint, and ${adapter.title} documents none` : null);
  if (problem) throw inputError(adapter.connection.name as ProviderName, adapter.title, problem);
  return { choice: { mode: adapter.read ? (verify as VerifyMode) : false, timeoutMs: verifyTimeoutMs as number }, rest };
}

/** Checks a call's options the way `deleteVerified` will (for bulk runs, which check once up front). */
export function checkVerifiedOptions(call: Pick<DeleteCall, "adapter" | "settings">, options: Record<string, unknown>): void {
  const { rest } = splitVerifyOptions(call.adapter, options);
  callSettings(call.adapter.connection.name as ProviderName, call.adapter, call.settings, rest);
}

/** One `deleteContact`: the delete, plus the read-backs its `verify` option asks for. */
export async function deleteVerified(call: DeleteCall): Promise<DeleteResult> {
  const { choice, rest } = splitVerifyOptions(call.adapter, call.options);
  const single: DeleteCall = rest === call.options ? call : { ...call, options: rest };
  if (choice.mode === false) return deleteOne(single);
  // The clock starts now but is made only when a read-back needs it (most deletes have none).
  const started = Date.now();
  let result: DeleteResult;
  try {
    result = await deleteOne(single);
  } catch (error) {
    if (!needsReadBack(error, single)) throw error;
    result = await settleAmbiguous(single, error, startClock(single, started));
  }
  return choice.mode === true && !result.verified ? confirmGone(single, result, startClock(single, started), choice.timeoutMs) : result;
}

/** The call's settings and its one deadline (`totalTimeoutMs`), for the reads and retries after the delete. */
interface Clock {
  settings: RetrySettings;
  /** Milliseconds left of `totalTimeoutMs`, or null without one. */
  remaining(): number | null;
}

function startClock(call: DeleteCall, started: number): Clock {
  let settings: RetrySettings | undefined;
  const clock: Clock = {
    // deleteOne validates the options first, so by the time this is read they are known to be good.
    get settings() {
      return (settings ??= callSettings(call.adapter.connection.name as ProviderName, call.adapter, call.settings, call.options));
    },
    remaining() {
      const total = clock.settings.totalTimeoutMs;
      return total === null ? null : Math.max(0, total - (Date.now() - started));
    },
  };
  return clock;
}

function needsReadBack(error: unknown, call: DeleteCall): error is ContactkitError {
  // An abort is the caller's "stop now": no further request, whatever it may have left behind.
  return (
    isContactkitError(error) &&
    error.mayHaveApplied &&
    error.code !== "aborted" &&
    !(call.options.signal as AbortSignal | undefined)?.aborted
  );
}

/** An error about this call's contact (the read-back's own, not a provider's answer). */
function callError(call: DeleteCall, init: Omit<ContactkitErrorInit, "provider" | "contactId">): ContactkitError {
  return new ContactkitError({ provider: call.adapter.connection.name as ProviderName, contactId: call.id, ...init });
}

/**
 * A read with the delete's per-call time, retry and abort options, inside what is left of the
 * deadline. Its failure is returned, not thrown (each caller revises an error with it).
 */
async function read(call: DeleteCall, clock: Clock): Promise<ReadAnswer | ContactkitError> {
  const remaining = clock.remaining();
  if (remaining === 0) {
    return callError(call, {
      code: "timeout",
      retryable: true,
      message: `${call.adapter.title}: checking contact ${JSON.stringify(call.id)} not sent: no time left of \`totalTimeoutMs\` (${clock.settings.totalTimeoutMs} ms).`,
    });
  }
  const { signal, maxRetries, timeoutMs, maxResponseBytes } = call.options;
  try {
    // Undefined values stand for "the client's": readOne treats them as left out.
    return await readOne({ ...call, options: { signal, maxRetries, timeoutMs, maxResponseBytes, totalTimeoutMs: remaining } });
  } catch (error) {
    if (isContactkitError(error)) return error;
    throw error;
  }
}

/** The delete ended "may have applied": read back, and retry the delete while the contact is still there and budget is left. */
async function settleAmbiguous(call: DeleteCall, first: ContactkitError, clock: Clock): Promise<DeleteResult> {
  let failure = first;
  let attempts = first.attempts;
  let deleteAttempts = first.attempts;
  for (;;) {
    const answer = await read(call, clock);
    if (isContactkitError(answer)) throw reviseError(failure, { attempts: attempts + answer.attempts, verification: answer });
    attempts += answer.attempts;
    if (!answer.exists) {
      const { status, requestId, raw } = answer;
      return {
        provider: call.adapter.connection.name as ProviderName,
        id: call.id,
        outcome: "absent",
        status,
        requestId,
        attempts,
        afterRetry: true,
        verified: true,
        contact: null,
        raw,
      };
    }
    const left = clock.settings.maxRetries + 1 - deleteAttempts;
    const remaining = clock.remaining();
    // A server's wait hint longer than we sleep (retryAfterMs) is the caller's to schedule.
    if (left <= 0 || failure.retryAfterMs !== null || remaining === 0) {
      throw reviseError(failure, {
        attempts,
        mayHaveApplied: false,
        message: `${failure.message} A read-back found the contact still there: the delete was not applied.`,
      });
    }
    try {
      // A 404 now most likely means an earlier attempt was applied late: `absent`, after retry.
      const retried = await deleteOne({
        ...call,
        merged: false,
        options: { ...call.options, missingOk: true, maxRetries: left - 1, totalTimeoutMs: remaining },
      });
      attempts += retried.attempts;
      return { ...retried, attempts, afterRetry: retried.outcome === "absent" || retried.afterRetry };
    } catch (error) {
      if (!isContactkitError(error)) throw error;
      deleteAttempts += error.attempts;
      attempts += error.attempts;
      if (!needsReadBack(error, call)) throw reviseError(error, { attempts });
      failure = error;
    }
  }
}

/** `verify: true`: read until the contact is gone, re-checking with backoff up to `verifyTimeoutMs`. */
async function confirmGone(call: DeleteCall, result: DeleteResult, clock: Clock, verifyTimeoutMs: number): Promise<DeleteResult> {
  const started = Date.now();
  // Time spent re-checking: the clock, or the waits themselves when a test's sleep does not really wait.
  let waited = 0;
  const what = `${call.adapter.title}: contact ${JSON.stringify(call.id)} was reported ${result.outcome} (HTTP ${result.status})`;
  let attempts = result.attempts;
  for (let check = 1; ; check++) {
    const answer = await read(call, clock);
    if (isContactkitError(answer)) {
      throw reviseError(answer, {
        attempts: attempts + answer.attempts,
        mayHaveApplied: true,
        verification: answer,
        message: `${what}, but the read-back failed: ${answer.message}`,
      });
    }
    attempts += answer.attempts;
    if (!answer.exists) return { ...result, attempts, verified: true };
    const wait = backoffDelay(check, clock.settings.backoff);
    if (Math.max(Date.now() - started, waited) + wait > verifyTimeoutMs) {
      throw callError(call, {
        code: "still_present",
        status: answer.status,
        requestId: answer.requestId,
        attempts,
        retryable: true,
        mayHaveApplied: true,
        message: `${what}, but it was still there after ${check} read-back${check === 1 ? "" : "s"} in ${verifyTimeoutMs} ms (\`verifyTimeoutMs\`): check again later, or delete it again.`,
      });
    }
    try {
      await clock.settings.sleep(wait, call.options.signal as AbortSignal | undefined);
      waited += wait;
    } catch {
      throw callError(call, {
        code: "aborted",
        attempts,
        mayHaveApplied: true,
        message: `${what}; verifying it was aborted while it was still there.`,
      });
    }
  }
}
