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

/** Exponential backoff between retries, used when the server gives no wait hint. */
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
 * The header hints every provider may send, in the order servers mean them: `retry-after-ms`
 * (precise, Stainless), `Retry-After` as seconds or an HTTP date (RFC 9110),
 * `x-ratelimit-retry-after` (seconds: Wethod), then the reset of an exhausted rate-limit window
 * (`RateLimit`, `RateLimit-*`, `X-RateLimit-*`: Close, Truto, Featurebase). Returns milliseconds,
 * or null when no header says. A date in the past means "now" (0).
 */
export function parseRetryHint(headers: Headers, now: number = Date.now()): number | null {
  const ms = headers.get("retry-after-ms");
  if (ms !== null) {
    const value = Number(ms);
    if (ms.trim() !== "" && Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const retryAfter = headers.get("retry-after");
  const parsed = retryAfter === null ? null : parseSecondsOrDate(retryAfter, now);
  if (parsed !== null) return parsed;
  const legacy = parseDeltaSeconds(headers.get("x-ratelimit-retry-after"));
  if (legacy !== null) return legacy;
  const window = readRateLimitHeaders(headers, now);
  // A reset only says "wait" when the window is used up (or the count is not given).
  if (window.resetMs === null) return null;
  return window.remaining === null || window.remaining === 0 ? window.resetMs : null;
}

// The RFC 9110 date forms: IMF-fixdate / RFC 850 ("Sun, 06 Nov 1994 08:49:37 GMT", "Sunday,
// 06-Nov-94 …") and asctime ("Sun Nov  6 08:49:37 1994"). Date.parse alone would read "-1" or
// "Mon 1" as dates in 2001 and turn them into "retry now".
const HTTP_DATE = /^[A-Z][a-z]{2,8}(, \d\d[ -][A-Z][a-z]{2}[ -]\d{2,4} [\d:]{8} GMT| [A-Z][a-z]{2} [ \d]\d [\d:]{8} \d{4})$/;

export function parseSecondsOrDate(value: string, now: number = Date.now()): number | null {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  if (!HTTP_DATE.test(trimmed)) return null;
  const date = Date.parse(trimmed.endsWith("GMT") ? trimmed : `${trimmed} GMT`);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** Rate-limit window facts from the header families our providers use. */
export interface RateLimitWindow {
  limit: number | null;
  remaining: number | null;
  resetMs: number | null;
}

/** The two split header families, in the order they are tried (constant names: no string built per read). */
const WINDOW_FAMILIES = [
  { limit: "ratelimit-limit", remaining: "ratelimit-remaining", reset: "ratelimit-reset", epochReset: false },
  { limit: "x-ratelimit-limit", remaining: "x-ratelimit-remaining", reset: "x-ratelimit-reset", epochReset: true },
] as const;

/**
 * Reads Close's single `RateLimit: limit=…, remaining=…, reset=…`, Truto's
 * `ratelimit-limit/-remaining/-reset`, and Featurebase's `X-RateLimit-Limit/-Remaining/-Reset`
 * (whose reset may be a timestamp). Runs after every attempt of a paced bulk run.
 */
export function readRateLimitHeaders(headers: Headers, now: number = Date.now()): RateLimitWindow {
  const combined = headers.get("ratelimit");
  if (combined !== null) {
    const fields: Record<string, number> = {};
    for (const [, name, value] of combined.matchAll(/\b(limit|remaining|reset)=(\d+(?:\.\d+)?)/g)) fields[name!] = Number(value);
    const { limit = null, remaining = null, reset } = fields;
    return { limit, remaining, resetMs: reset === undefined ? null : Math.ceil(reset * 1000) };
  }
  for (const family of WINDOW_FAMILIES) {
    const limit = headers.get(family.limit);
    const remaining = headers.get(family.remaining);
    const reset = headers.get(family.reset);
    if (limit === null && remaining === null && reset === null) continue;
    return {
      limit: toCount(limit),
      remaining: toCount(remaining),
      resetMs: family.epochReset ? parseResetSecondsOrEpoch(reset, now) : parseDeltaSeconds(reset),
    };
  }
  return { limit: null, remaining: null, resetMs: null };
}

function toCount(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
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
