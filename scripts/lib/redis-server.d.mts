// Types for scripts/lib/redis-server.mjs.
export interface RedisServer {
  port: number;
  url: string;
  pid: number | undefined;
  /** SIGKILL: the server disappears as in a crash. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after 3 s. */
  stop(): Promise<void>;
}
export declare function startRedisServer(options?: { port?: number; readyTimeoutMs?: number }): Promise<RedisServer>;
