import { describe, expect, it } from "vitest";
import { AdaptiveRateLimiter, readRateLimitHeaders } from "../src/rate-limit.js";

describe("readRateLimitHeaders", () => {
  it("reads Close's single RateLimit header", () => {
    expect(readRateLimitHeaders(new Headers({ RateLimit: "limit=100, remaining=7, reset=3" }))).toEqual({
      limit: 100,
      remaining: 7,
      resetMs: 3000,
    });
  });
  it("reads Close's RateLimit header with `;` separators too (seen live), decimals and odd spacing included", () => {
    expect(readRateLimitHeaders(new Headers({ RateLimit: "limit=100; remaining=100; reset=1" }))).toEqual({
      limit: 100,
      remaining: 100,
      resetMs: 1000,
    });
    expect(readRateLimitHeaders(new Headers({ RateLimit: "limit=60;remaining=0;reset=2.5" }))).toEqual({
      limit: 60,
      remaining: 0,
      resetMs: 2500,
    });
    expect(readRateLimitHeaders(new Headers({ RateLimit: "limit=60 ,remaining=3 ; reset=4" }))).toEqual({
      limit: 60,
      remaining: 3,
      resetMs: 4000,
    });
  });
  it("reads Truto's ratelimit-* headers", () => {
    expect(readRateLimitHeaders(new Headers({ "ratelimit-limit": "50", "ratelimit-remaining": "0", "ratelimit-reset": "9" }))).toEqual({
      limit: 50,
      remaining: 0,
      resetMs: 9000,
    });
  });
  it("reads Featurebase's X-RateLimit-* headers, reset as seconds or epoch", () => {
    const epoch = Math.floor(Date.now() / 1000) + 30;
    const read = readRateLimitHeaders(
      new Headers({ "X-RateLimit-Limit": "2000", "X-RateLimit-Remaining": "5", "X-RateLimit-Reset": String(epoch) }),
    );
    expect(read.limit).toBe(2000);
    expect(read.remaining).toBe(5);
    expect(read.resetMs).toBeGreaterThan(28_000);
    expect(read.resetMs).toBeLessThanOrEqual(31_000);
  });
  it("returns nulls without headers", () => {
    expect(readRateLimitHeaders(new Headers())).toEqual({ limit: null, remaining: null, resetMs: null });
  });
});

