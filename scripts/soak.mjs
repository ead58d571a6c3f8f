#!/usr/bin/env node
// Soak run: `npm run soak` (builds first). 20,000 Featurebase deletes through `deleteContacts`
// against the in-process fake with ~5% faults of many kinds injected from a seeded plan, then
// checks that every id is accounted for exactly once and that what the client reports matches the
// fake's own state. Exit 1 on any accounting error.
//
//   node scripts/soak.mjs [--seed N] [--ids N] [--timeout-ms N]   (or SOAK_SEED / SOAK_IDS / SOAK_TIMEOUT_MS)
//
// --timeout-ms raises the per-attempt timeout (default 150) for a loaded machine, where 150 ms
// makes clean requests time out too; the "slow answer" faults stay beyond it (2.5×, at least 400).
//
// How faults line up with requests: the fake consumes its fault queue strictly in arrival order,
// one entry per request, and a fault with no status/drop/delay is served normally. So the plan is
// a sequence of "k normal requests, then fault X, …" queued before the run (`times: k`
// pass-throughs between real faults): request number i (in arrival order, retries included)
// meets plan[i]. Which id that is depends on scheduling, but the fault sequence is fixed by the seed.
import { parseArgs } from "node:util";
import { createContactsClient } from "contactkit";
import { startFakeProviders } from "contactkit/testing";
import { featurebaseId, fmt, gcFunction, mb, mulberry32, textTable } from "./bench/lib.mjs";

const { values: args } = parseArgs({ options: { seed: { type: "string" }, ids: { type: "string" }, "timeout-ms": { type: "string" } } });
const SEED = Number(args.seed ?? process.env.SOAK_SEED ?? 20260101) >>> 0;
const TOTAL = Number(args.ids ?? process.env.SOAK_IDS ?? 20_000);
const FAULT_RATE = 0.05;
const CONCURRENCY = 16;
const TIMEOUT_MS = Number(args["timeout-ms"] ?? process.env.SOAK_TIMEOUT_MS ?? 150); // per attempt
const SLOW_MS = Math.max(400, Math.round(TIMEOUT_MS * 2.5)); // "delay beyond the timeout" faults
const WARMUP = 2000; // clean deletes before the measured run
// Planned request slots: the ids plus the retries the faults themselves cause (~5% × ~1.1).
const PLAN_SLOTS = Math.round(TOTAL * 1.06);

// A provider with a read endpoint, so the default `verify: "ambiguous"` can settle lost answers
// by reading the contact back (checked below with `canVerify`).
const PROVIDER = "featurebase";
const HTML_502 =
  "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

/** The fault kinds, equally likely. `expect` is what a single occurrence should lead to. */
const KINDS = [
  {
    kind: "500 json",
    expect: "retried → deleted",
    fault: () => ({ status: 500, body: { error: { code: "internal", message: "internal error" } } }),
  },
  {
    kind: "500 after delete (ambiguous)",
    expect: "retried → absent afterRetry",
    fault: () => ({ status: 500, applyDelete: true, body: { error: { message: "internal error" } } }),
  },
  {
    kind: "502 html page",
    expect: "retried → deleted",
    fault: () => ({ status: 502, headers: { "content-type": "text/html" }, body: HTML_502 }),
  },
  {
    kind: "503 retry-after-ms",
    expect: "retried → deleted",
    fault: (r) => ({ status: 503, headers: { "retry-after-ms": String(5 + Math.floor(r() * 20)) } }),
  },
  {
    kind: "429 retry-after-ms",
    expect: "retried → deleted",
    fault: (r) => ({
      status: 429,
      headers: { "retry-after-ms": String(5 + Math.floor(r() * 25)) },
      body: { error: { message: "slow down" } },
    }),
  },
  { kind: "429 Retry-After: 0", expect: "retried → deleted", fault: () => ({ status: 429, headers: { "retry-after": "0" } }) },
  { kind: "dropped connection", expect: "retried → deleted", fault: () => ({ drop: true }) },
  { kind: "dropped after delete (ambiguous)", expect: "retried → absent afterRetry", fault: () => ({ drop: true, applyDelete: true }) },
  { kind: `delay ${SLOW_MS} ms > timeout`, expect: "timeout, retried → deleted", fault: () => ({ delayMs: SLOW_MS }) },
  {
    kind: `delay ${SLOW_MS} ms after delete`,
    expect: "timeout, retried → absent afterRetry",
    fault: () => ({ delayMs: SLOW_MS, applyDelete: true }),
  },
  {
    kind: "200 invalid JSON (after delete)",
    expect: "failed invalid_response (not retried)",
    fault: () => ({ status: 200, applyDelete: true, headers: { "content-type": "application/json" }, body: '{"id": "' }),
  },
];

