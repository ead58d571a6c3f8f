/**
 * Bulk deletion: a bounded worker pool over an iterable or async iterable of ids, pulling the
 * next id only when a slot frees (so millions of ids stream without being held), paced by a rate
 * limiter, with every input id accounted for exactly once.
 */
import { isCount } from "./config.js";
import type { ClientContext } from "./delete-one.js";
import { ContactkitError, errorText, isContactkitError } from "./errors.js";
import type { ProviderName } from "./providers/names.js";
import { AdaptiveRateLimiter, readRateLimitHeaders, type RateLimiter } from "./rate-limit.js";
import type { DeleteResult } from "./result.js";
import type { RetrySettings } from "./transport/resilient-fetch.js";
import { checkVerifiedOptions, deleteVerified } from "./verify.js";

/** One id's outcome, as `onResult` and `deleteContactsStream` deliver it. */
export type BulkItem<P extends ProviderName = ProviderName> =
  | { id: string; ok: true; result: DeleteResult<P> }
  | { id: string; ok: false; error: ContactkitError };

/** What a bulk run did, id by id. Every input id is in exactly one of the three lists. */
export interface BulkReport<P extends ProviderName = ProviderName> {
  provider: P;
  /** Ids the provider confirmed deleted. */
  deleted: string[];
  /** Ids the provider said do not exist (only with `missingOk`, or after an ambiguous retry). */
  absent: string[];
  /** Ids that failed, each with its typed error (including ids skipped after an abort). */
  failed: Array<{ id: string; error: ContactkitError }>;
  /**
   * `verified`: deleted or absent ids a read-back confirmed gone (`verify`); `stillPresent`:
   * failures with code `still_present` (also counted in `failed`).
   */
  counts: { total: number; deleted: number; absent: number; failed: number; verified: number; stillPresent: number };
  /** HTTP attempts over the whole run, retries included. */
  attempts: number;
  /** 429 responses received (each was waited out and retried, or ended in `failed`). */
  rateLimitedResponses: number;
  /** True when the run was stopped by its `signal`; unsent ids are in `failed` with code `aborted`. */
  aborted: boolean;
  /** Errors thrown by `onResult` (the run goes on; each outcome is still in the report). */
  callbackErrors: number;
  /**
   * Why the run stopped early when reading the next id failed; the report then covers every id
   * read before that. Null when the source was read to the end (or the run was aborted).
   */
  sourceError: ContactkitError | null;
  startedAt: string;
  durationMs: number;
}

/** Pool, pacing and reporting options of `deleteContacts` and `deleteContactsStream`. */
export interface BulkRunOptions {
  /**
   * Deletes in flight at once.
   * @default 4
   */
  concurrency?: number;
  /**
   * Stops the run: in-flight calls abort, remaining ids are reported as `aborted` without a request.
   * @default none
   */
  signal?: AbortSignal;
  /**
   * Pacing. Default: an adaptive limiter per client, starting from the provider's documented
   * limit and following its rate-limit headers. `false` disables pacing (retries still honour
   * 429s). Or pass your own `RateLimiter`, e.g. one shared across processes.
   * @default the client's adaptive limiter
   */
  rateLimit?: RateLimiter | false;
  /**
   * Called with every id's outcome as it completes. If it throws, the run goes on and the
   * report counts it in `callbackErrors` (an audit write failing must not stop an erasure).
   * @default none
   */
  onResult?: (item: BulkItem) => void;
  /**
   * Keep the id lists in the returned report. Turn off for huge runs that only use `onResult`;
   * counts are kept either way.
   * @default true
   */
  collect?: boolean;
}

/** Counters a run keeps beside the per-id outcomes. */
export interface BulkStats {
  attempts: number;
  rateLimitedResponses: number;
}

/** A client's side of a run: its context, name, and the pacing state its runs share. */
export interface BulkClient {
  context: ClientContext;
  name: ProviderName;
  limiter: { current?: RateLimiter };
}

/**
 * Checks the run options (throwing `invalid_input` before anything is sent), wires the rate
 * limiter into every attempt, counts attempts and 429s, and starts the pool.
 */
