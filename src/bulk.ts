/**
 * Bulk deletion: a bounded worker pool over an iterable or async iterable of ids, pulling the
 * next id only when a slot frees (so millions of ids stream without being held), paced by a rate
 * limiter, with every input id accounted for exactly once.
 */
import { isCount } from "./config.js";
import { callSettings, type ClientContext } from "./delete-one.js";
import { startPool, type Pool } from "./bulk-pool.js";
import { ContactkitError } from "./errors.js";
import type { ProviderName } from "./providers/names.js";
import { AdaptiveRateLimiter, readRateLimitHeaders, type RateLimiter } from "./rate-limit.js";
import type { DeleteResult } from "./result.js";
import type { RetrySettings } from "./transport/resilient-fetch.js";
import { deleteVerified, splitVerifyOptions } from "./verify.js";

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
   * Stops the run: in-flight calls abort; the remaining ids of an array (or any sync iterable)
   * are reported as `aborted` without a request. An async source is closed at once (a read it
   * has not answered is abandoned) and the report covers the ids read from it so far.
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
   * Called with every id's outcome as it completes (in a stream too, including the deletes still
   * in flight when the consumer leaves). If it throws or returns a promise that rejects, the run
   * goes on and the report counts it in `callbackErrors` (an audit write failing must not stop an
   * erasure); the run ends after the promises it returned have settled.
   * @default none
   */
  onResult?: (item: BulkItem) => unknown;
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

/** A validated run, not yet started: `report()` or `stream()` starts it (once). */
export interface BulkRun<P extends ProviderName = ProviderName> {
  report(): Promise<BulkReport<P>>;
  stream(): AsyncGenerator<BulkItem<P>>;
}

/**
 * Checks the run options (throwing `invalid_input` before anything is sent) and wires the rate
 * limiter into every attempt. Nothing is read or sent until the run is started.
 */
export function startBulkRun(bulk: BulkClient, ids: Iterable<string> | AsyncIterable<string>, options: Record<string, unknown>): BulkRun {
  const { context, name } = bulk;
  if (ids === null || typeof ids !== "object" || !(Symbol.iterator in ids || Symbol.asyncIterator in ids)) {
    throw new ContactkitError({ code: "invalid_input", provider: name, message: `${name}: \`ids\` must be iterable.` });
  }
  const { concurrency = 4, rateLimit, onResult, collect, ...perCall } = options;
  const problem = bulkProblem(concurrency, rateLimit, onResult, collect);
  if (problem) throw new ContactkitError({ code: "invalid_input", provider: name, message: `${name}: ${problem}.` });
  // Checked and merged once per run, up front (a bad per-call option fails the run before anything is sent);
  // `verify` and `verifyTimeoutMs` stay in the per-id options for the read-back (src/verify.ts).
  const runSettings = callSettings(name, context.adapter, context.settings, splitVerifyOptions(context.adapter, perCall).rest);
  const limiter =
    rateLimit === false
      ? null
      : ((rateLimit as RateLimiter | undefined) ??
        (bulk.limiter.current ??= new AdaptiveRateLimiter({ ...context.adapter.rateLimit, maxPauseMs: context.settings.maxRetryAfterMs })));
  const stats: BulkStats = { attempts: 0, rateLimitedResponses: 0 };
  // Merged once per run: every attempt then reads one settings object (no spread per id).
  const settings: RetrySettings = { ...runSettings, ...pacing(limiter, stats) };
  const { adapter, client, prepared, baseFetch } = context;
  const signal = perCall.signal as AbortSignal | undefined;
  const pool = (deliver: (item: BulkItem) => void, manualRelease: boolean) =>
    startPool({
      provider: name,
      title: adapter.title,
      ids,
      concurrency: concurrency as number,
      signal,
      // A literal, not a spread of the context: this runs once per id.
      work: (id) => deleteVerified({ adapter, client, prepared, settings, baseFetch, id, options: perCall, merged: true }),
      deliver: (item) => {
        stats.attempts += item.ok ? item.result.attempts : item.error.attempts;
        deliver(item);
      },
      manualRelease,
    });
  const callbacks = callbacksFor(onResult as BulkRunOptions["onResult"]);
  return {
    report: () => collectReport(name, (deliver) => pool(deliver, false), callbacks, collect !== false, signal, stats),
    stream: () => streamItems((deliver) => pool(deliver, true), callbacks),
  };
}

