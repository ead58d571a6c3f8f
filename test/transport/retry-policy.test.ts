import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  parseDeltaSeconds,
  parseResetSecondsOrEpoch,
  parseSecondsOrDate,
  parseRetryHint,
} from "../../src/transport/retry-policy.js";

describe("backoffDelay", () => {
  it("doubles from 500 ms and caps at 8 s without jitter", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, { jitter: false }));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("jitter only shortens, by at most 25%", () => {
    expect(backoffDelay(2, {}, () => 0)).toBe(1000);
    expect(backoffDelay(2, {}, () => 0.999999)).toBe(750);
    expect(backoffDelay(2, {}, () => 0.5)).toBe(875);
  });

  it("honours custom initial and max delays", () => {
    expect(backoffDelay(1, { initialDelayMs: 10, jitter: false })).toBe(10);
    expect(backoffDelay(4, { initialDelayMs: 10, maxDelayMs: 50, jitter: false })).toBe(50);
  });
});

describe("server hints", () => {
  const now = Date.parse("2026-11-22T12:00:00Z");

  it("reads retry-after-ms before Retry-After", () => {
    expect(parseRetryHint(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
  });

  it("reads Retry-After in seconds and as an HTTP date", () => {
    expect(parseRetryHint(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(parseRetryHint(new Headers({ "retry-after": "Sun, 22 Nov 2026 12:00:07 GMT" }), now)).toBe(7000);
    expect(parseRetryHint(new Headers({ "retry-after": "Sun, 22 Nov 2026 11:00:00 GMT" }), now)).toBe(0);
  });

  it("ignores garbage and absent hints", () => {
    expect(parseRetryHint(new Headers({ "retry-after": "soon" }), now)).toBeNull();
    // Date.parse alone reads these as dates in 2001 (a wait of 0): only RFC 9110 dates count.
    for (const junk of ["-1", "soon 1", "1,5", "2026-11-22", "Mon 1", "Sunday soon 5"])
      expect(parseSecondsOrDate(junk, now), junk).toBeNull();
    expect(parseSecondsOrDate("Sunday, 22-Nov-26 12:00:05 GMT", now)).toBe(5000);
    expect(parseSecondsOrDate("Sun Nov 22 12:00:06 2026", now)).toBe(6000);
    expect(parseRetryHint(new Headers({ "retry-after-ms": "-5" }), now)).toBeNull();
    expect(parseRetryHint(new Headers(), now)).toBeNull();
    expect(parseSecondsOrDate("1.5", now)).toBe(1500);
    expect(parseDeltaSeconds("abc")).toBeNull();
    expect(parseDeltaSeconds(null)).toBeNull();
  });

  it("reads provider hints from headers: x-ratelimit-retry-after and exhausted windows", () => {
    expect(parseRetryHint(new Headers({ "x-ratelimit-retry-after": "6" }), now)).toBe(6000);
    expect(parseRetryHint(new Headers({ RateLimit: "limit=100, remaining=0, reset=3" }), now)).toBe(3000);
    expect(parseRetryHint(new Headers({ RateLimit: "limit=100; remaining=0; reset=3" }), now)).toBe(3000);
    expect(parseRetryHint(new Headers({ RateLimit: "limit=100; remaining=5; reset=3" }), now)).toBeNull();
    // Close sends Retry-After beside RateLimit on a 429; the explicit Retry-After wins.
    expect(parseRetryHint(new Headers({ RateLimit: "limit=100, remaining=0, reset=1", "Retry-After": "2" }), now)).toBe(2000);
    expect(parseRetryHint(new Headers({ "ratelimit-remaining": "0", "ratelimit-reset": "4" }), now)).toBe(4000);
    expect(parseRetryHint(new Headers({ "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(now / 1000 + 5) }), now)).toBe(5000);
    // A window that is not used up is no reason to wait.
    expect(parseRetryHint(new Headers({ "ratelimit-remaining": "10", "ratelimit-reset": "4" }), now)).toBeNull();
  });

  it("reads X-RateLimit-Reset as seconds, epoch seconds or epoch milliseconds", () => {
    expect(parseResetSecondsOrEpoch("30", now)).toBe(30_000);
    expect(parseResetSecondsOrEpoch(String(now / 1000 + 12), now)).toBe(12_000);
    expect(parseResetSecondsOrEpoch(String(now + 4000), now)).toBe(4000);
    expect(parseResetSecondsOrEpoch(String(now / 1000 - 100), now)).toBe(0);
  });
});