describe("AdaptiveRateLimiter", () => {
  /** Drives the limiter with a fake clock that a recording sleep advances: no real time passes. */
  function harness(limit: number, windowMs: number, burst?: number, ceiling?: boolean) {
    const waits: number[] = [];
    let t = 1_000_000;
    const limiter = new AdaptiveRateLimiter({
      limit,
      windowMs,
      burst,
      ceiling,
      utilization: 1,
      now: () => t,
      sleep: async (ms) => {
        waits.push(ms);
        t += ms;
      },
    });
    return { limiter, waits, advance: (ms: number) => void (t += ms) };
  }

  it("spaces starts at the documented rate after the burst allowance", async () => {
    const { limiter, waits } = harness(10, 1000, 1);
    for (let i = 0; i < 5; i++) await limiter.acquire();
    // 10/s → one start every 100 ms; the first is free, each next one waits its slot.
    expect(waits.map((w) => Math.round(w))).toEqual([100, 100, 100, 100]);
  });

  it("never starts more than the window has left, counting requests in flight", async () => {
    const { limiter, waits } = harness(1000, 1000, 1000);
    for (let i = 0; i < 5; i++) await limiter.acquire(); // 5 in flight
    // The first answer says 7 remain: only 7 - 4 (still in flight) = 3 more may start now.
    limiter.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 7, resetMs: 950 });
    for (let i = 0; i < 3; i++) await limiter.acquire();
    expect(waits).toEqual([]);
    await limiter.acquire();
    expect(waits[0]).toBeGreaterThan(900);
  });

  it("lets a burst through after idle time", async () => {
    const { limiter, waits } = harness(10, 1000, 3);
    for (let i = 0; i < 3; i++) await limiter.acquire();
    expect(waits).toEqual([]);
  });

  it("follows the provider's headers: a higher advertised limit speeds it up", async () => {
    const { limiter, waits } = harness(10, 1000, 1);
    limiter.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 900, resetMs: 1000 });
    for (let i = 0; i < 4; i++) await limiter.acquire();
    // 1000/s → 1 ms apart instead of the documented 100 ms.
    expect(waits.every((w) => w <= 1)).toBe(true);
  });

  it("with `ceiling`, a higher advertised limit does not speed it up, a lower one still slows it down", async () => {
    const { limiter, waits } = harness(10, 1000, 1, true);
    limiter.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 900, resetMs: 1000 });
    for (let i = 0; i < 4; i++) await limiter.acquire();
    // Still the ceiling's 100 ms apart (without `ceiling`: 1 ms, the test above).
    expect(waits.map((w) => Math.round(w))).toEqual([100, 100, 100]);
    limiter.observe({ status: 200, retryAfterMs: null, limit: 5, remaining: 500, resetMs: 1000 });
    // The next start was already booked at the old spacing; the one after it follows 5/s.
    await limiter.acquire();
    await limiter.acquire();
    expect(waits.slice(-2).map((w) => Math.round(w))).toEqual([100, 200]);
  });

  it("with `ceiling`, no window of `windowMs` sees more than `limit` starts, idle bursts included", async () => {
    for (const [limit, windowMs] of [
      [10, 1000],
      [100, 10_000],
      [5, 1000],
      [2000, 60_000],
    ] as const) {
      let t = 1_000_000;
      const starts: number[] = [];
      const limiter = new AdaptiveRateLimiter({ limit, windowMs, ceiling: true, now: () => t, sleep: async (ms) => void (t += ms) });
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < limit * 2; i++) {
          await limiter.acquire();
          starts.push(t);
        }
        t += windowMs * 5; // idle: the burst allowance fills up again
      }
      let most = 0;
      for (const [i, s] of starts.entries()) most = Math.max(most, starts.filter((x, j) => j >= i && x < s + windowMs).length);
      expect(most, `${limit} per ${windowMs} ms`).toBeLessThanOrEqual(limit);
    }
  });

  it("re-learns the window length when the reset countdown starts over (one late value does not stick)", async () => {
    const { limiter, waits } = harness(10, 1000, 1);
    const window = (resetMs: number) => limiter.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 500, resetMs });
    window(1900); // a rounded-up outlier: pace 1000 per 1.9 s
    for (let i = 0; i < 4; i++) {
      window(300);
      window(1000); // the countdown starts over: a new 1 s window; the estimate steps down towards it
    }
    await limiter.acquire();
    await limiter.acquire();
    // 1000 per 1 s → 1 ms apart (it would be 1.9 ms had the outlier stuck).
    expect(waits[0]).toBeLessThanOrEqual(1.05);
  });

  it("a late first answer in a new window does not speed it up at once", async () => {
    const { limiter, waits } = harness(10, 1000, 1);
    const window = (resetMs: number) => limiter.observe({ status: 200, retryAfterMs: null, limit: 100, remaining: 50, resetMs });
    window(10_000); // 100 per 10 s
    window(1000);
    window(7000); // a new window, first seen 3 s late
    await limiter.acquire();
    await limiter.acquire();
    // 100 per 7.5 s at the fastest (one 25% step), not 100 per 7 s.
    expect(waits[0]).toBeGreaterThanOrEqual(74.9);
  });

  it("pauses everyone until the window resets when remaining hits 0", async () => {
    const { limiter, waits } = harness(1000, 1000, 1000);
    limiter.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 0, resetMs: 1950 });
    await limiter.acquire();
    expect(waits[0]).toBeGreaterThan(1900);
  });

  it("a whole-second reset countdown holds back only the part that is sure (it is rounded up)", async () => {
    const { limiter, waits } = harness(1000, 1000, 1000);
    limiter.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 0, resetMs: 3000 });
    await limiter.acquire();
    expect(waits).toEqual([2000]);
    // `reset=1` on a used-up 1 s window: the reset may be a moment away, so nothing is held back.
    limiter.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 0, resetMs: 1000 });
    await limiter.acquire();
    expect(waits).toEqual([2000]);
  });

  it("the default burst is a fifth of the window's limit, 1 to 10", async () => {
    const { limiter, waits } = harness(10, 1000);
    for (let i = 0; i < 3; i++) await limiter.acquire();
    // 10/s: two back to back, the third waits for its slot.
    expect(waits.map(Math.round)).toEqual([100]);
  });

  it("pauses for Retry-After on a 429 and backs off when there are no headers", async () => {
    const { limiter, waits } = harness(10, 1000, 1);
    limiter.observe({ status: 429, retryAfterMs: 1500, limit: null, remaining: null, resetMs: null });
    await limiter.acquire();
    expect(waits[0]).toBeGreaterThan(1400);
    await limiter.acquire();
    // Without rate-limit headers, a 429 slows the spacing from 100 ms to 150 ms.
    expect(Math.round(waits[1]!)).toBe(150);
  });

  it("a 429's pause is capped by maxPauseMs", async () => {
    const waits: number[] = [];
    let t = 0;
    const limiter = new AdaptiveRateLimiter({
      limit: 10,
      windowMs: 1000,
      maxPauseMs: 5000,
      now: () => t,
      sleep: async (ms) => void (waits.push(ms), (t += ms)),
    });
    limiter.observe({ status: 429, retryAfterMs: 7_200_000, limit: null, remaining: null, resetMs: null });
    await limiter.acquire();
    expect(waits).toEqual([5000]);
  });

  it("rejects a wait when its signal aborts", async () => {
    const limiter = new AdaptiveRateLimiter({ limit: 1, windowMs: 60_000, burst: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const pending = limiter.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
  });
});
