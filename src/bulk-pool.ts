/**
 * The bulk worker pool, driven by callbacks rather than by racing promises: a slot that frees
 * reads the next id, and each outcome is handed to `deliver` the moment it is known. That costs
 * O(1) promise reactions per id (a `Promise.race` over every pending delete cost O(concurrency)),
 * and it holds up against hostile input: an id that cannot be stringified fails alone, a source
 * whose next read never settles is abandoned on abort, and a throwing `deliver` cannot stop the run.
 */
import { ContactkitError, errorText, isContactkitError } from "./errors.js";
import type { ProviderName } from "./providers/names.js";
import type { DeleteResult } from "./result.js";
import { onCallerAbort } from "./transport/caller-abort.js";

/** One id's outcome (the public `BulkItem`). */
export type PoolItem<P extends ProviderName = ProviderName> =
  | { id: string; ok: true; result: DeleteResult<P> }
  | { id: string; ok: false; error: ContactkitError };

export interface PoolInput<P extends ProviderName> {
  provider: P;
  /** The provider's own name, for messages about one id. */
  title: string;
  ids: Iterable<unknown> | AsyncIterable<unknown>;
  concurrency: number;
  signal: AbortSignal | undefined;
  /** Deletes one id; the value is passed as read, so its own checks name what is wrong with it. */
  work: (id: string) => Promise<DeleteResult<P>>;
  /** Receives every outcome, synchronously, in completion order. Must not throw. */
  deliver: (item: PoolItem<P>) => void;
  /**
   * A slot stays taken until `release()`, not just until its delete completes: a stream's
   * consumer sets the pace, so outcomes never pile up unread.
   */
  manualRelease?: boolean;
}

export interface Pool {
  /**
   * Resolves once reading has ended (source done, failed, stopped or aborted) and every delete
   * sent has been delivered; with the source's error when reading failed.
   */
  readonly finished: Promise<ContactkitError | null>;
  /** Frees one slot taken by a delivered outcome (with `manualRelease`). */
  release(): void;
  /** Reads no more ids and closes the source; deletes in flight still finish and are delivered. */
  stop(): void;
}

const UNPRINTABLE_ID = "(an id that cannot be turned into a string)";

