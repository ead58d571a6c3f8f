// Types for scripts/ensure-redis.mjs.
export declare const DEFAULT_REDIS_SERVER_PATH: string;
export declare function redisServerPath(): string | null;
export declare function ensureRedis(): { installed: boolean; ok: boolean; path: string | null };
