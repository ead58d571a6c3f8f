// Section b: a bulk run against a rate-limited fake (child process), paced by contactkit's default
// adaptive limiter, which starts from Featurebase's documented 2,000/min and has to learn the
// fake's 1,000/s from the X-RateLimit-* headers sent on every answer.
import { createContactsClient } from "contactkit";
import { featurebaseId, median, startFakeChild } from "./lib.mjs";

/**
 * @param {object} plan
 * @param {number} plan.total ids to delete
 * @param {number} plan.perSecond the fake's limit
 * @param {number} plan.concurrency
 * @param {string} plan.prefix 6-hex id prefix (distinct per run)
 * @param {import("contactkit").AdaptiveRateLimiter} [plan.rateLimit] omit for the client's default limiter
 */
export async function runBulk({ total, perSecond, concurrency, prefix, rateLimit }) {
  const fake = await startFakeChild({ contacts: "any", record: false, seedCount: 0, rateLimit: { perSecond } });
  try {
    // A pass-through fetch that only notes what the limiter is told: X-RateLimit-Reset as
    // "ms until reset" (Featurebase sends an epoch-seconds timestamp; values <= 86400 are seconds).
    const resets = [];
    const observingFetch = async (input, init) => {
      const response = await fetch(input, init);
      const reset = response.headers.get("x-ratelimit-reset");
      if (reset !== null) {
        const n = Number(reset);
        resets.push(n > 86_400 ? n * 1000 - Date.now() : n * 1000);
      }
      return response;
    };
    const client = createContactsClient({ ...fake.configs.featurebase, fetch: observingFetch });
    const ids = Array.from({ length: total }, (_, i) => featurebaseId(prefix, i));
    fake.resetStats();
    const started = performance.now();
    const report = await client.deleteContacts(ids, rateLimit ? { concurrency, rateLimit } : { concurrency });
    const wallMs = performance.now() - started;
    const server = await fake.stats();

    // Every input id exactly once across deleted / absent / failed.
    const seen = new Map();
    for (const id of report.deleted) seen.set(id, (seen.get(id) ?? 0) + 1);
    for (const id of report.absent) seen.set(id, (seen.get(id) ?? 0) + 1);
    for (const { id } of report.failed) seen.set(id, (seen.get(id) ?? 0) + 1);
    const input = new Set(ids);
    let lost = 0;
    for (const id of input) if (!seen.has(id)) lost += 1;
    let duplicated = 0;
    let unknown = 0;
    for (const [id, n] of seen) {
      if (n > 1) duplicated += 1;
      if (!input.has(id)) unknown += 1;
    }

    const failedByCode = {};
    for (const { error } of report.failed) failedByCode[error.code] = (failedByCode[error.code] ?? 0) + 1;

    // Per-second server view, trimmed of the partial first and last seconds.
    const seconds = Object.entries(server.perSecond)
      .map(([s, [n, limited]]) => ({ s: Number(s), n, limited }))
      .sort((a, b) => a.s - b.s);
    const full = seconds.slice(1, -1);
    return {
      total,
      perSecond,
      concurrency,
      wallMs,
      durationMs: report.durationMs,
      rate: total / (report.durationMs / 1000),
      requestRate: report.attempts / (report.durationMs / 1000),
      attempts: report.attempts,
      rateLimited: report.rateLimitedResponses,
      counts: report.counts,
      failedByCode,
      lost,
      duplicated,
      unknown,
      server,
      serverSeconds: seconds,
      steadyMin: full.length ? Math.min(...full.map((x) => x.n)) : null,
      steadyMax: full.length ? Math.max(...full.map((x) => x.n)) : null,
      resetMs: resets.length
        ? { min: resets.reduce((a, b) => Math.min(a, b)), median: median(resets), max: resets.reduce((a, b) => Math.max(a, b)) }
        : null,
    };
  } finally {
    await fake.close();
  }
}
