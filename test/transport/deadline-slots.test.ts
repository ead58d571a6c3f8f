/**
 * Deadline slots (src/transport/deadline-slots.ts): attempts that time out within the same
 * SLOT_MS, with the same timeout and caller, share one signal and timer. A timeout never fires
 * before `timeoutMs` nor more than SLOT_MS after it; only a timeout or the caller aborts the
 * shared signal; a slot takes at most MAX_JOINS attempts; an idle slot aborts nothing.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createContactsClient } from "../../src/index.js";
import {
  joinSlot,
  armedTimerCount,
  MAX_JOINS,
  SLOT_MS,
  timersAndFetchAreNative,
  type SlotMember,
} from "../../src/transport/deadline-slots.js";
import { rejection } from "../helpers/rejection.js";

const base = { provider: "close" as const, apiKey: "k3y-for-tests", baseUrl: "http://127.0.0.1:9", maxRetries: 0 };
const ok = () => new Response("{}", { status: 200, headers: { "content-type": "application/json" } });

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** When (on the faked clock) each member's signal aborted. */
function abortTimes(members: SlotMember[]): Map<SlotMember, number> {
  const times = new Map<SlotMember, number>();
  // One listener per signal (members share them): record every member of it at once.
  for (const signal of new Set(members.map((m) => m.signal))) {
    signal.addEventListener("abort", () => {
      for (const member of members) if (member.signal === signal) times.set(member, performance.now());
    });
  }
  return times;
}

