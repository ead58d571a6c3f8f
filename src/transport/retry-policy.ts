/**
 * What to retry and how long to wait: pure functions, no I/O, so the numbers are easy to test.
 * Defaults follow the Stainless SDKs (2 retries, 0.5 s doubling to 8 s, up to 25% jitter) and
 * ky's reading of server hints.
 */

/** Statuses worth another attempt. 409 is left out on purpose: replaying a conflicting delete rarely helps. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Statuses after which the delete may already have been applied: the server got the request and
 * then failed. A 404 on a later attempt is then "absent after retry", not "never existed".
 * 408 and 429 say the request was not processed, so they are not ambiguous.
 */
export const AMBIGUOUS_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

export interface BackoffOptions {
  /** First retry delay. @default 500 */
  initialDelayMs?: number;
  /** Upper bound of one delay. @default 8000 */
  maxDelayMs?: number;
  /** Randomly shorten each delay by up to 25%, so many clients do not retry in lockstep. @default true */
  jitter?: boolean;
}

export function backoffDelay(retryNumber: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 8000;
  const base = Math.min(initial * 2 ** Math.max(0, retryNumber - 1), max);
  const factor = options.jitter === false ? 1 : 1 - random() * 0.25;
  return Math.round(base * factor);
}

/**
 * The standard hints, in the order servers mean them: `retry-after-ms` (precise, Stainless),
 * `Retry-After` as seconds or an HTTP date (RFC 9110). Returns milliseconds, or null when absent
 * or unparseable. A date in the past means "now" (0).
 */
export function parseStandardRetryHint(headers: Headers, now: number = Date.now()): number | null {
  const ms = headers.get("retry-after-ms");
  if (ms !== null) {
    const value = Number(ms);
    if (ms.trim() !== "" && Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null) return parseSecondsOrDate(retryAfter, now);
  return null;
}

export function parseSecondsOrDate(value: string, now: number = Date.now()): number | null {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** A plain number of seconds (as used by `x-ratelimit-retry-after`, `ratelimit-reset`), in ms. */
export function parseDeltaSeconds(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  return Math.ceil(Number(trimmed) * 1000);
}

/**
 * `X-RateLimit-Reset`-style values are either seconds until the reset or a Unix timestamp of it;
 * providers differ and Featurebase does not say which. Values larger than a day of seconds can
 * only be timestamps (seconds or milliseconds), so read them as such.
 */
export function parseResetSecondsOrEpoch(value: string | null, now: number = Date.now()): number | null {
  const seconds = parseDeltaSeconds(value);
  if (seconds === null) return null;
  const raw = seconds / 1000;
  if (raw <= 86_400) return seconds;
  const epochMs = raw > 1e12 ? raw : raw * 1000;
  return Math.max(0, Math.ceil(epochMs - now));
}