export function startPool<P extends ProviderName>(input: PoolInput<P>): Pool {
  const { provider, title, concurrency, signal, work, deliver } = input;
  const source = toIterator(input.ids);
  let manual = input.manualRelease === true;
  let busy = 0; // slots taken: deletes in flight, plus outcomes not yet released
  let inFlight = 0; // deletes not yet settled
  let reading = false; // an async read is pending
  let closed = false; // no more reads
  let filling = false;
  let failure: ContactkitError | null = null;
  let done = false;
  let resolveFinished!: (failure: ContactkitError | null) => void;
  const finished = new Promise<ContactkitError | null>((resolve) => (resolveFinished = resolve));

  const finish = (item: PoolItem<P>) => {
    try {
      deliver(item);
    } catch {
      // deliver is ours and catches the caller's callbacks; never let it end the run.
    }
    if (!manual) busy -= 1;
  };
  const afterDelete = (item: PoolItem<P>) => {
    inFlight -= 1;
    finish(item);
    fill();
    checkDone();
  };

  const start = (value: unknown) => {
    busy += 1;
    const key = idKey(value);
    if (key === null) {
      // Its own checks would say why, but they need the value; the report needs a printable key.
      finish({
        id: UNPRINTABLE_ID,
        ok: false,
        error: runError(
          provider,
          "invalid_input",
          `${title}: invalid contact id: it cannot be turned into a string. Nothing was sent.`,
          null,
        ),
      });
      return;
    }
    if (signal?.aborted) {
      finish({
        id: key,
        ok: false,
        error: runError(provider, "aborted", `${title}: contact ${JSON.stringify(key)} not sent: the run was aborted.`, key),
      });
      return;
    }
    inFlight += 1;
    const failed = (error: unknown) => afterDelete({ id: key, ok: false, error: asContactkitError(provider, title, key, error) });
    try {
      work(value as string).then((result) => afterDelete({ id: key, ok: true, result }), failed);
    } catch (error) {
      failed(error);
    }
  };

  /** Handles one read's result; false when reading must stop. */
  const accept = (next: IteratorResult<unknown>): boolean => {
    let isDone: boolean;
    let value: unknown;
    try {
      if (Object(next) !== next) throw new TypeError("the iterator returned a non-object");
      isDone = next.done === true;
      value = isDone ? undefined : next.value;
    } catch (error) {
      fail(error);
      return false;
    }
    if (isDone) {
      closed = true; // read to the end: nothing to close
      return false;
    }
    start(value);
    return true;
  };
  const fail = (error: unknown) => {
    failure = sourceError(provider, error);
    closed = true; // a failed source is not closed again
  };

  function fill(): void {
    if (filling) return; // an outcome delivered while filling: the running loop goes on
    filling = true;
    try {
      while (!closed && !reading && busy < concurrency) {
        let next: unknown;
        try {
          next = source.next();
        } catch (error) {
          fail(error);
          break;
        }
        if (isThenable(next)) {
          reading = true;
          Promise.resolve(next as PromiseLike<IteratorResult<unknown>>).then(onRead, onReadError);
          break;
        }
        if (!accept(next as IteratorResult<unknown>)) break;
      }
    } finally {
      filling = false;
    }
  }
  function onRead(next: IteratorResult<unknown>): void {
    if (!reading) return; // abandoned (abort or stop): the id was never taken
    reading = false;
    if (accept(next)) fill();
    checkDone();
  }
  function onReadError(error: unknown): void {
    if (!reading) return;
    reading = false;
    fail(error);
    checkDone();
  }

  /** Stops reading: a pending read is abandoned, and the source is told we are done with it. */
  function close(): void {
    if (closed) return;
    closed = true;
    reading = false;
    try {
      const closing: unknown = source.return?.();
      // Not awaited: an async generator busy in a read that never settles would never answer.
      if (isThenable(closing)) Promise.resolve(closing).catch(() => undefined);
    } catch {
      // A source that fails to close has still been left.
    }
  }
  function checkDone(): void {
    if (done || !closed || reading || inFlight > 0) return;
    done = true;
    unlink();
    resolveFinished(failure);
  }

  const isAsyncSource = Symbol.asyncIterator in (input.ids as object);
  // Sync sources go on being read after an abort (each id reported `aborted`, nothing sent); an
  // async one may wait forever for its next id, so it is closed and the report covers what was read.
  let unlink = () => undefined as void;
  unlink = onCallerAbort(signal, () => {
    if (isAsyncSource) close();
    fill();
    checkDone();
  });
  fill();
  checkDone();
  return {
    finished,
    release() {
      busy -= 1;
      fill();
      checkDone();
    },
    stop() {
      manual = false;
      close();
      checkDone();
    },
  };
}

/** The client has checked that `source` is iterable one way or the other. */
function toIterator<T>(source: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}

/** The id as the report lists it; null when it cannot be turned into a string. */
function idKey(value: unknown): string | null {
  if (typeof value === "string") return value;
  try {
    return String(value);
  } catch {
    return null;
  }
}

/** The id source failed: the run stops; outcomes already delivered stand. */
export function sourceError(provider: ProviderName, error: unknown): ContactkitError {
  return runError(provider, "invalid_input", `${provider}: reading ids failed: ${errorText(error)}`, null, error);
}

function asContactkitError(provider: ProviderName, title: string, id: string, error: unknown): ContactkitError {
  if (isContactkitError(error)) return error;
  // A bug in contactkit: keep the run going and account for the id (which may have been deleted).
  return runError(
    provider,
    "provider_error",
    `${title}: deleting contact ${JSON.stringify(id)} failed unexpectedly: ${errorText(error)}`,
    id,
    error,
    true,
  );
}

function runError(
  provider: ProviderName,
  code: "aborted" | "invalid_input" | "provider_error",
  message: string,
  contactId: string | null,
  cause?: unknown,
  mayHaveApplied = false,
): ContactkitError {
  return new ContactkitError({ code, provider, contactId, message, cause, mayHaveApplied });
}
