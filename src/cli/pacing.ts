/**
 * The pacing flags every bulk command shares (`--rate`, `--redis`, `--redis-fallback`, env
 * `CONTACTKIT_REDIS_URL`): parsing, building the limiter, and the one line that says what pace a
 * run follows and why. Redis code is loaded only when `--redis` is used.
 */
import { AdaptiveRateLimiter, type ContactsClientConfig, type RateLimiter, type RateLimitSpec } from "../index.js";
import type { AnyAdapter } from "../adapter.js";
import { registry } from "../registry.js";
import { CliError } from "./errors.js";

export { PACING_HELP, pacingOptions } from "./pacing-flags.js";

export interface PacingArgs {
  /** Null: the documented limit. "off": no pacing. */
  rate: RateLimitSpec | "off" | null;
  redisUrl: string | null;
  fallbackLocal: boolean;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000, hour: 3_600_000 };

/** `2000/min`, `50/10s`, `5,000/h`, `off` → a spec (or "off"); anything else is a CliError. */
export function parseRate(text: string): RateLimitSpec | "off" {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "off") return "off";
  const match = /^(\d[\d,_]*)\s*\/\s*(\d+(?:\.\d+)?)?\s*([a-z]+)$/.exec(trimmed);
  const limit = match ? Number(match[1]!.replace(/[,_]/g, "")) : Number.NaN;
  const unit = match ? UNITS[match[3]!] : undefined;
  const windowMs = unit === undefined ? Number.NaN : Number(match![2] ?? 1) * unit;
  if (!Number.isSafeInteger(limit) || limit < 1 || !(windowMs >= 1)) {
    throw new CliError(`--rate must look like 50/10s, 2000/min, 5000/h or off, got ${JSON.stringify(text)}`, {
      hint: "a whole number of requests, a slash, then a window: s, min or h, optionally with a count (10s, 15min).",
    });
  }
  return { limit, windowMs };
}

/** Reads the pacing flags from parseArgs values and the environment (the flag wins over the variable). */
export function readPacingArgs(values: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): PacingArgs {
  const rate = typeof values.rate === "string" ? parseRate(values.rate) : null;
  const fromFlag = typeof values.redis === "string" ? values.redis : undefined;
  const redisUrl = fromFlag ?? (env.CONTACTKIT_REDIS_URL || undefined) ?? null;
  if (fromFlag === "") throw new CliError("--redis needs a URL, e.g. redis://127.0.0.1:6379");
  const fallback = values["redis-fallback"];
  if (fallback !== undefined && fallback !== "local") {
    throw new CliError(`--redis-fallback takes \`local\`, got ${JSON.stringify(fallback)}`, {
      hint: "without it, an unreachable Redis stops the run before anything is sent (exit 2).",
    });
  }
  return { rate, redisUrl, fallbackLocal: fallback === "local" };
}

/**
 * `1,000,000` as en-US writes it. Not `toLocaleString`: its first call loads ICU's number
 * formatting, which cost 15–50 ms of CPU at start-up for this one string.
 */
function withThousands(n: number): string {
  const [whole, fraction] = String(n).split(".");
  return `${whole!.replace(/\B(?=(\d{3})+$)/g, ",")}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** `10/s`, `2,000/min`, `5,000/h`, `50/10s`. */
export function formatRate(spec: RateLimitSpec): string {
  const count = withThousands(spec.limit);
  for (const [unit, ms] of [
    ["h", 3_600_000],
    ["min", 60_000],
    ["s", 1000],
  ] as const) {
    if (spec.windowMs === ms) return `${count}/${unit}`;
  }
  if (spec.windowMs % 1000 === 0) return `${count}/${spec.windowMs / 1000}s`;
  return `${count}/${spec.windowMs}ms`;
}

export interface Pacing {
  /** What to pass as `rateLimit` (undefined: the client's own default limiter). */
  rateLimit: RateLimiter | false | undefined;
  /** "paced from 5,000/h: Wethod's documented limit, then as its rate-limit headers say; …", "paced to at most 20/s: set by --rate". */
  description: string;
  close(): Promise<void>;
}

/**
 * Builds the run's limiter. With Redis, an unreachable server is a CliError (exit 2) unless
 * `fallbackLocal`; `warn` receives the fallback notice and any mid-run loss of Redis.
 */
export async function createPacing(args: PacingArgs, config: ContactsClientConfig, warn: (text: string) => void): Promise<Pacing> {
  const adapter: AnyAdapter = registry[config.provider];
  if (args.rate === "off") {
    const ignored = args.redisUrl ? " (Redis is not used)" : "";
    return { rateLimit: false, description: `not paced: --rate off${ignored}`, close: async () => {} };
  }
  // --rate is a ceiling (headers may only slow it down); the documented limit is where pacing
  // starts, and a provider's headers may raise it: say which, so the summary is true either way.
  const ceiling = args.rate !== null;
  const spec = args.rate ?? adapter.rateLimit;
  const pace = ceiling ? `paced to at most ${formatRate(spec)}` : `paced from ${formatRate(spec)}`;
  const why = ceiling
    ? "set by --rate"
    : `${adapter.title}'s documented limit, then as its rate-limit headers say; --rate to set a ceiling`;
  if (!args.redisUrl) {
    const rateLimit = ceiling ? new AdaptiveRateLimiter({ ...spec, ceiling }) : undefined;
    return { rateLimit, description: `${pace}: ${why}`, close: async () => {} };
  }
  const redis = await import("../redis/index.js");
  try {
    const limiter = await redis.createRedisRateLimiter({
      url: args.redisUrl,
      config,
      limit: spec,
      ceiling,
      onUnavailable: args.fallbackLocal ? "local" : "throw",
      onWarning: (warning) => warn(`warning: ${warning.message}.`),
    });
    // Unreachable: this process keeps a share of the pace (the warning says which).
    const where = limiter.mode === "shared" ? `shared through Redis (key ${limiter.key})` : "locally, at a share of it (Redis unreachable)";
    return { rateLimit: limiter, description: `${pace} ${where}: ${why}`, close: () => limiter.close() };
  } catch (error) {
    if (error instanceof redis.RedisPacingError) {
      throw new CliError(error.message, {
        hint: "start Redis or fix --redis / CONTACTKIT_REDIS_URL; `--redis-fallback local` paces this process alone instead.",
      });
    }
    throw error;
  }
}
