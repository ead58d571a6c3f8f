/**
 * One listener on the caller's signal, however many calls and attempts share it. A bulk run hands
 * the same signal to every call; a listener per call (or per attempt, or per backoff wait) makes
 * Node print `MaxListenersExceededWarning` as soon as more than 10 are in flight.
 */
interface Link {
  readonly listeners: Set<() => void>;
  readonly fire: () => void;
}

const links = new WeakMap<AbortSignal, Link>();
/** The unlink of a call without a caller signal: shared, not a closure per attempt. */
const NOTHING_TO_UNLINK = () => undefined;

/**
 * Calls `onAbort` once when `signal` aborts (at once if it already has). Returns the unlink
 * function; the shared listener goes when its last user unlinks, so nothing outlives the calls.
 */
export function onCallerAbort(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (signal === undefined) return NOTHING_TO_UNLINK;
  if (signal.aborted) {
    onAbort();
    return NOTHING_TO_UNLINK;
  }
  let link = links.get(signal);
  if (link === undefined) {
    const listeners = new Set<() => void>();
    const fire = () => {
      links.delete(signal);
      for (const listener of [...listeners]) listener();
    };
    link = { listeners, fire };
    links.set(signal, link);
    signal.addEventListener("abort", fire, { once: true });
  }
  const current = link;
  current.listeners.add(onAbort);
  return () => {
    current.listeners.delete(onAbort);
    if (current.listeners.size === 0 && links.get(signal) === current) {
      links.delete(signal);
      signal.removeEventListener("abort", current.fire);
    }
  };
}

/**
 * The caller's signal as waits of one call see it (a backoff sleep, a limiter's turn), made on
 * the first wait: most calls never wait. Attempts link to the caller's shared listener directly
 * (`onCallerAbort`), waits through this per-call signal.
 */
export class CallSignal {
  private link: { signal: AbortSignal; unlink: () => void } | undefined;
  constructor(private readonly caller: AbortSignal | undefined) {}
  get(): AbortSignal | undefined {
    const caller = this.caller;
    if (caller === undefined) return undefined;
    if (this.link === undefined) {
      const controller = new AbortController();
      this.link = { signal: controller.signal, unlink: onCallerAbort(caller, () => controller.abort(caller.reason)) };
    }
    return this.link.signal;
  }
  release(): void {
    this.link?.unlink();
  }
}

/** For calls without a caller signal: nothing to link, nothing to release. */
export const NO_CALLER_SIGNAL = new CallSignal(undefined);
