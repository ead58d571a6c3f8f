/**
 * One attempt's abort: the signal its fetch gets, fired by the attempt's timer or by the caller,
 * and what it cuts short when it fires. A user's fetch might ignore the signal, so what it returns
 * (the response, then the body) is raced against the abort, and its body stream is cancelled on
 * abort. Both are plain callbacks that `abort` calls: no listener on the signal, no `finally` chain
 * per wait (each costs ~1–2 µs per attempt, and the built-in fetch needs neither: it rejects, and
 * errors the body stream, when its signal aborts).
 */
export class AttemptAbort {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  /** Rejects the wait in progress, if any. */
  private stopWaiting: ((reason: unknown) => void) | undefined;
  /** Cancels the body being read, if it asked to be cancelled. */
  private cancelBody: (() => void) | undefined;

  /** Fires the abort: the signal, then the wait and the body. Safe to call more than once. */
  readonly abort = (): void => {
    this.controller.abort();
    this.stopWaiting?.(this.signal.reason);
    this.cancelBody?.();
  };

  /** Settles with `promise`, or rejects as soon as the attempt aborts (the promise is still observed). */
  race<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.signal.aborted) reject(this.signal.reason);
      else this.stopWaiting = reject;
      promise.then(resolve, reject);
    });
  }

  /** Calls `cancel` when the attempt aborts (at once if it has). */
  onAbort(cancel: () => void): void {
    if (this.signal.aborted) cancel();
    else this.cancelBody = cancel;
  }
}