export function startBulkRun(
  bulk: BulkClient,
  ids: Iterable<string> | AsyncIterable<string>,
  options: Record<string, unknown>,
): { items: AsyncGenerator<BulkItem>; stats: BulkStats } {
  const { context, name } = bulk;
  if (ids === null || typeof ids !== "object" || !(Symbol.iterator in ids || Symbol.asyncIterator in ids)) {
    throw new ContactkitError({ code: "invalid_input", provider: name, message: `${name}: \`ids\` must be iterable.` });
  }
  const { concurrency = 4, rateLimit, onResult, collect, ...perCall } = options;
  const problem = bulkProblem(concurrency, rateLimit, onResult, collect);
  if (problem) throw new ContactkitError({ code: "invalid_input", provider: name, message: `${name}: ${problem}.` });
  checkVerifiedOptions(context, perCall); // fail the run once, up front, on a bad per-call option
  const limiter =
    rateLimit === false
      ? null
      : ((rateLimit as RateLimiter | undefined) ??
        (bulk.limiter.current ??= new AdaptiveRateLimiter({ ...context.adapter.rateLimit, maxPauseMs: context.settings.maxRetryAfterMs })));
  const stats: BulkStats = { attempts: 0, rateLimitedResponses: 0 };
  const extra: Partial<RetrySettings> = {
    beforeAttempt: limiter ? (signal) => limiter.acquire(signal) : undefined,
    afterAttempt: (response, retryAfterMs) => {
      if (response?.status === 429) stats.rateLimitedResponses += 1;
      const window = response ? readRateLimitHeaders(response.headers) : { limit: null, remaining: null, resetMs: null };
      limiter?.observe?.({ status: response?.status ?? null, retryAfterMs, ...window });
    },
  };
  const counted = (id: string) =>
    deleteVerified({ ...context, id, options: perCall, extra }).then(
      (result) => ((stats.attempts += result.attempts), result),
      (error: unknown) => {
        stats.attempts += isContactkitError(error) ? error.attempts : 0;
        throw error;
      },
    );
  return { items: runBulk(name, ids, concurrency as number, perCall.signal as AbortSignal | undefined, counted, context.adapter.title), stats };
}

function bulkProblem(concurrency: unknown, rateLimit: unknown, onResult: unknown, collect: unknown): string | null {
  if (!(isCount(concurrency) && concurrency >= 1 && concurrency <= 256)) return "`concurrency` must be 1 to 256";
  if (rateLimit !== undefined && rateLimit !== false) {
    if (typeof rateLimit !== "object" || rateLimit === null || typeof (rateLimit as RateLimiter).acquire !== "function") {
      return "`rateLimit` must be false or a RateLimiter";
    }
  }
  if (onResult !== undefined && typeof onResult !== "function") return "`onResult` must be a function";
  if (collect !== undefined && typeof collect !== "boolean") return "`collect` must be a boolean";
  return null;
}

/**
 * Runs `deleteOne` over `ids` with bounded concurrency, yielding outcomes as they complete.
 * Leaving early (break, return, a throwing consumer) still waits for the deletes already sent,
 * so none is left running unseen, and closes the id source.
 */
