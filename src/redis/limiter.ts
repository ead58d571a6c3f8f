/**
 * `RedisRateLimiter`: one pace for every process and machine that uses the same credential.
 * The counting is rate-limiter-flexible's (atomic Lua on Redis); this class turns its points into
 * evenly spaced start times, turns server waits (429, `remaining: 0`) into `block`s every worker
 * sees, and falls back to local pacing at a fair share when Redis goes away.
 */
import { randomUUID } from "node:crypto";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AdaptiveRateLimiter, type RateFeedback, type RateLimiter, type RateLimitSpec } from "../rate-limit.js";
import { defaultSleep, type Sleep } from "../transport/resilient-fetch.js";
import type { RedisClient } from "./connection.js";
import { LimitLearner, serverWait, sharedWindow, slotDelay, type SharedWindow } from "./window.js";

/** Told when pacing stops or starts being shared. Never carries a credential. */
export interface PacingWarning {
  code: "redis_lost" | "redis_restored" | "redis_unreachable";
  message: string;
}

export interface RedisRateLimiterOptions {
  /** A connected node-redis client (`connectRedis`, or your own from `redis` / `@redis/client`). */
  client: RedisClient;
  /** The budget's key (`budgetKey(prefix, identity)`); every worker with the same key shares one pace. */
  key: string;
  /** Where pacing starts: the provider's documented limit (headers refine it). */
  limit: RateLimitSpec;
  /**
   * `limit` is a ceiling (a pace the user chose): headers, and limits other workers learned, may
   * slow pacing down, never speed it up past it. @default false
   */
  ceiling?: boolean;
  /** Fraction of the limit all workers together use. @default 0.95 */
  utilization?: number;
  /** The longest wait a server hint may impose on everyone. @default 60000 */
  maxPauseMs?: number;
  /** Workers assumed to share the key when Redis is lost before any were counted. @default 2 */
  expectedWorkers?: number;
  /** A Redis command slower than this counts as Redis lost. @default 1000 */
  commandTimeoutMs?: number;
  /** Called when Redis is lost (pacing goes local) and when it is back. @default none */
  onWarning?: (warning: PacingWarning) => void;
  /** `close()` also closes the client (set when this package opened it). @default false */
  ownsClient?: boolean;
  sleep?: Sleep;
}

/** The counter's own part of the key (rate-limiter-flexible writes `<keyPrefix>:<key>`). */
const WINDOW = "window";
/** Late slots given up per acquire at most, so a process that is always late still makes progress. */
const MAX_RETAKES = 1;
/** How much of the slack a late start may use (the rest absorbs the provider's own jitter). */
const SLACK_SHARE = 0.75;
/** Workers that touched the key within this long count as sharing it. */
const WORKER_TTL_MS = 10_000;
/** How often a worker says it is alive and rereads the learned limit. */
const HEARTBEAT_MS = 1000;
/** Limits learned from headers are kept this long for workers that start later. */
const SPEC_TTL_MS = 86_400_000;

export class RedisRateLimiter implements RateLimiter {
  private readonly client: RedisClient;
  /** The Redis key the budget lives under: safe to log (it holds a hash, never the credential). */
  readonly key: string;
  /** The rate-limiter-flexible counter: `<key>:window`. */
  readonly counterKey: string;
  private readonly utilization: number;
  private readonly maxPauseMs: number;
  private readonly commandTimeoutMs: number;
  private readonly sleep: Sleep;
  private readonly onWarning: (warning: PacingWarning) => void;
  private readonly learner: LimitLearner;
  private readonly workerId = randomUUID();
  private readonly counter: RateLimiterRedis;
  /** The pace this worker keeps: `heard`, capped at the ceiling when there is one. */
  private spec: RateLimitSpec;
  /** The limit the headers (or another worker) last said, uncapped: what `:spec` holds for everyone. */
  private heard: RateLimitSpec;
  private window: SharedWindow;
  /** Set while Redis is lost: the pace each worker keeps alone. */
  private local: AdaptiveRateLimiter | null = null;
  /** Waiters of this process take their turn at the counter one by one, in arrival order. */
  private queue: Promise<unknown> = Promise.resolve();
  private lastHeartbeat = 0;
  private workersSeen: number;
  private closed = false;

