/**
 * `contactkit/redis`: pacing shared by every process and machine that uses the same credential,
 * on Redis. Pass the limiter as `rateLimit` to `deleteContacts` in each worker.
 *
 * @example
 * const config = { provider: "close", apiKey: process.env.CLOSE_API_KEY! } as const;
 * const rateLimit = await createRedisRateLimiter({ url: "redis://127.0.0.1:6379", config });
 * try {
 *   await createContactsClient(config).deleteContacts(ids, { rateLimit });
 * } finally {
 *   await rateLimit.close();
 * }
 */
import type { ContactsClientConfig, RateFeedback, RateLimiter, RateLimitSpec } from "../index.js";
import { connectRedis, RedisPacingError, type RedisClient } from "./connection.js";
import { budgetKey, DEFAULT_KEY_PREFIX, identityOf } from "./identity.js";
import { localShare, RedisRateLimiter, type PacingWarning } from "./limiter.js";

export { RedisRateLimiter, type PacingWarning, type RedisRateLimiterOptions } from "./limiter.js";
export { connectRedis, RedisPacingError, safeRedisUrl, type RedisClient } from "./connection.js";
export { budgetKey, hashCredential, identityOf, DEFAULT_KEY_PREFIX, type PacingIdentity } from "./identity.js";
export { sharedWindow, type SharedWindow } from "./window.js";

export interface CreateRedisRateLimiterOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). Give this or `client`. */
  url?: string;
  /** A connected node-redis client to use instead of `url` (you close it). */
  client?: RedisClient;
  /** The client config the limiter paces: provider, credential and host pick the shared budget. */
  config: ContactsClientConfig;
  /** Pace to follow instead of the provider's documented limit. @default the adapter's `rateLimit` */
  limit?: RateLimitSpec;
  /**
   * `limit` is a ceiling (a pace the user chose): rate-limit headers may slow pacing down, never
   * speed it up past it. @default false (the limit is where pacing starts; headers may raise it)
   */
  ceiling?: boolean;
  /** First part of every Redis key. @default "contactkit:pace" */
  keyPrefix?: string;
  /**
   * Redis unreachable at start: `"throw"` a `RedisPacingError`, or `"local"`: warn and pace this
   * process alone at 1/`expectedWorkers` of the limit. @default "throw"
   */
  onUnavailable?: "throw" | "local";
  /** Workers assumed to share the key when they cannot be counted. @default 2 */
  expectedWorkers?: number;
  /** Fraction of the limit all workers together use. @default 0.95 */
  utilization?: number;
  /** The longest wait a server hint may impose on everyone. @default 60000 */
  maxPauseMs?: number;
  /** Connecting gives up after this long. @default 3000 */
  connectTimeoutMs?: number;
  onWarning?: (warning: PacingWarning) => void;
}

/** A shared limiter, or the local stand-in used when Redis was unreachable and `onUnavailable: "local"`. */
export interface SharedRateLimiter extends RateLimiter {
  readonly mode: "shared" | "local";
  /** The Redis key the budget lives under (`<prefix>:<provider>:<sha256 prefix>`): safe to log. */
  readonly key: string;
  /** The counter under `key` (empty in local mode). */
  readonly counterKey: string;
  observe(feedback: RateFeedback): void;
  close(): Promise<void>;
}

/**
 * Connects to Redis and returns a limiter shared by every worker with the same provider and
 * credential. Throws `RedisPacingError` when Redis cannot be reached (unless `onUnavailable: "local"`).
 */
export async function createRedisRateLimiter(options: CreateRedisRateLimiterOptions): Promise<SharedRateLimiter> {
  const identity = identityOf(options.config);
  const key = budgetKey(options.keyPrefix ?? DEFAULT_KEY_PREFIX, identity);
  const limit = options.limit ?? identity.documented;
  const utilization = options.utilization ?? 0.95;
  const maxPauseMs = options.maxPauseMs ?? 60_000;
  if (!options.client && !options.url) throw new RedisPacingError("give `url` or `client`");
  let client = options.client;
  try {
    client ??= await connectRedis({
      url: options.url!,
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    });
  } catch (error) {
    if (options.onUnavailable !== "local") throw error;
    const workers = options.expectedWorkers ?? 2;
    options.onWarning?.({
      code: "redis_unreachable",
      message: `${(error as Error).message}; pacing locally at 1/${workers} of the limit`,
    });
    const local = localShare(limit, utilization, workers, maxPauseMs, undefined, options.ceiling);
    return Object.assign(local, { mode: "local" as const, key, counterKey: "", close: async () => {} });
  }
  const limiter = new RedisRateLimiter({
    client,
    key,
    limit,
    ceiling: options.ceiling === true,
    utilization,
    maxPauseMs,
    ownsClient: !options.client,
    ...(options.expectedWorkers ? { expectedWorkers: options.expectedWorkers } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  return limiter;
}
