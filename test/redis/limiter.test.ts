/**
 * contactkit/redis against a real redis-server on a free loopback port (started here, stopped
 * after): the shared schedule, key hashing, shared blocks and learning, and the faults.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContactsClient, type ContactsClientConfig } from "../../src/index.js";
import { secretForms } from "../../src/redact.js";
import { connectRedis, createRedisRateLimiter, RedisPacingError, type PacingWarning, type RedisClient } from "../../src/redis/index.js";
import { startFakeProviders } from "../../src/testing/index.js";
import { startRedisServer, type RedisServer } from "../../scripts/lib/redis-server.mjs";

let server: RedisServer;
let admin: RedisClient;
beforeAll(async () => {
  server = await startRedisServer();
  admin = await connectRedis({ url: server.url });
});
afterAll(async () => {
  await admin?.close().catch(() => undefined);
  await server?.stop();
});

const closeConfig = (apiKey: string): ContactsClientConfig => ({ provider: "close", apiKey, baseUrl: "http://127.0.0.1:9" });
let prefixes = 0;
const freshPrefix = () => `test${process.pid}:${prefixes++}`;

/** Every key under `prefix`, with its value (strings, and the members of sorted sets). */
async function dump(prefix: string): Promise<Array<[string, string]>> {
  const keys = await admin.keys(`${prefix}*`);
  const out: Array<[string, string]> = [];
  for (const key of keys.map(String)) {
    const type = await admin.type(key);
    const value = type === "zset" ? (await admin.zRange(key, 0, -1)).join(",") : String(await admin.get(key));
    out.push([key, value]);
  }
  return out;
}

/** A sleep that records the wait asked for, then stops the acquire (aborts), so nothing real waits. */
function recordingSleep() {
  const waits: number[] = [];
  const controller = new AbortController();
  const sleep = async (ms: number) => {
    waits.push(ms);
    controller.abort(new Error("stopped by the test"));
    throw new Error("stopped by the test");
  };
  return { waits, sleep, signal: controller.signal };
}

