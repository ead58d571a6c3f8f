/**
 * How a provider's limit becomes a shared schedule: one rate-limiter-flexible fixed window whose
 * points are handed out in order, each point being a start time spaced evenly across the window.
 * Pure arithmetic, no I/O.
 */
import { sureResetMs, type RateFeedback, type RateLimitSpec } from "../rate-limit.js";

export interface SharedWindow {
  /** The counter's window, in whole seconds (rate-limiter-flexible's Redis store counts in seconds). */
  durationSec: number;
  /** Starts per window, for all workers together. */
  points: number;
  /** Time between two starts: the window divided by its points. */
  spacingMs: number;
}

/**
 * Whole-second windows would round a small limit down hard (10/s at 0.95 → 9 a second), so the
 * window is stretched over a few of the provider's windows until the rounding costs < 1%.
 */
export function sharedWindow(spec: RateLimitSpec, utilization: number): SharedWindow {
  const perMs = (spec.limit * utilization) / spec.windowMs;
  const baseSec = Math.max(1, Math.ceil(spec.windowMs / 1000));
  let durationSec = baseSec;
  for (let k = 1; k <= 10; k++) {
    durationSec = baseSec * k;
    const exact = perMs * durationSec * 1000;
    if (exact >= 1 && Math.floor(exact) / exact >= 0.99) break;
  }
  const points = Math.max(1, Math.floor(perMs * durationSec * 1000));
  return { durationSec, points, spacingMs: (durationSec * 1000) / points };
}

/**
 * How long to wait before point number `consumed` (1-based) of a window that has `msBeforeNext`
 * left may start: point k starts (k − 1) spacings after the window opened.
 */
export function slotDelay(window: SharedWindow, consumed: number, msBeforeNext: number): number {
  const elapsed = window.durationSec * 1000 - msBeforeNext;
  return Math.max(0, (consumed - 1) * window.spacingMs - elapsed);
}

/** Resets over an hour are not plausible windows (a misread timestamp); the local limiter ignores them too. */
const MAX_PLAUSIBLE_RESET_MS = 3_600_000;

/**
 * The wait the server imposes, from one response: a 429's hint, or the reset of a window it says
 * is used up (`remaining: 0`). Null: no wait. A reset in whole seconds is a rounded-up countdown,
 * so only `reset − 1 s` of it is sure: waiting the whole second after every full window would idle
 * half of a 10/s budget (its 10th request arrives < 1 spacing before the reset).
 */
export function serverWait(feedback: RateFeedback, fallbackMs: number): number | null {
  if (feedback.status === 429) return feedback.retryAfterMs ?? fallbackMs;
  const { remaining, resetMs } = feedback;
  if (remaining !== 0 || resetMs === null || resetMs <= 0 || resetMs > MAX_PLAUSIBLE_RESET_MS) return null;
  const sure = sureResetMs(resetMs);
  return sure > 0 ? sure : null;
}

/**
 * Tracks what the headers say the real limit is. Only a `limit` different from the current one
 * counts; its window is the longest reset countdown seen with it (a countdown never exceeds its
 * window), in whole seconds.
 */
export class LimitLearner {
  private learned: { limit: number; maxResetMs: number } | null = null;

  /** `ceiling`: the documented spec is a pace the user chose, and nothing learned may be faster. */
  constructor(
    private readonly documented: RateLimitSpec,
    private readonly ceiling = false,
  ) {}

  /** `spec`, or the ceiling when `spec` is faster than it. */
  capped(spec: RateLimitSpec): RateLimitSpec {
    const { documented } = this;
    return this.ceiling && spec.limit / spec.windowMs > documented.limit / documented.windowMs ? { ...documented } : spec;
  }

  /**
   * The spec the headers now support when it differs from `current`, else null: what the provider
   * says, never capped (it is what other workers read); a worker paces at `capped(…)` of it.
   */
  learn(feedback: RateFeedback, current: RateLimitSpec): RateLimitSpec | null {
    const { limit, resetMs } = feedback;
    if (limit === null || limit <= 0 || resetMs === null || resetMs <= 0 || resetMs > MAX_PLAUSIBLE_RESET_MS) return null;
    if (limit === this.documented.limit && this.learned === null) return null;
    if (this.learned?.limit !== limit) this.learned = { limit, maxResetMs: 0 };
    this.learned.maxResetMs = Math.max(this.learned.maxResetMs, resetMs);
    const windowMs = Math.max(1000, Math.ceil(this.learned.maxResetMs / 1000) * 1000);
    const next = limit === this.documented.limit ? { ...this.documented } : { limit, windowMs };
    return next.limit === current.limit && next.windowMs === current.windowMs ? null : next;
  }
}