  constructor(private readonly options: RedisRateLimiterOptions) {
    this.client = options.client;
    this.key = options.key;
    this.counterKey = `${this.key}:${WINDOW}`;
    this.utilization = options.utilization ?? 0.95;
    this.maxPauseMs = options.maxPauseMs ?? 60_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1000;
    this.sleep = options.sleep ?? defaultSleep;
    this.onWarning = options.onWarning ?? (() => {});
    this.workersSeen = 0;
    this.spec = { ...options.limit };
    this.heard = this.spec;
    this.learner = new LimitLearner(this.spec, options.ceiling === true);
    this.window = sharedWindow(this.spec, this.utilization);
    this.counter = new RateLimiterRedis({
      storeClient: this.client,
      useRedisPackage: true,
      keyPrefix: this.key,
      points: this.window.points,
      duration: this.window.durationSec,
    });
    this.client.on("ready", () => this.restore());
  }

  /** `shared` while Redis paces every worker; `local` while it is lost. */
  get mode(): "shared" | "local" {
    return this.local ? "local" : "shared";
  }

  /** The limit pacing follows now (documented, or learned from headers). */
  get currentLimit(): RateLimitSpec {
    return { ...this.spec };
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (let retakes = 0; !this.local; retakes++) {
      const turn = this.queue.then(() => this.reserve(signal));
      this.queue = turn.catch(() => undefined);
      const delay = await untilAborted(turn, signal);
      if (delay === null) break;
      const startAt = Date.now() + delay;
      if (delay > 0) await this.sleep(delay, signal);
      // A start later than the schedule's slack (window / utilization − window: 53 ms at 10/s) can
      // land in one provider window with the limit's worth of punctual ones: a 429 and a block for
      // everyone. Woken later than 3/4 of it (a busy process), leave the slot unused and take a fresh one.
      const slackMs = this.spec.windowMs * (1 / this.utilization - 1);
      if (Date.now() - startAt <= slackMs * SLACK_SHARE || retakes >= MAX_RETAKES) return;
    }
    await this.local!.acquire(signal);
  }

  observe(feedback: RateFeedback): void {
    if (this.local) return this.local.observe(feedback);
    const wait = serverWait(feedback, this.window.spacingMs * 2);
    if (wait !== null) void this.block(Math.min(wait, this.maxPauseMs));
    const learned = this.learner.learn(feedback, this.heard);
    if (learned) {
      this.hear(learned);
      // What the provider said, not this worker's ceiling: a worker without `--rate` must not inherit it.
      void this.command(this.client.set(`${this.key}:spec`, JSON.stringify(learned), { PX: SPEC_TTL_MS })).catch((e) => this.lose(e));
    }
  }