describe("shared schedule", () => {
  it("two limiters on one key hand out one evenly spaced sequence of starts", async () => {
    const keyPrefix = freshPrefix();
    const options = { url: server.url, config: closeConfig("api_shared"), keyPrefix, limit: { limit: 100, windowMs: 1000 } };
    const a = await createRedisRateLimiter(options);
    const b = await createRedisRateLimiter(options);
    try {
      const starts: number[] = [];
      // Alternate between the two, recording when each start was scheduled.
      const delays: number[] = [];
      const record = (limiter: typeof a) => async () => {
        const before = Date.now();
        await limiter.acquire();
        starts.push(Date.now());
        delays.push(Date.now() - before);
      };
      for (let i = 0; i < 10; i++) {
        await record(a)();
        await record(b)();
      }
      expect(a.key).toBe(b.key);
      // 20 starts from both share one counter: 95 a second → one start every ≈ 10.5 ms, so the
      // 20th cannot come sooner than 19 spacings after the first.
      const [, counted] = (await dump(keyPrefix)).find(([key]) => key === a.counterKey) ?? [];
      // 20 points, plus any slot given up by a start woken too late (at most one per start).
      expect(Number(counted)).toBeGreaterThanOrEqual(20);
      expect(Number(counted)).toBeLessThanOrEqual(40);
      expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(19 * (1000 / 95) - 5);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("different credentials get different keys and separate budgets", async () => {
    const keyPrefix = freshPrefix();
    const a = await createRedisRateLimiter({ url: server.url, config: closeConfig("api_one"), keyPrefix });
    const b = await createRedisRateLimiter({ url: server.url, config: closeConfig("api_two"), keyPrefix });
    try {
      await a.acquire();
      await b.acquire();
      expect(a.key).not.toBe(b.key);
      const counts = Object.fromEntries(await dump(keyPrefix));
      expect(counts[a.counterKey]).toBe("1");
      expect(counts[b.counterKey]).toBe("1");
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("key hashing", () => {
  it("keys are <prefix>:<provider>:<32 hex> and no key or value holds the credential in any form", async () => {
    const keyPrefix = freshPrefix();
    const secret = "api_SuperSecretCloseKey_123";
    const limiter = await createRedisRateLimiter({ url: server.url, config: closeConfig(secret), keyPrefix });
    try {
      await limiter.acquire();
      limiter.observe({ status: 200, retryAfterMs: null, limit: 20, remaining: 5, resetMs: 700 });
      limiter.observe({ status: 429, retryAfterMs: 1000, limit: 20, remaining: 0, resetMs: 700 });
      await new Promise((r) => setTimeout(r, 100));
      const entries = await dump(keyPrefix);
      expect(entries.length).toBeGreaterThanOrEqual(3); // the counter, the workers, the learned limit
      expect(limiter.key).toMatch(new RegExp(`^${keyPrefix}:close:[0-9a-f]{32}$`));
      for (const [key] of entries) expect(key.startsWith(`${limiter.key}:`)).toBe(true);
      const everything = JSON.stringify(entries);
      for (const form of secretForms([secret])) expect(everything).not.toContain(form);
    } finally {
      await limiter.close();
    }
  });
});

describe("server waits and learning are shared", () => {
  it("a 429 seen by one worker blocks the key for another for the hinted time", async () => {
    const keyPrefix = freshPrefix();
    const config = closeConfig("api_block");
    const a = await createRedisRateLimiter({ url: server.url, config, keyPrefix });
    const rec = recordingSleep();
    const { RedisRateLimiter } = await import("../../src/redis/limiter.js");
    const b = new RedisRateLimiter({ client: admin, key: a.key, limit: { limit: 10, windowMs: 1000 }, sleep: rec.sleep });
    try {
      await a.acquire();
      a.observe({ status: 429, retryAfterMs: 3000, limit: null, remaining: null, resetMs: null });
      await waitFor(async () => Number(await admin.pTTL(a.counterKey)) > 2000);
      await expect(b.acquire(rec.signal)).rejects.toThrow();
      expect(rec.waits[0]).toBeGreaterThan(2500);
      expect(rec.waits[0]).toBeLessThanOrEqual(3000);
    } finally {
      await a.close();
    }
  });

  it("`remaining: 0` with a precise reset blocks everyone; a whole-second reset blocks only its sure part", async () => {
    const keyPrefix = freshPrefix();
    const a = await createRedisRateLimiter({ url: server.url, config: closeConfig("api_zero"), keyPrefix });
    const { RedisRateLimiter } = await import("../../src/redis/limiter.js");
    try {
      await a.acquire();
      // reset=1 (whole seconds, rounded up): the window may end any moment, so no block.
      a.observe({ status: 200, retryAfterMs: null, limit: 10, remaining: 0, resetMs: 1000 });
      await new Promise((r) => setTimeout(r, 50));
      expect(Number(await admin.get(a.counterKey))).toBeLessThanOrEqual(10);
      // reset 1.8 s precisely (an epoch reset): blocked, rounded up to whole seconds.
      a.observe({ status: 200, retryAfterMs: null, limit: 10, remaining: 0, resetMs: 1800 });
      await waitFor(async () => Number(await admin.get(a.counterKey)) > 19);
      const rec = recordingSleep();
      const b = new RedisRateLimiter({ client: admin, key: a.key, limit: { limit: 10, windowMs: 1000 }, sleep: rec.sleep });
      await expect(b.acquire(rec.signal)).rejects.toThrow();
      expect(rec.waits[0]).toBeGreaterThan(1500);
    } finally {
      await a.close();
    }
  });

  it("a limit one worker learns from headers is picked up by a worker that starts later", async () => {
    const keyPrefix = freshPrefix();
    const config = closeConfig("api_learn");
    const a = await createRedisRateLimiter({ url: server.url, config, keyPrefix });
    try {
      await a.acquire();
      a.observe({ status: 200, retryAfterMs: null, limit: 40, remaining: 30, resetMs: 2000 });
      await waitFor(async () => (await admin.get(`${a.key}:spec`)) !== null);
      const b = await createRedisRateLimiter({ url: server.url, config, keyPrefix });
      try {
        await b.acquire();
        expect((b as unknown as { currentLimit: unknown }).currentLimit).toEqual({ limit: 40, windowMs: 2000 });
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
    }
  });
  it("with `ceiling`, neither headers nor a limit another worker learned speed a worker up past its limit", async () => {
    const keyPrefix = freshPrefix();
    const config = closeConfig("api_ceiling");
    const limit = { limit: 10, windowMs: 1000 };
    const a = await createRedisRateLimiter({ url: server.url, config, keyPrefix });
    const b = await createRedisRateLimiter({ url: server.url, config, keyPrefix, limit, ceiling: true });
    try {
      // Worker a (no ceiling) learns 1000 per 2 s and shares it.
      await a.acquire();
      a.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 900, resetMs: 2000 });
      await waitFor(async () => (await admin.get(`${a.key}:spec`)) !== null);
      expect((a as unknown as { currentLimit: unknown }).currentLimit).toEqual({ limit: 1000, windowMs: 2000 });
      // Worker b reads it at its heartbeat: it stays at its ceiling; so it does when the same headers reach it.
      await b.acquire();
      expect((b as unknown as { currentLimit: unknown }).currentLimit).toEqual(limit);
      b.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 900, resetMs: 2000 });
      expect((b as unknown as { currentLimit: unknown }).currentLimit).toEqual(limit);
      // A lower limit still slows it down.
      b.observe({ status: 200, retryAfterMs: null, limit: 4, remaining: 3, resetMs: 1000 });
      expect((b as unknown as { currentLimit: unknown }).currentLimit).toEqual({ limit: 4, windowMs: 1000 });
    } finally {
      await b.close();
      await a.close();
    }
  });
  it("a ceiling worker shares what the headers said, never its ceiling: a worker without one is not slowed by it", async () => {
    const keyPrefix = freshPrefix();
    const config = closeConfig("api_ceiling_share");
    const b = await createRedisRateLimiter({ url: server.url, config, keyPrefix, limit: { limit: 5, windowMs: 1000 }, ceiling: true });
    try {
      await b.acquire();
      // Slower than the ceiling: b follows it and shares it.
      b.observe({ status: 200, retryAfterMs: null, limit: 4, remaining: 3, resetMs: 1000 });
      await waitFor(async () => (await admin.get(`${b.key}:spec`)) === JSON.stringify({ limit: 4, windowMs: 1000 }));
      // Faster than the ceiling: b stays at 5/s, and shares 1000 per 2 s, not its 5/s.
      b.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 900, resetMs: 2000 });
      expect((b as unknown as { currentLimit: unknown }).currentLimit).toEqual({ limit: 5, windowMs: 1000 });
      await waitFor(async () => (await admin.get(`${b.key}:spec`)) === JSON.stringify({ limit: 1000, windowMs: 2000 }));
      const a = await createRedisRateLimiter({ url: server.url, config, keyPrefix });
      try {
        await a.acquire();
        expect((a as unknown as { currentLimit: unknown }).currentLimit).toEqual({ limit: 1000, windowMs: 2000 });
      } finally {
        await a.close();
      }
    } finally {
      await b.close();
    }
  });
});

describe("faults", () => {
  it("Redis unreachable at start: a RedisPacingError that names the URL without its password", async () => {
    const dead = await startRedisServer();
    const url = `redis://user:hunter2pass@127.0.0.1:${dead.port}`;
    await dead.kill();
    const error = await createRedisRateLimiter({ url, config: closeConfig("api_x"), connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisPacingError);
    expect((error as Error).message).toContain(`cannot reach Redis at redis://user:***@127.0.0.1:${dead.port}`);
    expect((error as Error).message).not.toContain("hunter2pass");
  });

  it("Redis unreachable at start with onUnavailable: local: a warning and a local limiter", async () => {
    const dead = await startRedisServer();
    await dead.kill();
    const warnings: PacingWarning[] = [];
    const limiter = await createRedisRateLimiter({
      url: dead.url,
      config: closeConfig("api_x"),
      onUnavailable: "local",
      onWarning: (w) => warnings.push(w),
    });
    expect(limiter.mode).toBe("local");
    expect(warnings.map((w) => w.code)).toEqual(["redis_unreachable"]);
    expect(warnings[0]!.message).toContain("pacing locally at 1/2 of the limit");
    await limiter.acquire();
  });

  it("Redis unreachable at start with a ceiling: the local limiter keeps it (headers advertising more do not speed it up)", async () => {
    const dead = await startRedisServer();
    const url = dead.url;
    await dead.kill();
    const limiter = await createRedisRateLimiter({
      url,
      config: closeConfig("api_local_ceiling"),
      limit: { limit: 4, windowMs: 1000 },
      ceiling: true,
      connectTimeoutMs: 1000,
      onUnavailable: "local",
    });
    expect(limiter.mode).toBe("local");
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Half of 4/s (two workers assumed) at 95 %: a start every ~526 ms.
    expect(limiter.tryAcquire?.()).toBe(true);
    limiter.observe({ status: 200, retryAfterMs: null, limit: 1000, remaining: 900, resetMs: 1000 });
    await pause(600);
    // The start booked before the headers came; the one after it is the first the headers could move.
    expect(limiter.tryAcquire?.()).toBe(true);
    await pause(50);
    // Still ~526 ms apart; had the headers' 1000/s been followed, it would be ~2 ms.
    expect(limiter.tryAcquire?.()).toBe(false);
  });

  it("Redis killed mid-run: a warning, local pacing, and every id still gets exactly one outcome", async () => {
    const own = await startRedisServer();
    const fake = await startFakeProviders({ contacts: "any", seedCount: 0 });
    const warnings: PacingWarning[] = [];
    try {
      const config = fake.clientConfig("close");
      const limiter = await createRedisRateLimiter({
        url: own.url,
        config,
        limit: { limit: 40, windowMs: 1000 },
        onWarning: (w) => warnings.push(w),
      });
      const ids = Array.from({ length: 40 }, (_, i) => `cont_kill${i}`);
      let done = 0;
      let killed: Promise<void> | null = null;
      const report = await createContactsClient(config).deleteContacts(ids, {
        rateLimit: limiter,
        concurrency: 4,
        onResult: () => {
          if (++done === 10) killed = own.kill();
        },
      });
      await killed;
      await limiter.close();
      expect(report.counts).toEqual({ total: 40, deleted: 40, absent: 0, failed: 0, verified: 0, stillPresent: 0 });
      expect(new Set([...report.deleted]).size).toBe(40);
      expect(warnings.map((w) => w.code)).toContain("redis_lost");
      expect(limiter.mode).toBe("local");
    } finally {
      await fake.close();
      await own.stop();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("two processes", () => {
  it("two worker processes on one key share one budget and one evenly spaced schedule", async () => {
    const { spawn } = await import("node:child_process");
    const { existsSync } = await import("node:fs");
    const { join } = await import("node:path");
    const root = join(import.meta.dirname, "..", "..");
    if (!existsSync(join(root, "dist", "esm", "src", "redis", "index.js"))) {
      throw new Error("dist/ is missing: run `npm run build` first (`npm test` builds it for you)");
    }
    const keyPrefix = freshPrefix();
    // Each worker: 15 starts at 50/s shared (→ one start every ≈ 21 ms for both together).
    const script = `
      import { createRedisRateLimiter } from "contactkit/redis";
      const limiter = await createRedisRateLimiter({ url: ${JSON.stringify(server.url)}, keyPrefix: ${JSON.stringify(keyPrefix)},
        config: { provider: "close", apiKey: "api_two_processes", baseUrl: "http://127.0.0.1:9" }, limit: { limit: 50, windowMs: 1000 } });
      const starts = [];
      for (let i = 0; i < 15; i++) { await limiter.acquire(); starts.push(Date.now()); }
      await limiter.close();
      console.log(JSON.stringify({ key: limiter.counterKey, starts }));
    `;
    const runWorker = () =>
      new Promise<{ key: string; starts: number[] }>((resolve, reject) => {
        const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.once("exit", (code) =>
          code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`worker exited ${code}: ${err}`)),
        );
      });
    const [a, b] = await Promise.all([runWorker(), runWorker()]);
    expect(a.key).toBe(b.key);
    // Both counted in one window: 30 points, plus any slot a late-woken worker gave up (at most one per start).
    const counted = Number(await admin.get(a.key));
    expect(counted).toBeGreaterThanOrEqual(30);
    expect(counted).toBeLessThanOrEqual(60);
    const all = [...a.starts, ...b.starts].sort((x, y) => x - y);
    // 30 starts at 47.5/s (0.95 of 50) cannot span less than 29 spacings of ≈ 21 ms, whichever process took them.
    expect(all.at(-1)! - all[0]!).toBeGreaterThanOrEqual(29 * (1000 / 47.5) - 40);
  });
});