/** plan[i] = index into KINDS for request slot i, or -1 for a normal answer. */
function makePlan(seed, slots) {
  const random = mulberry32(seed);
  const plan = new Int8Array(slots).fill(-1);
  const params = [];
  for (let i = 0; i < slots; i++) {
    if (random() < FAULT_RATE) {
      plan[i] = Math.floor(random() * KINDS.length);
      params[i] = KINDS[plan[i]].fault(random);
    }
  }
  return { plan, params };
}

const gc = gcFunction();
const memory = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
};

const watchdog = (ms, what) =>
  setTimeout(() => {
    console.error(
      `soak: ${what} did not finish within ${ms / 1000} s; active handles: ${process
        ._getActiveHandles()
        .map((h) => h.constructor.name)
        .join(", ")}`,
    );
    process.exit(1);
  }, ms).unref();

const startedAt = performance.now();
console.log(
  `contactkit soak — seed ${SEED} (reproduce: node scripts/soak.mjs --seed ${SEED}), ${fmt.int(TOTAL)} ids, Node ${process.version}`,
);

const fake = await startFakeProviders({ contacts: "any", record: false, seedCount: 0, rateLimit: { perSecond: 20_000 } });
let exitCode = 0;
try {
  let requests = 0;
  fake.server.on("request", () => {
    requests += 1;
  });

  const retries = {};
  const client = createContactsClient({
    ...fake.clientConfig(PROVIDER),
    timeoutMs: TIMEOUT_MS,
    maxRetries: 2,
    backoff: { initialDelayMs: 5, maxDelayMs: 50 },
    maxRetryAfterMs: 1000,
    onRetry: (info) => {
      retries[info.reason] = (retries[info.reason] ?? 0) + 1;
    },
  });

  if (!client.canVerify) throw new Error(`soak: ${PROVIDER} has no read endpoint; pick a provider with canVerify`);

  // Warm-up without faults (JIT, sockets, V8's young generation growing to its working size), so
  // the memory "before" below is a steady baseline rather than a cold process.
  const warm = await client.deleteContacts(
    Array.from({ length: WARMUP }, (_, i) => featurebaseId("50a0ff", i)),
    { concurrency: CONCURRENCY, collect: false },
  );
  if (warm.counts.deleted !== WARMUP) throw new Error(`warm-up: ${JSON.stringify(warm.counts)}`);
  for (const key of Object.keys(retries)) delete retries[key];
  requests = 0;

  const { plan, params } = makePlan(SEED, PLAN_SLOTS);
  let gap = 0;
  for (let i = 0; i < plan.length; i++) {
    if (plan[i] === -1) {
      gap += 1;
      continue;
    }
    if (gap > 0) fake.queueFault({ provider: PROVIDER, times: gap });
    gap = 0;
    fake.queueFault({ provider: PROVIDER, ...params[i] });
  }

  const ids = Array.from({ length: TOTAL }, (_, i) => featurebaseId("50a000", i));
  gc();
  const before = memory();
  let peak = before;
  const sampler = setInterval(() => {
    const now = memory();
    if (now.rss > peak.rss) peak = now;
  }, 250);
  let absentAfterRetry = 0;
  let deletedAfterRetries = 0;
  const guard = watchdog(Math.max(110_000, TIMEOUT_MS * 800), "the bulk run");
  const report = await client.deleteContacts(ids, {
    concurrency: CONCURRENCY,
    missingOk: false,
    onResult: (item) => {
      if (!item.ok) return;
      if (item.result.outcome === "absent" && item.result.afterRetry) absentAfterRetry += 1;
      if (item.result.outcome === "deleted" && item.result.attempts > 1) deletedAfterRetries += 1;
    },
  });
  clearTimeout(guard);
  clearInterval(sampler);
  const afterRun = memory();
  gc();
  const after = memory();

  // --- accounting ---
  const problems = [];
  const seen = new Map();
  const note = (id) => seen.set(id, (seen.get(id) ?? 0) + 1);
  report.deleted.forEach(note);
  report.absent.forEach(note);
  report.failed.forEach(({ id }) => note(id));
  const input = new Set(ids);
  const lost = ids.filter((id) => !seen.has(id));
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  const unknown = [...seen.keys()].filter((id) => !input.has(id));
  const { deleted, absent, failed, total } = report.counts;
  if (deleted + absent + failed !== TOTAL || total !== TOTAL)
    problems.push(`counts ${deleted} + ${absent} + ${failed} = ${deleted + absent + failed}, total ${total}, expected ${TOTAL}`);
  if (report.deleted.length !== deleted || report.absent.length !== absent || report.failed.length !== failed)
    problems.push("id lists and counts disagree");
  if (lost.length) problems.push(`${lost.length} ids lost, e.g. ${lost.slice(0, 3).join(", ")}`);
  if (duplicated.length) problems.push(`${duplicated.length} ids reported more than once, e.g. ${duplicated.slice(0, 3).join(", ")}`);
  if (unknown.length) problems.push(`${unknown.length} ids reported that were never input`);
  // Ground truth: what the client calls deleted or absent must be gone on the server.
  const stillThere = [...report.deleted, ...report.absent].filter((id) => fake.has(PROVIDER, id));
  if (stillThere.length)
    problems.push(`${stillThere.length} ids reported deleted/absent still exist on the fake, e.g. ${stillThere.slice(0, 3).join(", ")}`);

  const failedByCode = {};
  let failedButGone = 0;
  let failedMayHaveApplied = 0;
  const goneButNotFlagged = [];
  for (const { id, error } of report.failed) {
    failedByCode[error.code] = (failedByCode[error.code] ?? 0) + 1;
    if (error.mayHaveApplied === true) failedMayHaveApplied += 1;
    if (!fake.has(PROVIDER, id)) {
      failedButGone += 1;
      // The delete happened although the call failed: the error should say it may have.
      if (error.mayHaveApplied !== true) goneButNotFlagged.push({ id, error });
    }
  }

  // Faults actually met: slots below the number of requests the fake received.
  const injected = new Array(KINDS.length).fill(0);
  const metSlots = Math.min(requests, plan.length);
  for (let i = 0; i < metSlots; i++) if (plan[i] >= 0) injected[plan[i]] += 1;
  const injectedTotal = injected.reduce((a, b) => a + b, 0);

  console.log();
  console.log(
    textTable(
      ["outcome", "ids"],
      [
        ["deleted", fmt.int(deleted)],
        ["  of which needed more than one attempt", fmt.int(deletedAfterRetries)],
        ["absent", fmt.int(absent)],
        ["  of which afterRetry (our earlier attempt most likely did it)", fmt.int(absentAfterRetry)],
        ["failed", fmt.int(failed)],
        ...Object.entries(failedByCode)
          .sort((a, b) => b[1] - a[1])
          .map(([code, count]) => [`  failed: ${code}`, fmt.int(count)]),
        ["  failed ids whose error says mayHaveApplied (unknown outcome)", fmt.int(failedMayHaveApplied)],
        ["  absent ids settled by a read-back (verified)", fmt.int(report.counts.verified ?? 0)],
        ["  failed ids that are in fact gone on the server", fmt.int(failedButGone)],
        ["    of which the error does NOT say mayHaveApplied", fmt.int(goneButNotFlagged.length)],
        ["total", `${fmt.int(deleted + absent + failed)} of ${fmt.int(TOTAL)}`],
      ],
    ),
  );
  console.log();
  console.log(
    textTable(
      ["fault injected (seeded plan)", "times", "expected effect of one occurrence"],
      [
        ...KINDS.map((k, i) => [k.kind, fmt.int(injected[i]), k.expect]),
        ["total", `${fmt.int(injectedTotal)} (${fmt.pct(injectedTotal / requests)} of ${fmt.int(requests)} requests)`, ""],
      ],
    ),
  );
  console.log();
  console.log(
    textTable(
      ["run", "value"],
      [
        ["duration", `${fmt.int(report.durationMs)} ms (${fmt.int(TOTAL / (report.durationMs / 1000))} ids/s), concurrency ${CONCURRENCY}`],
        [
          "client settings",
          `timeoutMs ${TIMEOUT_MS}, maxRetries 2, backoff 5–50 ms, missingOk false, default adaptive limiter (fake: 20,000/s)`,
        ],
        ["HTTP attempts (report) / requests seen by fake", `${fmt.int(report.attempts)} / ${fmt.int(requests)}`],
        ["429s (report.rateLimitedResponses)", fmt.int(report.rateLimitedResponses)],
        [
          "retries by reason",
          Object.entries(retries)
            .sort((a, b) => b[1] - a[1])
            .map(([r, c]) => `${r}: ${c}`)
            .join(", "),
        ],
        [
          `RSS before (after a ${fmt.int(WARMUP)}-id clean warm-up) → peak (sampled 4/s) → after run → after GC`,
          `${mb(before.rss)} → ${mb(peak.rss)} → ${mb(afterRun.rss)} → ${mb(after.rss)} (growth ${mb(after.rss - before.rss)})`,
        ],
        [
          "heap used before → after GC",
          `${mb(before.heapUsed)} → ${mb(after.heapUsed)} (growth ${mb(after.heapUsed - before.heapUsed)}; the report holds ${fmt.int(TOTAL)} ids)`,
        ],
        ["heap total (reserved) / external, after GC", `${mb(after.heapTotal)} / ${mb(after.external)}`],
        ["ids lost / duplicated / unknown", `${lost.length} / ${duplicated.length} / ${unknown.length}`],
        ["reported deleted/absent but still on the fake", fmt.int(stillThere.length)],
      ],
    ),
  );
  // One example of each failure code, so a reviewer can judge whether the error is the right one.
  const examples = new Map();
  for (const { id, error } of report.failed) if (!examples.has(error.code)) examples.set(error.code, { id, error });
  if (examples.size) {
    console.log();
    console.log("One failure of each code:");
    for (const [code, { id, error }] of examples) {
      const flags = [`attempts ${error.attempts}`];
      for (const key of ["mayHaveApplied", "afterRetry"]) if (error[key] !== undefined) flags.push(`${key} ${error[key]}`);
      flags.push(`still on the fake: ${fake.has(PROVIDER, id)}`);
      console.log(`  ${code}: ${error.message} [${flags.join(", ")}]`);
    }
  }
  if (goneButNotFlagged.length) {
    console.log();
    console.log(
      `WARNING: ${goneButNotFlagged.length} failed ids were deleted on the server but their error has mayHaveApplied !== true, e.g.:`,
    );
    for (const { error } of goneButNotFlagged.slice(0, 3)) console.log(`  ${error.code}: ${error.message} [attempts ${error.attempts}]`);
  }
  console.log();
  if (problems.length) {
    exitCode = 1;
    console.log(`FAIL (seed ${SEED}):`);
    for (const p of problems) console.log(`  - ${p}`);
  } else {
    console.log(
      `OK (seed ${SEED}): all ${fmt.int(TOTAL)} ids accounted for exactly once; ${fmt.f1((performance.now() - startedAt) / 1000)} s total.`,
    );
  }
} finally {
  const guard = watchdog(10_000, "closing the fake");
  await fake.close();
  clearTimeout(guard);
}
process.exitCode = exitCode;
