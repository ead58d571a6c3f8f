// Section a: per-call overhead of one sequential DELETE over keep-alive, four ways, against the
// fake providers running in a child process (Featurebase endpoint, `contacts: "any"`).
import createOpenApiClient from "openapi-fetch";
import Featurebase from "featurebase-node";
import { createContactsClient } from "contactkit";
import { createFloorClient, createLightOpenApiClient } from "./floor.mjs";
import { featurebaseId, median, startFakeChild, timeItems } from "./lib.mjs";

const VERSION = "2026-01-01.nova";

/**
 * @param {{ callsPerRound: number, rounds: number, warmupCalls: number }} plan
 * @returns per-variant medians and all round samples (µs per call)
 */
export async function runOverhead({ callsPerRound, rounds, warmupCalls }) {
  const fake = await startFakeChild({ contacts: "any", record: false, seedCount: 0 });
  try {
    const config = fake.configs.featurebase;
    const base = config.baseUrl;
    const headers = { Authorization: `Bearer ${config.apiKey}`, "Featurebase-Version": VERSION };

    const oaf = createOpenApiClient({ baseUrl: base, headers });
    const light = createLightOpenApiClient({ baseUrl: base, headers });
    const floor = createFloorClient({ baseUrl: base, headers });
    const ck = createContactsClient({ ...config });
    // The official SDK with its default retry setting (maxRetries 2, same as contactkit's default).
    const sdk = new Featurebase({ apiKey: config.apiKey, baseURL: base });

    const variants = [
      {
        name: "raw fetch",
        prefix: "aa0000",
        call: async (id) => {
          const res = await fetch(`${base}/v2/contacts/${id}`, { method: "DELETE", headers });
          await res.text();
          if (res.status !== 200) throw new Error(`raw fetch: HTTP ${res.status}`);
        },
      },
      {
        name: "openapi-fetch (bare)",
        prefix: "bb0000",
        call: async (id) => {
          const { response } = await oaf.DELETE("/v2/contacts/{id}", { params: { path: { id } } });
          if (response.status !== 200) throw new Error(`openapi-fetch: HTTP ${response.status}`);
        },
      },
      {
        name: "openapi-fetch + light Request",
        prefix: "bb1111",
        call: async (id) => {
          const { response } = await light.DELETE("/v2/contacts/{id}", { params: { path: { id } } });
          if (response.status !== 200) throw new Error(`openapi-fetch light: HTTP ${response.status}`);
        },
      },
      {
        name: "floor (light Request + signal + JSON.parse + result)",
        prefix: "ee0000",
        call: async (id) => {
          const result = await floor.deleteContact(id);
          if (result.outcome !== "deleted") throw new Error(`floor: HTTP ${result.status}`);
        },
      },
      {
        name: "contactkit deleteContact",
        prefix: "cc0000",
        call: async (id) => {
          const result = await ck.deleteContact(id);
          if (result.outcome !== "deleted") throw new Error(`contactkit: ${result.outcome}`);
        },
      },
      {
        name: "featurebase-node SDK",
        prefix: "dd0000",
        call: async (id) => {
          const result = await sdk.users.contacts.delete(id, { "Featurebase-Version": VERSION });
          if (result?.deleted !== true) throw new Error(`featurebase-node: ${JSON.stringify(result)}`);
        },
      },
    ];
    const all = variants;

    const counters = new Map(all.map((v) => [v.name, 0]));
    const runBatch = async (variant, n) => {
      let next = counters.get(variant.name);
      const t = await timeItems(n, async () => {
        for (let i = 0; i < n; i++) await variant.call(featurebaseId(variant.prefix, next++));
      });
      counters.set(variant.name, next);
      return t;
    };

    // Warm-up: JIT, connection pools (each client gets its keep-alive socket), the fake's paths.
    for (let pass = 0; pass < 2; pass++) for (const v of all) await runBatch(v, warmupCalls);

    const samples = new Map(all.map((v) => [v.name, []]));
    const cpu = new Map(all.map((v) => [v.name, []]));
    for (let round = 0; round < rounds; round++) {
      // Rotate the order every round so no variant always runs first/last after a GC or a neighbour's burst.
      const order = all.map((_, i) => all[(i + round) % all.length]);
      for (const v of order) {
        const t = await runBatch(v, callsPerRound);
        samples.get(v.name).push(t.wallUs);
        cpu.get(v.name).push(t.cpuUs);
      }
    }
    const serverStats = await fake.stats();
    return {
      sdkMaxRetries: sdk.maxRetries,
      serverStats,
      results: all.map((v) => ({
        name: v.name,
        medianUs: median(samples.get(v.name)),
        samples: samples.get(v.name),
        cpuMedianUs: median(cpu.get(v.name)),
        cpuSamples: cpu.get(v.name),
      })),
    };
  } finally {
    await fake.close();
  }
}

