// Section c (run as `node --expose-gc memory-child.mjs <json>` by bench.mjs, so its RSS holds
// nothing but this run): streams N ids from an async generator through `deleteContacts` against
// a child-process fake, sampling RSS and heap every second right after a forced GC.
// Prints one JSON line with the result on stdout.
import { createContactsClient } from "contactkit";
import { featurebaseId, startFakeChild } from "./lib.mjs";

const { total, collect, concurrency, prefix, warmup = 10_000 } = JSON.parse(process.argv[2]);
if (typeof globalThis.gc !== "function") throw new Error("memory-child needs --expose-gc");
const gc = globalThis.gc;

const fake = await startFakeChild({ contacts: "any", record: false, seedCount: 0 });
try {
  const client = createContactsClient({ ...fake.configs.featurebase });

  async function* ids(n, tag) {
    for (let i = 0; i < n; i++) yield featurebaseId(tag, i);
  }

  // Warm-up (JIT, sockets, lazily allocated buffers) so "start" is the steady baseline.
  await client.deleteContacts(ids(warmup, "feed00"), { concurrency, rateLimit: false, collect: false });

  const sample = () => {
    gc();
    const m = process.memoryUsage();
    return { t: performance.now(), rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers };
  };
  const start = sample();
  const samples = [start];
  const timer = setInterval(() => samples.push(sample()), 1000);
  // The report is kept referenced until after the end sample on purpose: with `collect: true` the
  // id lists it holds are part of what a caller pays for.
  // `rateLimit: false`: this section measures the runner's memory, not pacing (the fake sends no
  // rate-limit headers here, so the default limiter would crawl at Featurebase's 2,000/min).
  let done = 0;
  const report = await client.deleteContacts(ids(total, prefix), {
    concurrency,
    rateLimit: false,
    collect,
    onResult: () => {
      done += 1;
    },
  });
  clearInterval(timer);
  const end = sample();
  samples.push(end);
  const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  const peakHeap = Math.max(...samples.map((s) => s.heapUsed));
  const result = {
    collect,
    total,
    concurrency,
    durationMs: report.durationMs,
    counts: report.counts,
    done,
    listed: report.deleted.length + report.absent.length + report.failed.length,
    samples: samples.length,
    start: { rss: start.rss, heapUsed: start.heapUsed },
    peak: { rss: peak.rss, heapUsed: peakHeap },
    end: { rss: end.rss, heapUsed: end.heapUsed, heapTotal: process.memoryUsage().heapTotal },
    // RSS every 10 s (after GC), to show the shape: a ramp that levels off vs steady growth.
    rssEvery10s: samples.filter((_, i) => i % 10 === 0 || i === samples.length - 1).map((s) => s.rss),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await fake.close();
}
