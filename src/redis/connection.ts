/**
 * The Redis connection: node-redis (`@redis/client`), opened so that a Redis that is not there at
 * start fails at once with a clear error, and one lost mid-run makes commands fail fast (no offline
 * queue) while the client reconnects in the background.
 */
import { createClient, type RedisClientType } from "@redis/client";

/** What this package needs of a node-redis client (from `redis` or `@redis/client`). */
export type RedisClient = RedisClientType<any, any, any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Redis could not be reached (at start) or answered an error; the message never shows a password. */
export class RedisPacingError extends Error {
  readonly code = "redis_unavailable";
  constructor(message: string) {
    super(message);
    this.name = "RedisPacingError";
  }
}

/** `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`, for messages. */
export function safeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(an unparseable Redis URL)";
  }
}

function messageOf(error: unknown, url: string): string {
  const text = error instanceof Error ? error.message : String(error);
  // node-redis does not echo the URL today; scrub it anyway in case a future version does.
  const password = (() => {
    try {
      return decodeURIComponent(new URL(url).password);
    } catch {
      return "";
    }
  })();
  return password ? text.split(password).join("***") : text;
}

export interface ConnectOptions {
  url: string;
  /** Give up connecting after this long. @default 3000 */
  connectTimeoutMs?: number;
}

/**
 * Connects, or throws `RedisPacingError` naming the (password-less) URL. After the first
 * connection the client reconnects on its own with a capped backoff.
 */
export async function connectRedis({ url, connectTimeoutMs = 3000 }: ConnectOptions): Promise<RedisClient> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisPacingError("the Redis URL is not a URL (expected redis://host:port or rediss://…)");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new RedisPacingError(`the Redis URL must start with redis:// or rediss://, got ${JSON.stringify(parsed.protocol)}`);
  }
  let connected = false;
  let lastError: unknown = null;
  const client = createClient({
    url,
    // Commands sent while disconnected fail at once instead of waiting: the limiter then paces locally.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      // Before the first connection: no retry (the caller decides what to do). After: retry forever, ≤ 2 s apart.
      reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(100 * 2 ** Math.min(retries, 5), 2000) : cause),
    },
  }) as RedisClient;
  // Without a listener an 'error' event would crash the process; the limiter watches connection state itself.
  client.on("error", (error: unknown) => {
    lastError = error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.destroy?.();
    throw new RedisPacingError(`cannot reach Redis at ${safeRedisUrl(url)}: ${messageOf(lastError ?? error, url)}`);
  }
  connected = true;
  return client;
}
