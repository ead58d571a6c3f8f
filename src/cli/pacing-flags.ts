/**
 * The pacing flags' parseArgs entries and help lines, in a module of their own with no imports so
 * that `contactkit help` does not load the library to print them (src/cli/pacing.ts builds the limiter).
 */
/** parseArgs entries for the pacing flags: spread into a command's own options. */
export const pacingOptions = {
  rate: { type: "string" },
  redis: { type: "string" },
  "redis-fallback": { type: "string" },
} as const;

/** Help lines for the pacing flags (same layout as the other option lines). */
export const PACING_HELP = [
  "  --rate LIMIT        pace to at most LIMIT requests: 50/10s, 2000/min, 5000/h, 10/s (the provider's",
  "                      rate-limit headers may slow it, never speed it past); `off` to send unpaced",
  "                      (default: from the provider's documented limit, then as its headers say)",
  "  --redis URL         share the pace with every process using the same credential, through Redis",
  "                      (redis://host:6379; also CONTACTKIT_REDIS_URL)",
  "  --redis-fallback local  if Redis is unreachable at start, warn and pace alone at half the limit",
  "                      instead of exiting 2",
];
