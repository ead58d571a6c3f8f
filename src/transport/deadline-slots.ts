/**
 * Deadline slots: attempts share their timeout signal. An attempt's deadline (start + timeoutMs)
 * falls in a slot of `SLOT_MS`; attempts with the same slot, the same `timeoutMs` and the same
 * caller signal (or none) share one AbortController and one timer that fires at the slot's end.
 * So an attempt's timeout fires between `timeoutMs` and `timeoutMs + SLOT_MS` after it started
 * (plus event-loop lag), never early — with the precision of a plain `setTimeout(timeoutMs)`,
 * which is what each attempt had before. Slots are shared only on the built-in fetch with the
 * process's own timers (`timersAndFetchAreNative`): a user's fetch, a patched `fetch` and fake
 * timers each get one slot per attempt that fires exactly at `timeoutMs`, as before slots.
 * A slot holds a timer only while an attempt is in flight in it.
 *
 * Why: on Node 20 a fresh AbortSignal costs ~11 µs (`createAbortSignal` + `makeTransferable`) and
 * undici's Request following a fresh signal ~11 µs more. Shared by ~10 attempts, the signal's own
 * cost is divided among them and undici's part drops to ~4–5 µs (docs/perf-notes.md, deadline slots).
 *
 * Per attempt there is a small member (what the per-attempt abort held before): `race` for a
 * user's fetch that may ignore the signal, `onAbort` for a body the built-in fetch did not make,
 * and `timedOut`. Only a timeout or the caller's abort ever aborts the shared controller: an
 * attempt that stops on its own (body cap, redirect) cancels its own stream, so it never cuts
 * short a sibling in flight.
 */
import { onCallerAbort } from "./caller-abort.js";

/**
 * Width of a deadline slot, in ms: how late a timeout may fire at most, and how long attempts may
 * keep joining one shared signal. At the CLI's pace (an attempt every ~0.4 ms) a slot gathers ~10
 * attempts (measured: 1,900 slots for 20,000 ids at concurrency 4 and 16), where most of the gain
 * is already had; against the default 30 s timeout, 4 ms late is 0.013%.
 * @default 4
 */
export const SLOT_MS = 4;

/**
 * Joins per slot before a new one opens. undici removes its listener from a signal only when the
 * Request is garbage-collected, and copies the listener list for every Request on a signal with
 * raised max listeners: a signal shared by thousands of requests gets slower and warns
 * (MaxListenersExceededWarning past 1,500).
 * @default 64
 */
export const MAX_JOINS = 64;

/** One attempt's view of its slot. */
export interface SlotMember {
  /** The signal its fetch gets: aborted by the slot's timeout or the caller's abort. */
  readonly signal: AbortSignal;
  /** The slot's timer fired while this attempt was in flight. */
  readonly timedOut: boolean;
  /** Settles with `promise`, or rejects as soon as the attempt aborts (the promise is still observed). */
  race<T>(promise: Promise<T>): Promise<T>;
  /** Calls `cancel` when the attempt aborts (at once if it has). */
  onAbort(cancel: () => void): void;
  /** The attempt is over: the slot stops watching it. Safe to call more than once. */
  leave(): void;
}

/**
 * The slot attempts join now, per caller signal (or `NO_CALLER`) and timeout: deletes and
 * read-backs with another timeout interleave without closing each other's slot. A closed slot is
 * never here; an idle one (no timer) stays until a join supersedes it or a sweep finds it ended.
 */
const open = new WeakMap<object, Map<number, Slot>>();
const NO_CALLER = {};
/** Past this many slots for one caller (many distinct timeouts, e.g. under `totalTimeoutMs`), ended idle ones are swept. */
const SWEEP_AT = 8;
/** The longest delay `setTimeout` takes (2^31−1 ms); a longer one runs after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** What the process started with: slots are shared only on these (`timersAndFetchAreNative`). */
const NATIVE_SET_TIMEOUT = globalThis.setTimeout;
const NATIVE_FETCH = globalThis.fetch;
const NATIVE_PERFORMANCE = globalThis.performance;
const NATIVE_NOW = globalThis.performance?.now;
let armedTimers = 0;

/** Timers armed right now (one per slot with an attempt in flight, private slots included): for tests, it must stay small. */
export function armedTimerCount(): number {
  return armedTimers;
}

/**
 * Whether attempts on the built-in fetch may share slots now. Not when `setTimeout` is not the
 * process's own (a test's fake timers: a slot armed on one fake clock must not take attempts
 * timed on another, and a fake clock may not move `performance.now()`), nor when `fetch` is
 * patched (an interceptor or tracing wrapper may listen on the signal itself: shared by 64
 * attempts, its listeners would warn, and a finished attempt's signal would later abort), nor
 * when `performance.now` is faked or spied. "Native" is what was there when this module loaded: an
 * interceptor imported before contactkit (nock, msw) counts as native.
 */
