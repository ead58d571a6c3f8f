/**
 * Client-side pacing for bulk runs. A limiter decides when the next request may start; the
 * default one starts from the provider's documented limit and then follows what the provider's
 * rate-limit headers say, so long runs get few or no 429s.
 */
import { parseDeltaSeconds, parseResetSecondsOrEpoch } from "./transport/retry-policy.js";
import { defaultSleep, type Sleep } from "./transport/resilient-fetch.js";

/** What a limiter learns from one response. */
export interface RateFeedback {
  status: number;
  /** The server's wait hint on a retryable response (429/503…), in ms. */
  retryAfterMs: number | null;
  /** From `RateLimit`, `RateLimit-*` or `X-RateLimit-*` headers, when present. */
  limit: number | null;
  remaining: number | null;
  resetMs: number | null;
}

/**
 * Plug your own pacing (e.g. one shared by several processes on the same API key) by
 * implementing this. `acquire` is awaited before every HTTP attempt, retries included.
 */
export interface RateLimiter {
  /** Resolves when one more request may start; rejects when `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Called with every response's rate-limit facts. */
  observe?(feedback: RateFeedback): void;
}

/** A documented limit: `limit` requests per `windowMs`. */
export interface RateLimitSpec {
  limit: number;
  windowMs: number;
}

export interface AdaptiveRateLimiterOptions extends RateLimitSpec {
  /** Fraction of the limit to use, leaving room for other clients and clock skew. @default 0.95 */
  utilization?: number;
  /** Requests that may start back to back after an idle period. @default 10 (or the limit, if lower) */
  burst?: number;
  sleep?: Sleep;
}

/**
 * Spaces request starts evenly (a GCRA-style schedule: each start reserves the next slot), with a
 * small burst allowance. Headers re-tune the spacing; `remaining: 0` and 429s pause everyone until
 * the server says the window resets.
 */
export class AdaptiveRateLimiter implements RateLimiter {
  private intervalMs: number;
  private readonly utilization: number;
  private readonly burst: number;
  private readonly sleep: Sleep;
  private nextStart = 0;
  private pausedUntil = 0;
  /** Longest reset seen: our best estimate of the provider's window length. */
  private windowEstimateMs = 0;

  constructor(options: AdaptiveRateLimiterOptions) {
    this.utilization = options.utilization ?? 0.95;
    this.burst = Math.max(1, Math.min(options.burst ?? 10, options.limit));
    this.sleep = options.sleep ?? defaultSleep;
    this.intervalMs = options.windowMs / (options.limit * this.utilization);
  }

  /** Current spacing between request starts, in ms (for reports and tests). */
  get currentIntervalMs(): number {
    return this.intervalMs;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    // Idle time earns at most `burst` back-to-back starts, never an unbounded backlog.
    const earliest = Math.max(this.nextStart, now - this.intervalMs * (this.burst - 1), this.pausedUntil);
    this.nextStart = earliest + this.intervalMs;
    const wait = earliest - now;
    return wait > 0 ? this.sleep(wait, signal) : Promise.resolve();
  }

  observe(feedback: RateFeedback): void {
    const now = Date.now();
    const { limit, remaining, resetMs } = feedback;
    // Resets over an hour are not plausible windows (likely a misread timestamp): ignore them.
    if (limit !== null && limit > 0 && resetMs !== null && resetMs > 0 && resetMs <= 3_600_000) {
      this.windowEstimateMs = Math.max(this.windowEstimateMs, resetMs);
      this.intervalMs = this.windowEstimateMs / (limit * this.utilization);
    }
    if (remaining === 0 && resetMs !== null && resetMs <= 3_600_000) {
      this.pausedUntil = Math.max(this.pausedUntil, now + resetMs);
    }
    if (feedback.status === 429) {
      this.pausedUntil = Math.max(this.pausedUntil, now + (feedback.retryAfterMs ?? this.intervalMs * 2));
      // Without headers to follow, back off multiplicatively so repeated 429s converge.
      if (limit === null) this.intervalMs *= 1.5;
    }
  }
}

/** A limiter that never waits (for `rateLimit: false`). */
export const unlimited: RateLimiter = { acquire: () => Promise.resolve() };

/**
 * Reads the rate-limit header families our providers use: Close's single
 * `RateLimit: limit=…, remaining=…, reset=…`, Truto's `ratelimit-limit/-remaining/-reset`, and
 * Featurebase's `X-RateLimit-Limit/-Remaining/-Reset` (whose reset may be a timestamp).
 */
export function readRateLimitHeaders(headers: Headers): Pick<RateFeedback, "limit" | "remaining" | "resetMs"> {
  const combined = headers.get("ratelimit");
  if (combined !== null) {
    const field = (name: string) => {
      const match = new RegExp(`(?:^|[,;\\s])${name}=(\\d+(?:\\.\\d+)?)`).exec(combined);
      return match?.[1] === undefined ? null : Number(match[1]);
    };
    const reset = field("reset");
    return { limit: field("limit"), remaining: field("remaining"), resetMs: reset === null ? null : Math.ceil(reset * 1000) };
  }
  for (const prefix of ["ratelimit-", "x-ratelimit-"]) {
    const limit = headers.get(`${prefix}limit`);
    const remaining = headers.get(`${prefix}remaining`);
    if (limit === null && remaining === null) continue;
    const reset = headers.get(`${prefix}reset`);
    return {
      limit: toCount(limit),
      remaining: toCount(remaining),
      resetMs: prefix === "x-ratelimit-" ? parseResetSecondsOrEpoch(reset) : parseDeltaSeconds(reset),
    };
  }
  return { limit: null, remaining: null, resetMs: null };
}

function toCount(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}
