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