export function timersAndFetchAreNative(): boolean {
  return (
    globalThis.setTimeout === NATIVE_SET_TIMEOUT &&
    globalThis.fetch === NATIVE_FETCH &&
    // A faked or spied clock (standing still, or another test's) would put every attempt in one slot.
    globalThis.performance === NATIVE_PERFORMANCE &&
    NATIVE_PERFORMANCE.now === NATIVE_NOW &&
    !("clock" in NATIVE_SET_TIMEOUT)
  );
}

/**
 * Makes the member of an attempt that starts now with `timeoutMs`, on `caller`'s signal (if any).
 * `shared: false` (a user's fetch, fake timers, a timeout too long for a slot's longer timer):
 * the attempt gets a slot of its own that fires exactly at `timeoutMs`, as before slots.
 */
export function joinSlot(caller: AbortSignal | undefined, timeoutMs: number, shared = true): SlotMember {
  const now = performance.now();
  if (!shared || timeoutMs > MAX_TIMER_MS - SLOT_MS - 1) return new Slot(null, caller, timeoutMs, now + timeoutMs).join();
  const end = (Math.floor((now + timeoutMs) / SLOT_MS) + 1) * SLOT_MS;
  const key = caller ?? NO_CALLER;
  let slots = open.get(key);
  if (slots === undefined) open.set(key, (slots = new Map()));
  let slot = slots.get(timeoutMs);
  if (slot?.end !== end || slot.joins >= MAX_JOINS) {
    slot?.close();
    if (slots.size >= SWEEP_AT) for (const other of slots.values()) if (other.end <= now) other.close();
    slot = new Slot(slots, caller, timeoutMs, end);
    slots.set(timeoutMs, slot);
  }
  return slot.join();
}

class Slot {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  private readonly members = new Set<Member>();
  joins = 0;
  /** Armed only while an attempt is in flight: an idle slot holds no timer (nor the process, nor a Deno script). */
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The `clearTimeout` that goes with the `setTimeout` that armed it (fake timers may come and go). */
  private clear: typeof clearTimeout = clearTimeout;
  private unlink: () => void = noop;

  constructor(
    /** Where it is open to joins (its caller's slots by timeout); null: the slot of one attempt. */
    private openIn: Map<number, Slot> | null,
    private readonly caller: AbortSignal | undefined,
    private readonly timeoutMs: number,
    /** The slot's end on `performance.now()`'s clock: no earlier than every member's deadline. */
    readonly end: number,
  ) {}

  join(): Member {
    this.joins += 1;
    const member = new Member(this);
    this.members.add(member);
    if (this.members.size === 1) {
      // In flight (again): arm the timer for what is left of the slot, and link to the caller once
      // per busy spell (members share it).
      armedTimers += 1;
      this.clear = clearTimeout;
      this.timer = setTimeout(this.expire, Math.max(0, Math.ceil(this.end - performance.now())));
      this.unlink = onCallerAbort(this.caller, this.cut);
    }
    return member;
  }

  leave(member: Member): void {
    if (!this.members.delete(member) || this.members.size > 0) return;
    this.unlink();
    this.unlink = noop;
    // Idle: nothing to abort, so no timer; an open slot may still get members until its end, and
    // the next join re-arms it for what is left.
    this.disarm();
  }

  /** No more joins (a newer slot is open, or the slot fired). */
  close(): void {
    if (this.openIn?.get(this.timeoutMs) === this) this.openIn.delete(this.timeoutMs);
    this.openIn = null;
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    // Called bare: a browser's clearTimeout throws when called as a method of another object.
    const clear = this.clear;
    clear(this.timer);
    this.timer = undefined;
    armedTimers -= 1;
  }

  private readonly expire = (): void => {
    for (const member of this.members) member.timedOut = true;
    this.cut();
  };

  /** A timeout or the caller's abort: the shared signal, then each member's wait and body. */
  private readonly cut = (): void => {
    this.close();
    this.disarm();
    this.controller.abort();
    const reason = this.signal.reason;
    for (const member of this.members) member.cut(reason);
  };
}

class Member implements SlotMember {
  readonly signal: AbortSignal;
  timedOut = false;
  /** Rejects the wait in progress, if any. */
  private stopWaiting: ((reason: unknown) => void) | undefined;
  /** Cancels the body being read, if it asked to be cancelled. */
  private cancelBody: (() => void) | undefined;

  constructor(private readonly slot: Slot) {
    this.signal = slot.signal;
  }

  cut(reason: unknown): void {
    this.stopWaiting?.(reason);
    this.cancelBody?.();
  }

  race<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.signal.aborted) reject(this.signal.reason);
      else this.stopWaiting = reject;
      promise.then(resolve, reject);
    });
  }

  onAbort(cancel: () => void): void {
    if (this.signal.aborted) cancel();
    else this.cancelBody = cancel;
  }

  leave(): void {
    this.stopWaiting = undefined;
    this.cancelBody = undefined;
    this.slot.leave(this);
  }
}

function noop(): void {}
