/**
 * Client-side pacing for bulk runs. A limiter decides when the next request may start; the
 * default one starts from the provider's documented limit and then follows what the provider's
 * rate-limit headers say, so long runs get few or no 429s.
 */
import { readRateLimitHeaders, type RateLimitWindow } from "./transport/retry-policy.js";
import { defaultSleep, type Sleep } from "./transport/resilient-fetch.js";

/**
 * What a limiter learns from one response: its status, the server's wait hint, and the
 * rate-limit window from `RateLimit`, `RateLimit-*` or `X-RateLimit-*` headers (null when absent).
 */
export interface RateFeedback extends RateLimitWindow {
  /** HTTP status of the response; null when the attempt got no response (timeout, network). */
  status: number | null;
  /** The server's wait hint on a retryable response (429/503…), in ms. */
  retryAfterMs: number | null;
}

/**
 * Plug your own pacing (e.g. one shared by several processes on the same API key) by
 * implementing this. `acquire` is awaited before every HTTP attempt, retries included.
 */
export interface RateLimiter {
  /** Resolves when one more request may start; rejects when `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void>;
  /**
   * Takes a turn at once if one is free (true) without a promise; false means "call `acquire`".
   * Optional: a fast path for in-process limiters, skipped for one that lacks it.
   */
  tryAcquire?(): boolean;
  /** Called once per attempt, when it ends, with the response's rate-limit facts. */
  observe?(feedback: RateFeedback): void;
}

/** A documented limit: `limit` requests per `windowMs`. */
export interface RateLimitSpec {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in ms. */
  windowMs: number;
}

export interface AdaptiveRateLimiterOptions extends RateLimitSpec {
  /** Fraction of the limit to use, leaving room for other clients and clock skew. @default 0.95 */
  utilization?: number;
  /**
   * Requests that may start back to back after an idle period.
   * @default a fifth of the window's limit, 1 to 10 (10/s → 2): a burst of the whole window made
   * processes sharing a key collide after every pause
   */
  burst?: number;
  /**
   * The longest pause a 429 or an exhausted window may impose on everyone; a longer server hint
   * is cut to this (the calls themselves still fail with `rate_limited` when their own cap is lower).
   * @default 60000
   */
  maxPauseMs?: number;
  /**
   * `limit` per `windowMs` is a ceiling (a pace the user chose): rate-limit headers may slow
   * pacing down, never speed it up past it, and the idle burst is cut so that no `windowMs` sees
   * more than `limit` starts.
   * @default false: the limit is where pacing starts, and a provider that advertises a higher one is followed
   */
  ceiling?: boolean;
  /** How waits happen (replace in tests). @default a setTimeout-based sleep */
  sleep?: Sleep;
  /** The clock (replace in tests together with `sleep`). @default Date.now */
  now?: () => number;
}

/**
 * Spaces request starts evenly (a GCRA-style schedule with a small burst allowance) and, when the
 * provider reports its window (`remaining`, `reset`), never starts more requests than the window
 * has left, counting those still in flight. Waiters re-check when they wake, so what a response
 * teaches (a lower limit, a pause) applies to requests already queued.
 */
export class AdaptiveRateLimiter implements RateLimiter {
  private intervalMs: number;
  /** The spacing the documented or advertised limit allows; 429 backoff decays back towards it. */
  private baseIntervalMs: number;
  private readonly maxPauseMs: number;
  /** The closest spacing headers may teach: the ceiling's, or 0 (none). */
  private readonly minIntervalMs: number;
  private readonly utilization: number;
  private readonly burst: number;
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private nextStart = 0;
  private pausedUntil = 0;
  /** Our estimate of the provider's window length, and the last reset countdown seen. */
  private windowEstimateMs = 0;
  private lastResetMs = 0;
  /** Starts the current window still allows (null: unknown), and when that window ends. */
  private budget: number | null = null;
  private budgetResetAt = 0;
  /** Started requests not yet answered (the provider's `remaining` does not count them yet). */
  private inFlight = 0;

