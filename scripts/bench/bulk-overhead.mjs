// Section f: what the bulk runner adds per id over a plain worker pool calling `deleteContact`,
// with `fetch` stubbed (no sockets, no server), so only the library's JavaScript is measured.
// Variants run interleaved in rounds, order rotated; per-round paired differences are reported.
import { createContactsClient } from "contactkit";
import { featurebaseId, median, timeItems } from "./lib.mjs";

const base = "http://127.0.0.1:9"; // never contacted
// The stub advertises a window so large that the default limiter never waits: its bookkeeping
// (acquire, observe, header reads) is measured, not its pacing.
const responseHeaders = {
  "content-type": "application/json",
  "x-request-id": "stub",
  "x-ratelimit-limit": "1000000000",
  "x-ratelimit-remaining": "999999999",
  "x-ratelimit-reset": "1",
};
const stub = async (input) => {
  const url = typeof input === "string" ? input : input.url;
  return new Response(`{"id":"${url.slice(-24)}","object":"contact","deleted":true}`, { status: 200, headers: responseHeaders });
};

/** A plain worker pool: `concurrency` loops pulling the next id from an array. */
async function plainPool(ids, concurrency, work) {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) await work(ids[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export async function runBulkOverhead({ idsPerRound, rounds, concurrency }) {
  const client = createContactsClient({ provider: "featurebase", apiKey: "sk_fake_featurebase", baseUrl: base, fetch: stub });
  let counter = 0;
  const freshIds = () => Array.from({ length: idsPerRound }, () => featurebaseId("f0f000", counter++));
  const expectAll = (report) => {
    if (report.counts.deleted !== idsPerRound) throw new Error(`bulk overhead: ${JSON.stringify(report.counts)}`);
  };
  const variants = [
    {
      name: "plain worker pool over deleteContact",
      run: async (ids) => {
        let deleted = 0;
        await plainPool(ids, concurrency, async (id) => {
          if ((await client.deleteContact(id)).outcome === "deleted") deleted += 1;
        });
        if (deleted !== idsPerRound) throw new Error(`plain pool: ${deleted} deleted`);
      },
    },
    {
      name: "deleteContacts, rateLimit: false, collect: false",
      run: async (ids) => expectAll(await client.deleteContacts(ids, { concurrency, rateLimit: false, collect: false })),
    },
    {
      name: "deleteContacts, default limiter, collect: false",
      run: async (ids) => expectAll(await client.deleteContacts(ids, { concurrency, collect: false })),
    },
    {
      name: "deleteContacts, default limiter, collect: true",
      run: async (ids) => expectAll(await client.deleteContacts(ids, { concurrency })),
    },
  ];
  const timeRound = async (variant) => {
    const ids = freshIds();
    return timeItems(idsPerRound, () => variant.run(ids));
  };
  for (const v of variants) await timeRound(v); // warm-up (JIT, the default limiter learns the window)
  const samples = new Map(variants.map((v) => [v.name, []]));
  const cpu = new Map(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const v of order) {
      const t = await timeRound(v);
      samples.get(v.name).push(t.wallUs);
      cpu.get(v.name).push(t.cpuUs);
    }
  }
  const pool = samples.get(variants[0].name);
  const poolCpu = cpu.get(variants[0].name);
  return variants.map((v) => {
    const s = samples.get(v.name);
    const c = cpu.get(v.name);
    return {
      name: v.name,
      medianUs: median(s),
      samples: s,
      overUs: median(s.map((x, i) => x - pool[i])),
      cpuMedianUs: median(c),
      cpuOverUs: median(c.map((x, i) => x - poolCpu[i])),
    };
  });
}
