// One worker of the shared-pacing bench (section e): deletes its slice of ids through the facade,
// paced by the local AdaptiveRateLimiter (the client's default, or one with `burst` set) or by
// contactkit/redis. Forked by ./shared-pacing.mjs.
// argv[2]: JSON { config, ids, concurrency, limiter: "local" | "redis", burst?, spec?, redisUrl, keyPrefix }.
// IPC: sends { type: "ready" }, waits for { type: "go" }, sends { type: "done", result }.
import { AdaptiveRateLimiter, createContactsClient } from "contactkit";
import { createRedisRateLimiter } from "contactkit/redis";

const plan = JSON.parse(process.argv[2]);
const client = createContactsClient(plan.config);
const warnings = [];
const rateLimit =
  plan.limiter === "redis"
    ? await createRedisRateLimiter({
        url: plan.redisUrl,
        config: plan.config,
        keyPrefix: plan.keyPrefix,
        onWarning: (w) => warnings.push(w.code),
      })
    : plan.burst
      ? new AdaptiveRateLimiter({ ...plan.spec, burst: plan.burst })
      : undefined;

process.send({ type: "ready" });
await new Promise((resolve) => process.once("message", resolve));
const started = Date.now();
const report = await client.deleteContacts(plan.ids, { concurrency: plan.concurrency, ...(rateLimit ? { rateLimit } : {}) });
const finished = Date.now();
await rateLimit?.close?.();
const failedByCode = {};
for (const { error } of report.failed) failedByCode[error.code] = (failedByCode[error.code] ?? 0) + 1;
process.send({
  type: "done",
  result: {
    started,
    finished,
    attempts: report.attempts,
    rateLimited: report.rateLimitedResponses,
    counts: report.counts,
    outcomes: [...report.deleted, ...report.absent, ...report.failed.map((f) => f.id)],
    failedByCode,
    warnings,
  },
});
process.disconnect();
