/**
 * Deadline slots: attempts share their timeout signal. An attempt's deadline (start + timeoutMs)
 * falls in a slot of `SLOT_MS`; attempts with the same slot, the same `timeoutMs` and the same
 * caller signal (or none) share one AbortController and one timer that fires at the slot's end.
 * So an attempt's timeout fires between `timeoutMs` and `timeoutMs + SLOT_MS` after it started
 * (plus event-loop lag), never early — with the precision of a plain `setTimeout(timeoutMs)`,
 * which is what each attempt had before. The slot's end is computed on `performance.now()`, but
 * the timer then runs on the timers' own clock and is not re-checked against the first: a user's
 * test with fake timers that fake `setTimeout` and not `performance` (e.g. `vi.useFakeTimers({
 * toFake: ["setTimeout", "clearTimeout"] })`) must still see a hung call time out when it
 * advances the timers.
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
 * never here, and an idle one leaves at its end, so this holds only slots that may get members.
 */
const open = new WeakMap<object, Map<number, Slot>>();
const NO_CALLER = {};
let liveSlots = 0;

/** Slots with a member in flight or still open to joins (for tests: it must stay small). */
export function liveSlotCount(): number {
  return liveSlots;
}

/** Makes the member of an attempt that starts now with `timeoutMs`, on `caller`'s signal (if any). */
export function joinSlot(caller: AbortSignal | undefined, timeoutMs: number): SlotMember {
  const now = performance.now();
  const end = (Math.floor((now + timeoutMs) / SLOT_MS) + 1) * SLOT_MS;
  const key = caller ?? NO_CALLER;
  let slots = open.get(key);
  if (slots === undefined) open.set(key, (slots = new Map()));
  let slot = slots.get(timeoutMs);
  if (slot?.end !== end || slot.joins >= MAX_JOINS) {
    slot?.close();
    slot = new Slot(slots, caller, timeoutMs, end, now);
    slots.set(timeoutMs, slot);
  }
  return slot.join();
}

class Slot {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  private readonly members = new Set<Member>();
  joins = 0;
  /** Still the slot new attempts join (not superseded, fired or aborted by the caller). */
  private isOpen = true;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unlink: () => void = noop;

  constructor(
    /** Where it is open (its caller's slots by timeout). */
    private readonly openIn: Map<number, Slot>,
    private readonly caller: AbortSignal | undefined,
    readonly timeoutMs: number,
    /** The slot's end on `performance.now()`'s clock: no earlier than every member's deadline. */
    readonly end: number,
    now: number,
  ) {
    liveSlots += 1;
    // A whole number of ms: Node keeps one timer list per distinct duration.
    this.timer = setTimeout(this.expire, Math.ceil(end - now));
  }

  join(): Member {
    this.joins += 1;
    const member = new Member(this);
    this.members.add(member);
    if (this.members.size === 1) {
      // Idle until now (its timer unref'd): in flight again, so the timer keeps the process alive.
      holdProcess(this.timer, true);
      // Members share the caller: one link per busy slot, released when it is idle again.
      this.unlink = onCallerAbort(this.caller, this.cut);
    }
    return member;
  }

  leave(member: Member): void {
    if (!this.members.delete(member) || this.members.size > 0) return;
    this.unlink();
    this.unlink = noop;
    // Idle: an open slot may still get members until its end, so its timer only stops holding the
    // process (and finds no one to abort when it fires); a closed one gets none and goes now.
    if (this.isOpen) holdProcess(this.timer, false);
    else this.drop();
  }

  /** A newer slot is open: no more joins, and an idle slot goes at once. */
  close(): void {
    this.forget();
    if (this.members.size === 0) this.drop();
  }

  /** Runs once: when the last member of a closed slot leaves, or an open one is superseded or expires idle. */
  private drop(): void {
    clearTimeout(this.timer);
    this.forget();
    liveSlots -= 1;
  }

  private forget(): void {
    this.isOpen = false;
    if (this.openIn.get(this.timeoutMs) === this) this.openIn.delete(this.timeoutMs);
  }

  private readonly expire = (): void => {
    if (this.members.size === 0) return this.drop();
    for (const member of this.members) member.timedOut = true;
    this.cut();
  };

  /** A timeout or the caller's abort: the shared signal, then each member's wait and body. */
  private readonly cut = (): void => {
    this.forget();
    clearTimeout(this.timer);
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

/** Node's timers keep the process alive unless unref'd; a browser's (a number) have no such notion. */
function holdProcess(timer: ReturnType<typeof setTimeout> | undefined, hold: boolean): void {
  (timer as { ref?: () => void; unref?: () => void } | undefined)?.[hold ? "ref" : "unref"]?.();
}