  /** Stops using Redis (and closes the client if this limiter opened it). */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.options.ownsClient) return;
    try {
      await this.client.close();
    } catch {
      this.client.destroy();
    }
  }

  /** Takes the next start in the shared schedule; resolves to the wait before it, or null once Redis is lost. */
  private async reserve(signal: AbortSignal | undefined): Promise<number | null> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.local) return null;
      try {
        await this.heartbeat();
        const res = await this.command(this.counter.consume(WINDOW));
        return slotDelay(this.window, res.consumedPoints, res.msBeforeNext);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) {
          this.lose(rejection);
          return null;
        }
        // The window is used up or blocked: everyone waits for it to end, this process's waiters in line.
        await this.sleep(Math.max(1, rejection.msBeforeNext), signal);
      }
    }
  }

  /** Says this worker is alive, counts the workers and picks up a limit another worker learned. */
  private async heartbeat(): Promise<void> {
    const now = Date.now();
    if (now - this.lastHeartbeat < HEARTBEAT_MS) return;
    this.lastHeartbeat = now;
    const workers = `${this.key}:workers`;
    const [, , count, , spec] = (await this.command(
      this.client
        .multi()
        .zAdd(workers, { score: now, value: this.workerId })
        .zRemRangeByScore(workers, 0, now - WORKER_TTL_MS)
        .zCard(workers)
        .pExpire(workers, WORKER_TTL_MS * 6)
        .get(`${this.key}:spec`)
        .exec(),
    )) as unknown as [unknown, unknown, number, unknown, string | null];
    this.workersSeen = Math.max(this.workersSeen, Number(count) || 1);
    const shared = parseSpec(spec);
    if (shared && (shared.limit !== this.heard.limit || shared.windowMs !== this.heard.windowMs)) this.hear(shared);
  }

  /** Blocks the key for every worker, unless a longer block is already in place. */
  private async block(ms: number): Promise<void> {
    try {
      const current = await this.command(this.counter.get(WINDOW));
      if (current && current.consumedPoints > this.window.points && current.msBeforeNext >= ms) return;
      // rate-limiter-flexible blocks in whole seconds (and 0 would mean forever): round up.
      await this.command(this.counter.block(WINDOW, Math.max(1, Math.ceil(ms / 1000))));
    } catch (error) {
      this.lose(error);
    }
  }

  /** A limit from the headers or another worker: paced at, or at the ceiling when it is faster. */
  private hear(spec: RateLimitSpec): void {
    this.heard = { ...spec };
    const pace = this.learner.capped(spec);
    if (pace.limit !== this.spec.limit || pace.windowMs !== this.spec.windowMs) this.apply(pace);
  }

  private apply(spec: RateLimitSpec): void {
    this.spec = { ...spec };
    this.window = sharedWindow(spec, this.utilization);
    this.counter.points = this.window.points;
    this.counter.duration = this.window.durationSec;
  }

  /** Redis is gone: each worker paces alone at its share of the limit until it is back. */
  private lose(error: unknown): void {
    if (this.local || this.closed) return;
    const workers = Math.max(1, this.workersSeen || (this.options.expectedWorkers ?? 2));
    this.local = localShare(this.spec, this.utilization, workers, this.maxPauseMs, this.options.sleep, this.options.ceiling);
    const reason = error instanceof Error ? error.message : String(error);
    this.onWarning({
      code: "redis_lost",
      message: `lost Redis (${reason}); pacing locally at 1/${workers} of the limit until it is back`,
    });
  }

  private restore(): void {
    if (!this.local || this.closed) return;
    this.local = null;
    this.lastHeartbeat = 0;
    this.onWarning({ code: "redis_restored", message: "Redis is back; pacing is shared again" });
  }

  /** A Redis call that takes longer than `commandTimeoutMs` counts as failed (a hung server must not stall the run). */
  private command<T>(promise: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.commandTimeoutMs} ms`)), this.commandTimeoutMs);
    });
    promise.catch(() => undefined);
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

/**
 * The pace one worker keeps alone: its share of the limit. `utilization` scales what the headers
 * teach too, so a learned limit stays shared out.
 */
export function localShare(
  spec: RateLimitSpec,
  utilization: number,
  workers: number,
  maxPauseMs: number,
  sleep?: Sleep,
  ceiling?: boolean,
): AdaptiveRateLimiter {
  return new AdaptiveRateLimiter({ ...spec, utilization: utilization / workers, maxPauseMs, ceiling, ...(sleep ? { sleep } : {}) });
}

function parseSpec(text: string | null): RateLimitSpec | null {
  if (!text) return null;
  try {
    const { limit, windowMs } = JSON.parse(text) as Partial<RateLimitSpec>;
    return typeof limit === "number" && limit > 0 && typeof windowMs === "number" && windowMs > 0 ? { limit, windowMs } : null;
  } catch {
    return null;
  }
}

/** Rejects as soon as `signal` aborts, even while the turn is still queued. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener("abort", onAbort), resolve(value)),
      (error) => (signal.removeEventListener("abort", onAbort), reject(error)),
    );
  });
}
