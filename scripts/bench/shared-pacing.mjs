// Section e: several processes sharing one API key against a fake that enforces the provider's
// limit in fixed windows (429 beyond it, the provider's own rate-limit headers). Each process runs
// deleteContacts with concurrency 4; the same ids are split evenly. Compared: the local limiter
// (each process alone) and contactkit/redis (one shared pace), in the same run.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startRedisServer } from "../lib/redis-server.mjs";
import { featurebaseId, startFakeChild } from "./lib.mjs";

const WORKER = fileURLToPath(new URL("./pacing-worker.mjs", import.meta.url));

function startWorker(plan) {
  const child = fork(WORKER, [JSON.stringify(plan)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ready = new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`pacing worker exited early (code ${code})`)));
    child.once("message", (m) => (m?.type === "ready" ? resolve() : reject(new Error(`unexpected ${JSON.stringify(m)}`))));
  });
  const done = ready.then(
    () =>
      new Promise((resolve, reject) => {
        child.removeAllListeners("exit");
        child.once("exit", (code) => reject(new Error(`pacing worker exited without a result (code ${code})`)));
        child.once("message", (m) => resolve(m.result));
      }),
  );
  return { child, ready, done, go: () => child.send({ type: "go" }) };
}

/**
 * One run: `processes` workers, one fake, `total` ids.
 * @returns {Promise<object>} throughput as a fraction of the limit, 429 share, ids lost
 */
export async function runOnce({ provider, limit, windowMs, total, processes, limiter, burst, redisUrl, prefix }) {
  const fake = await startFakeChild({ contacts: "any", record: false, seedCount: 0, rateLimit: { limit, windowMs } });
  const workers = [];
  try {
    const ids = Array.from({ length: total }, (_, i) => (provider === "featurebase" ? featurebaseId(prefix, i) : `cont_${prefix}${i}`));
    for (let w = 0; w < processes; w++) {
      const slice = ids.filter((_, i) => i % processes === w);
      workers.push(
        startWorker({
          config: fake.configs[provider],
          ids: slice,
          concurrency: 4,
          limiter,
          ...(burst ? { burst, spec: { limit, windowMs } } : {}),
          redisUrl,
          keyPrefix: `bench:${prefix}`,
        }),
      );
    }
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const results = await Promise.all(workers.map((w) => w.done));
    const started = Math.min(...results.map((r) => r.started));
    const finished = Math.max(...results.map((r) => r.finished));
    const seconds = (finished - started) / 1000;
    const seen = new Map();
    for (const r of results) for (const id of r.outcomes) seen.set(id, (seen.get(id) ?? 0) + 1);
    const lost = ids.filter((id) => !seen.has(id)).length;
    const duplicated = [...seen.values()].filter((n) => n > 1).length;
    const attempts = results.reduce((a, r) => a + r.attempts, 0);
    const rateLimited = results.reduce((a, r) => a + r.rateLimited, 0);
    const failed = results.reduce((a, r) => a + r.counts.failed, 0);
    const failedByCode = {};
    for (const r of results) for (const [code, n] of Object.entries(r.failedByCode)) failedByCode[code] = (failedByCode[code] ?? 0) + n;
    const perSecondLimit = limit / (windowMs / 1000);
    const deleted = results.reduce((a, r) => a + r.counts.deleted, 0);
    return {
      provider,
      limiter,
      processes,
      total,
      seconds,
      // Throughput counts the deletes that succeeded: failed ids did not use the budget well.
      fraction: deleted / seconds / perSecondLimit,
      attempts,
      rateLimited,
      share429: rateLimited / attempts,
      failed,
      failedByCode,
      lost,
      duplicated,
      warnings: results.flatMap((r) => r.warnings),
    };
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
    await fake.close();
  }
}

/**
 * @param {object} plan
 * @param {Array<{provider: string, limit: number, windowMs: number, total: number, label: string, localBursts?: number[]}>} plan.cases
 * @param {number[]} plan.processes
 */
export async function runSharedPacing({ cases, processes }) {
  const redis = await startRedisServer();
  const rows = [];
  let n = 0;
  try {
    for (const c of cases) {
      for (const count of processes) {
        // The local limiter with the default burst, with the old burst (a whole 1 s window) where
        // asked, then the shared one.
        const variants = [
          { limiter: "local" },
          ...(c.localBursts ?? []).map((burst) => ({ limiter: "local", burst })),
          { limiter: "redis" },
        ];
        for (const variant of variants) {
          const prefix = `e${(n++).toString(16).padStart(4, "0")}`;
          const r = await runOnce({ ...c, processes: count, ...variant, redisUrl: redis.url, prefix });
          const name = variant.burst ? `local, burst ${variant.burst}` : variant.limiter;
          rows.push({ ...r, limiter: name, label: c.label });
          console.log(
            `  ${c.label} ${count} proc ${name}: ${r.fraction.toFixed(2)} of limit, 429s ${(r.share429 * 100).toFixed(2)}%, failed ${r.failed}, lost ${r.lost} (${r.seconds.toFixed(1)} s)`,
          );
        }
      }
    }
  } finally {
    await redis.stop();
  }
  return rows;
}