export async function* runBulk<P extends ProviderName>(
  provider: P,
  ids: Iterable<string> | AsyncIterable<string>,
  concurrency: number,
  signal: AbortSignal | undefined,
  deleteOne: (id: string) => Promise<DeleteResult<P>>,
  /** The provider's own name, for messages about one id. */
  title: string = provider,
): AsyncGenerator<BulkItem<P>> {
  const source = toIterator(ids);
  const pending = new Map<number, Promise<[number, BulkItem<P>]>>();
  let nextKey = 0;
  let exhausted = false;

  const attempt = async (id: unknown): Promise<BulkItem<P>> => {
    const key = typeof id === "string" ? id : String(id);
    if (signal?.aborted) return { id: key, ok: false, error: skippedError(provider, title, key) };
    try {
      return { id: key, ok: true, result: await deleteOne(id as string) };
    } catch (error) {
      return { id: key, ok: false, error: asContactkitError(provider, title, key, error) };
    }
  };

  let failure: ContactkitError | null = null;
  // The next id being read. Raced against the deletes in flight, so a slow source (an open stdin)
  // does not hold back outcomes that are already known.
  let pull: Promise<IteratorResult<unknown>> | null = null;
  try {
    for (;;) {
      // A sync iterator may throw from next(): the Promise constructor turns that into a rejection.
      if (!exhausted && pull === null && pending.size < concurrency) pull = new Promise((resolve) => resolve(source.next()));
      if (pull === null && pending.size === 0) {
        if (failure) throw failure;
        return;
      }
      // The read is listed first so that, when both are ready, the pool is refilled first.
      const winner = await Promise.race([
        ...(pull ? [pull.then((next) => ({ next }), (error: unknown) => ({ error }))] : []),
        ...pending.values(),
      ]);
      if (!Array.isArray(winner)) {
        pull = null;
        if ("error" in winner) {
          // Stop reading, but first deliver every delete already sent.
          failure = sourceError(provider, winner.error);
          exhausted = true;
        } else if (winner.next.done) {
          exhausted = true;
        } else {
          const key = nextKey++;
          pending.set(key, attempt(winner.next.value).then((item) => [key, item]));
        }
        continue;
      }
      const [key, item] = winner;
      pending.delete(key);
      yield item;
    }
  } finally {
    // Deletes already sent finish before the run ends, whatever ended it.
    await Promise.all(pending.values());
    if (!exhausted) {
      // A read still in flight may never settle (an idle stdin): close the source once it does,
      // without making the caller wait for it.
      const close = () => source.return?.();
      if (pull) void pull.then(close, close).catch(() => undefined);
      else await close();
    }
  }
}

/** Drains `runBulk` into a report, delivering each item to `onResult` on the way. */
export async function collectReport<P extends ProviderName>(
  provider: P,
  items: AsyncIterable<BulkItem<P>>,
  options: BulkRunOptions,
  stats: BulkStats,
): Promise<BulkReport<P>> {
  const started = Date.now();
  const collect = options.collect !== false;
  const report: BulkReport<P> = {
    provider,
    deleted: [],
    absent: [],
    failed: [],
    counts: { total: 0, deleted: 0, absent: 0, failed: 0, verified: 0, stillPresent: 0 },
    attempts: 0,
    rateLimitedResponses: 0,
    aborted: false,
    callbackErrors: 0,
    sourceError: null,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
  };
  try {
    for await (const item of items) record(item);
  } catch (error) {
    // Per-id failures never escape runBulk; what does is the id source failing.
    report.sourceError = isContactkitError(error) ? error : sourceError(provider, error);
  }
  report.attempts = stats.attempts;
  report.rateLimitedResponses = stats.rateLimitedResponses;
  report.aborted = options.signal?.aborted === true;
  report.durationMs = Date.now() - started;
  return report;

  function record(item: BulkItem<P>): void {
    report.counts.total += 1;
    if (item.ok) {
      const bucket = item.result.outcome === "deleted" ? "deleted" : "absent";
      report.counts[bucket] += 1;
      if (item.result.verified) report.counts.verified += 1;
      if (collect) report[bucket].push(item.id);
    } else {
      report.counts.failed += 1;
      if (item.error.code === "still_present") report.counts.stillPresent += 1;
      if (collect) report.failed.push({ id: item.id, error: item.error });
    }
    try {
      options.onResult?.(item as BulkItem);
    } catch {
      report.callbackErrors += 1;
    }
  }
}

/** The client has checked that `source` is iterable one way or the other. */
function toIterator<T>(source: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
}

function skippedError(provider: ProviderName, title: string, id: string): ContactkitError {
  return runError(provider, "aborted", `${title}: contact ${JSON.stringify(id)} not sent: the run was aborted.`, id);
}

/** The id source failed: the run stops; outcomes already delivered via `onResult`/the stream stand. */
function sourceError(provider: ProviderName, error: unknown): ContactkitError {
  return runError(provider, "invalid_input", `${provider}: reading ids failed: ${errorText(error)}`, null, error);
}

function asContactkitError(provider: ProviderName, title: string, id: string, error: unknown): ContactkitError {
  if (isContactkitError(error)) return error;
  // A bug in contactkit: keep the run going and account for the id (which may have been deleted).
  return runError(provider, "provider_error", `${title}: deleting contact ${JSON.stringify(id)} failed unexpectedly: ${errorText(error)}`, id, error, true);
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