describe("deadline slots", () => {
  it("a timeout fires no earlier than timeoutMs and at most SLOT_MS later, wherever in its slot the attempt starts", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const timeoutMs = 100;
    const members: Array<{ member: SlotMember; started: number }> = [];
    // Starts spread over three slots, 0.25 ms apart: the first and last of each slot included.
    for (let i = 0; i < 48; i++) {
      members.push({ member: joinSlot(undefined, timeoutMs), started: performance.now() });
      vi.advanceTimersByTime(0.25);
    }
    const times = abortTimes(members.map((m) => m.member));
    vi.advanceTimersByTime(timeoutMs + 2 * SLOT_MS);
    for (const { member, started } of members) {
      const fired = times.get(member);
      expect(member.timedOut).toBe(true);
      expect(fired! - started).toBeGreaterThanOrEqual(timeoutMs);
      expect(fired! - started).toBeLessThanOrEqual(timeoutMs + SLOT_MS);
    }
    // They did share: fewer signals than attempts.
    expect(new Set(members.map((m) => m.member.signal)).size).toBeLessThanOrEqual(4);
    for (const { member } of members) member.leave();
  });

  // The slot's own timing on a fake clock (production does not share under fake timers: a slot of
  // one attempt runs the same code). Whatever clock the slot's end was computed on, the timer runs
  // on the timers' clock and is not re-checked against `performance.now()`.
  for (const toFake of [
    ["setTimeout", "clearTimeout"],
    ["setTimeout", "clearTimeout", "performance"],
  ] as const) {
    it(`fake timers faking ${toFake.join(", ")}: advancing them times the attempt out`, () => {
      vi.useFakeTimers({ toFake: [...toFake] });
      const member = joinSlot(undefined, 50);
      vi.advanceTimersByTime(49);
      expect(member.timedOut).toBe(false);
      vi.advanceTimersByTime(1 + SLOT_MS);
      expect(member.timedOut).toBe(true);
      expect(member.signal.aborted).toBe(true);
      member.leave();
    });
  }

  it("attempts of different timeouts or different callers never share a slot; the same ones do", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const callerA = new AbortController().signal;
    const callerB = new AbortController().signal;
    const members = [
      joinSlot(undefined, 100),
      joinSlot(undefined, 100),
      joinSlot(undefined, 101), // ends in the same slot as the first two, but another timeout
      joinSlot(undefined, 100), // and does not close theirs: interleaved timeouts keep sharing
      joinSlot(callerA, 100),
      joinSlot(callerA, 100),
      joinSlot(callerB, 100),
    ];
    const [none1, none2, other, none3, a1, a2, b] = members.map((m) => m.signal);
    expect(none1).toBe(none2);
    expect(none3).toBe(none1);
    expect(a1).toBe(a2);
    expect(new Set([none1, other, a1, b]).size).toBe(4);
    for (const member of members) member.leave();
  });

  it("the caller's abort reaches its own slot's attempts only", async () => {
    const callerA = new AbortController();
    const callerB = new AbortController();
    const a = joinSlot(callerA.signal, 30_000);
    const b = joinSlot(callerB.signal, 30_000);
    const none = joinSlot(undefined, 30_000);
    const waiting = a.race(new Promise(() => undefined));
    callerA.abort();
    await expect(waiting).rejects.toThrow();
    expect(a.signal.aborted).toBe(true);
    expect(a.timedOut).toBe(false);
    expect(b.signal.aborted).toBe(false);
    expect(none.signal.aborted).toBe(false);
    for (const member of [a, b, none]) member.leave();
  });

  it("a slot takes at most MAX_JOINS attempts, then a new one opens; idle slots hold no timer", () => {
    // All attempts in one slot's window: only the bound makes new signals.
    const frozen = performance.now();
    vi.spyOn(performance, "now").mockReturnValue(frozen);
    const uses = new Map<AbortSignal, number>();
    const before = armedTimerCount();
    let peak = 0;
    const calls = MAX_JOINS * 3 + 5;
    for (let i = 0; i < calls; i++) {
      const member = joinSlot(undefined, 1234);
      uses.set(member.signal, (uses.get(member.signal) ?? 0) + 1);
      peak = Math.max(peak, armedTimerCount());
      member.leave();
    }
    expect(Math.max(...uses.values())).toBe(MAX_JOINS);
    expect(uses.size).toBe(4);
    // One timer while an attempt is in flight, none once it has left.
    expect(peak).toBe(before + 1);
    expect(armedTimerCount()).toBe(before);
  });

  it("a user's fetch, a patched fetch or fake timers: one slot per attempt, exactly at timeoutMs", async () => {
    expect(timersAndFetchAreNative()).toBe(true);
    const signals = new Set<AbortSignal>();
    const client = createContactsClient({
      ...base,
      fetch: async (_request, init) => {
        signals.add(init?.signal as AbortSignal);
        return ok();
      },
    });
    for (let i = 0; i < 5; i++) await client.deleteContact("cont_1", { verify: false });
    expect(signals.size).toBe(5);
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => realFetch(input, init));
    expect(timersAndFetchAreNative()).toBe(false);
    vi.restoreAllMocks();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    expect(timersAndFetchAreNative()).toBe(false);
    vi.useRealTimers();
    expect(timersAndFetchAreNative()).toBe(true);
  });

  it("a redirect whose discarded body never finishes cancelling does not hold the attempt", async () => {
    const client = createContactsClient({
      ...base,
      timeoutMs: 2_000,
      fetch: async (request) => {
        const url = (request as Request).url;
        if (!url.endsWith("/")) return ok();
        // A body stream whose cancel() never settles (a user's fetch, a proxy's stream).
        const body = new ReadableStream({ pull: () => new Promise(() => undefined), cancel: () => new Promise(() => undefined) });
        return new Response(body, { status: 307, headers: { location: url.slice(0, -1) } });
      },
    });
    const started = performance.now();
    await expect(client.deleteContact("cont_1", { verify: false })).resolves.toMatchObject({ outcome: "deleted", status: 200 });
    // Well inside the attempt's timeout: the call did not wait on the cancel.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("a timeout too long for a slot's timer (within SLOT_MS of 2^31−1 ms) gets its own exact timer", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const longest = 2 ** 31 - 1;
    const a = joinSlot(undefined, longest);
    const b = joinSlot(undefined, longest);
    expect(a.signal).not.toBe(b.signal);
    vi.advanceTimersByTime(10);
    // A delay past 2^31−1 would have run after 1 ms.
    expect(a.signal.aborted).toBe(false);
    a.leave();
    b.leave();
  });

  it("an idle slot's timer aborts nothing when it fires", async () => {
    let seen: AbortSignal | undefined;
    const client = createContactsClient({
      ...base,
      timeoutMs: 30,
      fetch: async (_request, init) => {
        seen = init?.signal as AbortSignal;
        return ok();
      },
    });
    await expect(client.deleteContact("cont_1", { verify: false })).resolves.toMatchObject({ outcome: "deleted" });
    await new Promise((resolve) => setTimeout(resolve, 30 + 3 * SLOT_MS + 20));
    expect(seen?.aborted).toBe(false);
  });

  it("one attempt's timeout reports its own timeout, and a sibling that answered is untouched", async () => {
    const signals: AbortSignal[] = [];
    let calls = 0;
    const client = createContactsClient({
      ...base,
      timeoutMs: 60,
      fetch: (_request, init) => {
        signals.push(init?.signal as AbortSignal);
        // The first answers at once, the second never does (and ignores its signal).
        return calls++ === 0 ? Promise.resolve(ok()) : new Promise<Response>(() => undefined);
      },
    });
    const started = performance.now();
    const [first, second] = await Promise.all([
      client.deleteContact("cont_1", { verify: false }),
      rejection(client.deleteContact("cont_2", { verify: false })),
    ]);
    expect(first).toMatchObject({ outcome: "deleted" });
    expect(second).toMatchObject({ code: "timeout", attempts: 1, mayHaveApplied: true });
    expect(second.message).toContain("no complete answer within 60 ms");
    expect(performance.now() - started).toBeGreaterThanOrEqual(60);
  });
});