/** The limiter's hooks around every attempt, and the run's 429 count. */
function pacing(limiter: RateLimiter | null, stats: BulkStats): Partial<RetrySettings> {
  const tryAcquire = limiter?.tryAcquire?.bind(limiter);
  return {
    beforeAttempt: limiter ? (signal) => limiter.acquire(signal) : undefined,
    tryBeforeAttempt: tryAcquire,
    afterAttempt: (response, retryAfterMs) => {
      if (response?.status === 429) stats.rateLimitedResponses += 1;
      // Reading the rate-limit headers costs several Headers.get per response: only for a limiter that learns.
      if (!limiter?.observe) return;
      const window = response ? readRateLimitHeaders(response.headers) : null;
      limiter.observe({
        status: response?.status ?? null,
        retryAfterMs,
        limit: window?.limit ?? null,
        remaining: window?.remaining ?? null,
        resetMs: window?.resetMs ?? null,
      });
    },
  };
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

type StartPool = (deliver: (item: BulkItem) => void) => Pool;

interface Callbacks {
  /** Calls `onResult` with one outcome; a throw or a rejected promise is counted, never fatal. */
  call(item: BulkItem): void;
  /** Resolves when every promise an `onResult` returned has settled. */
  drained(): Promise<void>;
  readonly errors: number;
}

/** The caller's `onResult`, called for every outcome as it completes. */
function callbacksFor(onResult: ((item: BulkItem) => unknown) | undefined): Callbacks {
  let errors = 0;
  let pending = 0;
  let idle = () => undefined as void;
  const settled = () => void (--pending === 0 && idle());
  const failed = () => (errors++, settled());
  return {
    get errors() {
      return errors;
    },
    call(item) {
      if (onResult === undefined) return;
      try {
        const returned = onResult(item) as { then?: unknown } | null;
        if (typeof returned?.then === "function") {
          pending += 1;
          Promise.resolve(returned).then(settled, failed);
        }
      } catch {
        errors += 1;
      }
    },
    drained: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve))),
  };
}

/** Runs the pool into a report, delivering each outcome to `onResult` on the way. */
async function collectReport(
  provider: ProviderName,
  start: StartPool,
  callbacks: Callbacks,
  collect: boolean,
  signal: AbortSignal | undefined,
  stats: BulkStats,
): Promise<BulkReport> {
  const started = Date.now();
  const report: BulkReport = {
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
  const { counts } = report;
  const record = (item: BulkItem): void => {
    counts.total += 1;
    if (item.ok) {
      const bucket = item.result.outcome === "deleted" ? "deleted" : "absent";
      counts[bucket] += 1;
      if (item.result.verified) counts.verified += 1;
      if (collect) report[bucket].push(item.id);
    } else {
      counts.failed += 1;
      if (item.error.code === "still_present") counts.stillPresent += 1;
      if (collect) report.failed.push({ id: item.id, error: item.error });
    }
    callbacks.call(item);
  };
  report.sourceError = await start(record).finished;
  await callbacks.drained();
  report.callbackErrors = callbacks.errors;
  report.attempts = stats.attempts;
  report.rateLimitedResponses = stats.rateLimitedResponses;
  report.aborted = signal?.aborted === true;
  report.durationMs = Date.now() - started;
  return report;
}

/**
 * The run as outcomes in completion order, fed by a queue the pool fills. A slot frees only when
 * the consumer asks for the next outcome, so nothing piles up unread. Leaving early (break,
 * return, a throwing consumer) stops reading, closes the source and waits for the deletes already
 * sent, whose outcomes still reach `onResult`. A failed source is thrown after every outcome.
 */
async function* streamItems(start: StartPool, callbacks: Callbacks): AsyncGenerator<BulkItem> {
  const queue: BulkItem[] = [];
  let head = 0;
  let wake: (() => void) | null = null;
  let ended = false;
  const pool = start((item) => {
    callbacks.call(item);
    queue.push(item);
    wake?.();
  });
  let failure: ContactkitError | null = null;
  void pool.finished.then((error) => {
    failure = error;
    ended = true;
    wake?.();
  });
  try {
    for (;;) {
      if (head < queue.length) {
        const item = queue[head]!;
        queue[head++] = undefined as never; // let the outcome go once handed out
        if (head > 1024 && head * 2 > queue.length) queue.splice(0, head), (head = 0);
        yield item;
        pool.release();
        continue;
      }
      if (ended) {
        if (failure) throw failure;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    pool.stop();
    await pool.finished;
    await callbacks.drained();
  }
}