  constructor(options: AdaptiveRateLimiterOptions) {
    this.utilization = options.utilization ?? 0.95;
    const { limit, ceiling } = options;
    // Under a ceiling, the burst after idle time and the spaced starts after it fit in one window:
    // b + floor(limit · utilization) ≤ limit (floor, not ceil − 1: a start landing a rounding error
    // before the window's end counts). The default: a fifth of the limit, 1 to 10 (10/s → 2).
    const most = ceiling ? limit - Math.floor(limit * this.utilization) : limit;
    this.burst = Math.max(1, Math.min(options.burst ?? Math.min(10, (limit / 5) | 0), most));
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
    this.intervalMs = options.windowMs / (options.limit * this.utilization);
    this.baseIntervalMs = this.intervalMs;
    this.minIntervalMs = ceiling ? this.intervalMs : 0;
    this.maxPauseMs = options.maxPauseMs ?? 60_000;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.take();
      if (wait === 0) return;
      await this.sleep(wait, signal);
    }
  }

  tryAcquire(): boolean {
    return this.take() === 0;
  }

  /** Takes a turn if one is free now (0), else says how long until one may be (ms). */
  private take(): number {
    const now = this.now();
    if (this.budget !== null && now >= this.budgetResetAt) this.budget = null;
    // Idle time earns at most `burst` back-to-back starts, never an unbounded backlog.
    const slot = Math.max(this.nextStart, now - this.intervalMs * (this.burst - 1));
    const windowFull = this.budget !== null && this.budget <= 0 ? this.budgetResetAt : 0;
    const startAt = Math.max(slot, this.pausedUntil, windowFull);
    if (startAt > now) return startAt - now;
    this.nextStart = slot + this.intervalMs;
    if (this.budget !== null) this.budget -= 1;
    this.inFlight += 1;
    return 0;
  }

  observe(feedback: RateFeedback): void {
    const now = this.now();
    if (this.inFlight > 0) this.inFlight -= 1;
    const { limit, remaining, resetMs } = feedback;
    // Resets over an hour are not plausible windows (likely a misread timestamp): ignore them.
    const plausibleReset = resetMs !== null && resetMs > 0 && resetMs <= 3_600_000;
    if (limit !== null && limit > 0 && plausibleReset) {
      // The estimate grows at once to any longer countdown. It shrinks only when the countdown jumps
      // back up (more than doubling, to over half a window: a new window began), and then by at most
      // a quarter, since a window's first answer may arrive late. A plain running maximum would let
      // one rounded-up value halve the pace for good.
      const newWindow = resetMs > 2 * this.lastResetMs && resetMs > this.windowEstimateMs / 2;
      this.windowEstimateMs = Math.max(resetMs, newWindow ? this.windowEstimateMs * 0.75 : this.windowEstimateMs);
      this.lastResetMs = resetMs;
      this.baseIntervalMs = Math.max(this.minIntervalMs, this.windowEstimateMs / (limit * this.utilization));
      this.intervalMs = this.baseIntervalMs;
    }
    if (remaining !== null && plausibleReset) {
      this.budget = Math.max(0, remaining - this.inFlight);
      // A countdown in whole seconds is rounded up: only `reset − 1 s` of it is sure (see sureResetMs).
      this.budgetResetAt = now + (resetMs % 1000 ? resetMs : resetMs - 1000);
    }
    if (feedback.status === 429) {
      this.pauseUntil(now + (feedback.retryAfterMs ?? this.intervalMs * 2));
      // Without headers to follow, back off multiplicatively so repeated 429s converge…
      if (limit === null) this.intervalMs *= 1.5;
    } else if (feedback.status !== null && feedback.status < 400 && this.intervalMs > this.baseIntervalMs) {
      // …and creep back once requests succeed again.
      this.intervalMs = Math.max(this.baseIntervalMs, this.intervalMs * 0.95);
    }
  }

  private pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Math.min(until, this.now() + this.maxPauseMs));
  }
}

/**
 * How long a window is sure to last, from its reset countdown (the limiter above inlines it, to
 * keep the core bundle in budget). A countdown in whole seconds
 * (`RateLimit: …reset=1`, `ratelimit-reset: 1`) is rounded up, so only `reset − 1 s` of it is
 * sure: holding back a full second after each used-up 1 s window would idle half of a 10/s budget.
 */
export function sureResetMs(resetMs: number): number {
  return resetMs % 1000 === 0 ? resetMs - 1000 : resetMs;
}

export { readRateLimitHeaders };