/**
 * The client-side JavaScript cost alone: the same calls with a `fetch` stub that answers at once
 * (no sockets, no server), so network noise cannot hide or inflate the library's own work.
 */
export async function runStubOverhead({ callsPerRound, rounds }) {
  const base = "http://127.0.0.1:9"; // never contacted
  const headers = { Authorization: "Bearer sk_fake_featurebase", "Featurebase-Version": VERSION };
  const responseHeaders = { "content-type": "application/json", "x-request-id": "stub", "x-ratelimit-limit": "1000" };
  const stub = async (input) => {
    const url = typeof input === "string" ? input : input.url;
    return new Response(`{"id":"${url.slice(-24)}","object":"contact","deleted":true}`, { status: 200, headers: responseHeaders });
  };
  const oaf = createOpenApiClient({ baseUrl: base, headers, fetch: stub });
  const light = createLightOpenApiClient({ baseUrl: base, headers, fetch: stub });
  const floor = createFloorClient({ baseUrl: base, headers, fetch: stub });
  const ck = createContactsClient({ provider: "featurebase", apiKey: "sk_fake_featurebase", baseUrl: base, fetch: stub });
  // No `fetch` option: contactkit calls globalThis.fetch, stubbed below for this section only.
  const ckBuiltin = createContactsClient({ provider: "featurebase", apiKey: "sk_fake_featurebase", baseUrl: base });
  const sdk = new Featurebase({ apiKey: "sk_fake_featurebase", baseURL: base, fetch: stub });
  const variants = [
    {
      name: "stub fetch + read body",
      call: async (id) => {
        const res = await stub(`${base}/v2/contacts/${id}`, { method: "DELETE", headers });
        await res.text();
      },
    },
    // Ingredients of what the libraries add, each on top of the stub alone (attribution only):
    {
      name: "ingredient: + new Request(url, {method, headers})",
      ingredient: true,
      call: async (id) => {
        const res = await stub(new Request(`${base}/v2/contacts/${id}`, { method: "DELETE", headers }));
        await res.text();
      },
    },
    {
      name: "ingredient: + AbortController + setTimeout/clearTimeout",
      ingredient: true,
      call: async (id) => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 30_000);
        try {
          const res = await stub(`${base}/v2/contacts/${id}`, { method: "DELETE", headers, signal: controller.signal });
          await res.text();
        } finally {
          clearTimeout(timer);
        }
      },
    },
    {
      name: "ingredient: + body re-wrapped in a new Response, read again",
      ingredient: true,
      call: async (id) => {
        const res = await stub(`${base}/v2/contacts/${id}`, { method: "DELETE", headers });
        const text = await res.text();
        await new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers }).text();
      },
    },
    { name: "openapi-fetch (bare)", call: (id) => oaf.DELETE("/v2/contacts/{id}", { params: { path: { id } } }) },
    { name: "openapi-fetch + light Request", call: (id) => light.DELETE("/v2/contacts/{id}", { params: { path: { id } } }) },
    { name: "floor (light Request + signal + JSON.parse + result)", call: (id) => floor.deleteContact(id) },
    { name: "contactkit deleteContact", call: (id) => ck.deleteContact(id) },
    { name: "contactkit deleteContact (built-in fetch path)", call: (id) => ckBuiltin.deleteContact(id) },
    { name: "featurebase-node SDK", call: (id) => sdk.users.contacts.delete(id, { "Featurebase-Version": VERSION }) },
  ];
  let next = 0;
  const runBatch = (variant, n) =>
    timeItems(n, async () => {
      for (let i = 0; i < n; i++) await variant.call(featurebaseId("5106b0", next++));
    });
  const realFetch = globalThis.fetch;
  globalThis.fetch = stub;
  const samples = new Map(variants.map((v) => [v.name, []]));
  const cpu = new Map(variants.map((v) => [v.name, []]));
  try {
    for (const v of variants) await runBatch(v, callsPerRound);
    for (let round = 0; round < rounds; round++) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length]);
      for (const v of order) {
        const t = await runBatch(v, callsPerRound);
        samples.get(v.name).push(t.wallUs);
        cpu.get(v.name).push(t.cpuUs);
      }
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  return variants.map((v) => ({
    name: v.name,
    ingredient: v.ingredient === true,
    medianUs: median(samples.get(v.name)),
    samples: samples.get(v.name),
    cpuMedianUs: median(cpu.get(v.name)),
    cpuSamples: cpu.get(v.name),
  }));
}
