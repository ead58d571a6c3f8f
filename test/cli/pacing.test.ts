/**
 * The pacing flags: `--rate` parsing and wording (units), and `delete` end to end with `--rate`,
 * `--redis` / CONTACTKIT_REDIS_URL against a real redis-server, and the unreachable-Redis exits.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { formatRate, parseRate, readPacingArgs } from "../../src/cli/pacing.js";
import { CliError } from "../../src/cli/errors.js";
import { connectRedis, type RedisClient } from "../../src/redis/index.js";
import { startFakeProviders, type FakeProviders } from "../../src/testing/index.js";
import { startRedisServer, type RedisServer } from "../../scripts/lib/redis-server.mjs";
import { assertBuilt, killChildren, providerEnvFor, runCli } from "./helpers.js";

describe("--rate LIMIT", () => {
  it.for([
    ["50/10s", { limit: 50, windowMs: 10_000 }],
    ["2000/min", { limit: 2000, windowMs: 60_000 }],
    ["5,000/h", { limit: 5000, windowMs: 3_600_000 }],
    ["10/s", { limit: 10, windowMs: 1000 }],
    [" 100 / 15min ", { limit: 100, windowMs: 900_000 }],
  ] as const)("%s", ([text, spec]) => {
    expect(parseRate(text)).toEqual(spec);
  });

  it("off turns pacing off", () => {
    expect(parseRate("OFF")).toBe("off");
  });

  it.for(["", "10", "10/", "/s", "0/s", "-5/s", "10/lightyear", "1.5/s", "10 per s"])("rejects %j with a CliError (exit 2)", (text) => {
    let error: unknown;
    try {
      parseRate(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toContain("--rate must look like 50/10s, 2000/min, 5000/h or off");
  });

  it("prints limits the way people write them", () => {
    expect(formatRate({ limit: 5000, windowMs: 3_600_000 })).toBe("5,000/h");
    expect(formatRate({ limit: 2000, windowMs: 60_000 })).toBe("2,000/min");
    expect(formatRate({ limit: 50, windowMs: 10_000 })).toBe("50/10s");
    expect(formatRate({ limit: 10, windowMs: 1000 })).toBe("10/s");
    // Grouped by hand (no ICU at start-up), the way en-US groups them, at every length.
    for (const limit of [1, 999, 1000, 12_345, 100_000, 1_000_000, 987_654_321, 1_000_000_000, Number.MAX_SAFE_INTEGER]) {
      expect(formatRate({ limit, windowMs: 1000 })).toBe(`${limit.toLocaleString("en-US")}/s`);
    }
  });

  it("--redis wins over CONTACTKIT_REDIS_URL; --redis-fallback takes only `local`", () => {
    const env = { CONTACTKIT_REDIS_URL: "redis://from-env:6379" };
    expect(readPacingArgs({}, env).redisUrl).toBe("redis://from-env:6379");
    expect(readPacingArgs({ redis: "redis://flag:6379" }, env).redisUrl).toBe("redis://flag:6379");
    expect(readPacingArgs({ "redis-fallback": "local" }, {}).fallbackLocal).toBe(true);
    expect(() => readPacingArgs({ "redis-fallback": "yes" }, {})).toThrow(CliError);
  });
});

describe("contactkit delete with pacing flags", () => {
  let redis: RedisServer;
  let admin: RedisClient;
  beforeAll(async () => {
    assertBuilt();
    redis = await startRedisServer();
    admin = await connectRedis({ url: redis.url });
  });
  afterAll(async () => {
    killChildren();
    await admin?.close().catch(() => undefined);
    await redis?.stop();
  });

  async function useFake(ctx: TestContext): Promise<FakeProviders> {
    const fake = await startFakeProviders();
    ctx.onTestFinished(() => fake.close());
    return fake;
  }
  const del = (fake: FakeProviders, args: string[], env: Record<string, string> = {}) =>
    runCli(["delete", "wethod", ...fake.seeded.wethod.slice(0, 2), ...args, "--base-url", fake.url], {
      env: { ...providerEnvFor(fake, "wethod"), ...env },
      timeoutMs: 12_000,
    });

  it("by default the summary says pacing starts at the provider's documented limit and follows its headers", async (ctx) => {
    const r = await del(await useFake(ctx), []);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "paced from 5,000/h: Wethod's documented limit, then as its rate-limit headers say; --rate to set a ceiling",
    );
  });

  it("--rate sets the pace and says so; --rate off sends unpaced", async (ctx) => {
    const fake = await useFake(ctx);
    const r = await del(fake, ["--rate", "100/10s"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("paced to at most 100/10s: set by --rate");
    const off = await runCli(["delete", "wethod", fake.seeded.wethod[2]!, "--rate", "off", "--base-url", fake.url], {
      env: providerEnvFor(fake, "wethod"),
    });
    expect(off.code).toBe(0);
    expect(off.stdout).toContain("not paced: --rate off");
  });

  it.for([
    // At least four gaps of ~210 ms after the first start (a lower bound: load only adds to it).
    { pacing: "local", extra: (): string[] => [], runs: 1, atLeastMs: 800 },
    // Twice: the first run shares the 1,000/s it read in the headers (`:spec`), the second starts
    // from it. Shared windows are fixed, so a run that straddles a window's end may go a little
    // faster than the local spacing; followed up, it took ~50 ms.
    { pacing: "shared through Redis", extra: (): string[] => ["--redis", redis.url], runs: 2, atLeastMs: 400 },
  ])(
    "--rate is a ceiling ($pacing): a provider advertising a higher limit does not speed the run past it",
    async ({ extra, runs, atLeastMs }, ctx) => {
      // Featurebase's fake advertises 1,000/s in X-RateLimit-* headers; a limiter that followed them
      // up would send the five deletes in a few ms after the first answer.
      const fake = await startFakeProviders({ rateLimit: { perSecond: 1000 } });
      ctx.onTestFinished(() => fake.close());
      for (let run = 0; run < runs; run++) {
        const ids = fake.seeded.featurebase.slice(0, 5);
        const r = await runCli(["delete", "featurebase", ...ids, "--rate", "5/s", "--missing-ok", ...extra(), "--base-url", fake.url], {
          env: providerEnvFor(fake, "featurebase"),
          timeoutMs: 12_000,
        });
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(run === 0 ? "Summary: 5 deleted" : "Summary: 0 deleted, 5 absent");
        expect(r.stdout).toContain("paced to at most 5/s");
        expect(r.stdout).toContain("set by --rate");
        const [, amount, unit] = /· ([\d.]+) (ms|s) · paced/.exec(r.stdout)!;
        expect(Number(amount) * (unit === "s" ? 1000 : 1), `run ${run + 1}`).toBeGreaterThanOrEqual(atLeastMs);
      }
    },
  );

  it("a bad --rate exits 2 before anything is sent", async (ctx) => {
    const fake = await useFake(ctx);
    const r = await del(fake, ["--rate", "fast"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--rate must look like");
    expect(fake.requests).toHaveLength(0);
  });

  it("--redis paces through Redis under a hashed key (and CONTACTKIT_REDIS_URL works the same)", async (ctx) => {
    const fake = await useFake(ctx);
    const prefix = "contactkit:pace:wethod:";
    const r = await del(fake, ["--redis", redis.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /paced from 5,000\/h shared through Redis \(key contactkit:pace:wethod:[0-9a-f]{32}\): Wethod's documented limit/,
    );
    const keys = (await admin.keys(`${prefix}*`)).map(String);
    expect(keys.some((key) => key.endsWith(":window"))).toBe(true);
    for (const key of keys) expect(key).not.toContain(fake.credentials.wethod.token);
    const viaEnv = await runCli(["delete", "wethod", fake.seeded.wethod[2]!, "--base-url", fake.url], {
      env: { ...providerEnvFor(fake, "wethod"), CONTACTKIT_REDIS_URL: redis.url },
    });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toContain("shared through Redis");
  });

  it("Redis unreachable: exit 2 and nothing sent; with --redis-fallback local a warning and the run goes on", async (ctx) => {
    const fake = await useFake(ctx);
    const dead = await startRedisServer();
    await dead.kill();
    const url = `redis://:s3cretRedisPass@127.0.0.1:${dead.port}`;
    const r = await del(fake, ["--redis", url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot reach Redis at redis://:***@127.0.0.1:${dead.port}`);
    expect(r.stderr).toContain("--redis-fallback local");
    expect(r.stderr + r.stdout).not.toContain("s3cretRedisPass");
    expect(fake.requests).toHaveLength(0);

    const fallback = await del(fake, ["--redis", url, "--redis-fallback", "local"]);
    expect(fallback.code).toBe(0);
    expect(fallback.stderr).toContain("pacing locally at 1/2 of the limit");
    expect(fallback.stdout).toContain("paced from 5,000/h locally, at a share of it (Redis unreachable)");
    expect(fallback.stdout).toContain("Summary: 2 deleted");
  });
});
