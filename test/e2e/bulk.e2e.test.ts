/** Bulk deletion over real HTTP against the fake providers. */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createContactsClient, type BulkItem, type RateLimiter } from "../../src/index.js";
import { startFakeProviders, type FakeProviders } from "../../src/testing/index.js";

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({ seedCount: 40 });
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

const fast = { backoff: { initialDelayMs: 5, jitter: false }, timeoutMs: 2000 };

describe("deleteContacts", () => {
  it("accounts for every input id exactly once, across outcomes", async () => {
    const client = createContactsClient({ ...fake.clientConfig("featurebase"), ...fast });
    const seeded = fake.seeded.featurebase;
    await client.deleteContact(seeded[0]!); // already gone → absent with missingOk
    const ids = [seeded[0]!, seeded[1]!, seeded[2]!, "not-an-object-id", seeded[3]!];
    const report = await client.deleteContacts(ids, { missingOk: true, rateLimit: false });
    expect(report.deleted.sort()).toEqual([seeded[1], seeded[2], seeded[3]].sort());
    expect(report.absent).toEqual([seeded[0]]);
    expect(report.failed.map((f) => [f.id, f.error.code])).toEqual([["not-an-object-id", "invalid_input"]]);
    expect(report.counts).toEqual({ total: 5, deleted: 3, absent: 1, failed: 1, verified: 0, stillPresent: 0 });
    expect(report.attempts).toBe(4);
    expect(report.aborted).toBe(false);
  });

  it("streams an async iterable lazily, never more than `concurrency` ids ahead", async () => {
    const client = createContactsClient({ ...fake.clientConfig("close"), ...fast });
    let pulled = 0;
    let maxAhead = 0;
    let settled = 0;
    async function* ids() {
      for (const id of fake.seeded.close.slice(0, 30)) {
        pulled += 1;
        maxAhead = Math.max(maxAhead, pulled - settled);
        yield id;
      }
    }
    const report = await client.deleteContacts(ids(), { concurrency: 3, rateLimit: false, onResult: () => void (settled += 1) });
    expect(report.counts).toEqual({ total: 30, deleted: 30, absent: 0, failed: 0, verified: 0, stillPresent: 0 });
    expect(maxAhead).toBeLessThanOrEqual(4);
  });

  it("delivers each outcome to onResult and as a stream", async () => {
    const client = createContactsClient({ ...fake.clientConfig("truto"), ...fast });
    const seen: BulkItem[] = [];
    const ids = fake.seeded.truto.slice(0, 5);
    await client.deleteContacts(ids, { onResult: (item) => seen.push(item), rateLimit: false });
    expect(seen.map((i) => i.id).sort()).toEqual([...ids].sort());
    const streamed: string[] = [];
    for await (const item of client.deleteContactsStream(ids, { rateLimit: false })) {
      expect(item.ok).toBe(false);
      if (!item.ok) expect(item.error.code).toBe("not_found");
      streamed.push(item.id);
    }
    expect(streamed.sort()).toEqual([...ids].sort());
  });

  it("retries rate-limited calls and counts the 429s", async () => {
    const client = createContactsClient({ ...fake.clientConfig("wethod"), ...fast });
    fake.queueFault({ provider: "wethod", status: 429, headers: { "retry-after-ms": "20" }, times: 2 });
    const report = await client.deleteContacts(fake.seeded.wethod.slice(0, 4), { rateLimit: false, concurrency: 1 });
    expect(report.counts.deleted).toBe(4);
    expect(report.rateLimitedResponses).toBe(2);
    expect(report.attempts).toBe(6);
  });

  it("uses a plugged-in limiter before every attempt and feeds it every response", async () => {
    const calls: string[] = [];
    const limiter: RateLimiter = {
      acquire: async () => void calls.push("acquire"),
      observe: (f) => void calls.push(`observe ${f.status}`),
    };
    fake.queueFault({ provider: "userapi", status: 503 });
    const client = createContactsClient({ ...fake.clientConfig("userapi"), ...fast });
    await client.deleteContacts(fake.seeded.userapi.slice(0, 1), { rateLimit: limiter });
    expect(calls).toEqual(["acquire", "observe 503", "acquire", "observe 200"]);
  });

  it("paces by default from the provider's rate-limit headers, so a server limit yields few 429s", async () => {
    // A fake that allows 10 deletes/s and says so in its headers.
    const limited = await startFakeProviders({ seedCount: 30, rateLimit: { perSecond: 10 } });
    try {
      const client = createContactsClient({ ...limited.clientConfig("featurebase"), ...fast });
      const report = await client.deleteContacts(limited.seeded.featurebase.slice(0, 25), { concurrency: 8 });
      expect(report.counts.deleted).toBe(25);
      expect(report.rateLimitedResponses).toBeLessThanOrEqual(1);
      // 25 requests at 10 per one-second window span at least two window boundaries.
      expect(report.durationMs).toBeGreaterThan(1000);
      // Without pacing the same run hammers the limit.
      limited.reset();
      const unpaced = await client.deleteContacts(limited.seeded.featurebase.slice(0, 25), { concurrency: 8, rateLimit: false });
      expect(unpaced.counts.deleted).toBe(25);
      expect(unpaced.rateLimitedResponses).toBeGreaterThan(5);
    } finally {
      await limited.close();
    }
  }, 20_000);

  it("a failing id source ends the run with a report of everything sent before", async () => {
    const client = createContactsClient({ ...fake.clientConfig("close"), ...fast });
    const seeded = fake.seeded.close;
    async function* ids() {
      yield seeded[0]!;
      yield seeded[1]!;
      throw new Error("upstream export broke");
    }
    const report = await client.deleteContacts(ids(), { concurrency: 2, rateLimit: false });
    expect(report.deleted.sort()).toEqual([seeded[0], seeded[1]].sort());
    expect(report.sourceError).toMatchObject({ code: "invalid_input" });
    expect(report.sourceError?.message).toContain("upstream export broke");
  });

  it("a sync iterator that throws still gets every id it yielded reported", async () => {
    const client = createContactsClient({ ...fake.clientConfig("wethod"), ...fast });
    const [a, b] = fake.seeded.wethod;
    function* ids() {
      yield a!;
      yield b!;
      throw new Error("export file truncated");
    }
    const report = await client.deleteContacts(ids(), { concurrency: 4, rateLimit: false });
    expect(report.deleted.sort()).toEqual([a, b].sort());
    expect(report.counts.total).toBe(2);
    expect(report.sourceError?.message).toContain("export file truncated");
  });

  it("leaving the stream early does not wait for a source that never yields again", async () => {
    const client = createContactsClient({ ...fake.clientConfig("close"), ...fast });
    async function* stalled() {
      yield fake.seeded.close[0]!;
      await new Promise(() => undefined); // an idle stdin
    }
    const started = Date.now();
    for await (const item of client.deleteContactsStream(stalled(), { rateLimit: false })) {
      expect(item.ok).toBe(true);
      break;
    }
    expect(Date.now() - started).toBeLessThan(2000);
  }, 5000);

  it("a throwing onResult does not stop the run or lose outcomes", async () => {
    const client = createContactsClient({ ...fake.clientConfig("close"), ...fast });
    const ids = fake.seeded.close.slice(0, 5);
    const report = await client.deleteContacts(ids, {
      rateLimit: false,
      onResult: () => {
        throw new Error("audit log unavailable");
      },
    });
    expect(report.counts.deleted).toBe(5);
    expect(report.callbackErrors).toBe(5);
  });

  it("delivers outcomes while the id source is still waiting for more (an open stdin)", async () => {
    const client = createContactsClient({ ...fake.clientConfig("close"), ...fast });
    const [first, second] = fake.seeded.close;
    let release!: () => void;
    const moreInput = new Promise<void>((resolve) => (release = resolve));
    async function* slowSource() {
      yield first!;
      await moreInput; // the next id only arrives after the first outcome was seen
      yield second!;
    }
    const seen: string[] = [];
    for await (const item of client.deleteContactsStream(slowSource(), { concurrency: 4, rateLimit: false })) {
      seen.push(item.id);
      if (seen.length === 1) release();
    }
    expect(seen).toEqual([first, second]);
  }, 5000);

  it("leaving the stream early waits for deletes in flight and closes the id source", async () => {
    const client = createContactsClient({ ...fake.clientConfig("featurebase"), ...fast });
    const ids = fake.seeded.featurebase.slice(0, 10);
    let closed = false;
    async function* source() {
      try {
        yield* ids;
      } finally {
        closed = true;
      }
    }
    fake.queueFault({ provider: "featurebase", delayMs: 200, times: 4 });
    const seen: string[] = [];
    for await (const item of client.deleteContactsStream(source(), { concurrency: 4, rateLimit: false })) {
      seen.push(item.id);
      break;
    }
    expect(seen).toHaveLength(1);
    await vi.waitFor(() => expect(closed).toBe(true));
    // The four sent before the break all completed before the loop returned.
    expect(ids.slice(0, 4).filter((id) => !fake.has("featurebase", id))).toHaveLength(4);
    expect(ids.slice(4).every((id) => fake.has("featurebase", id))).toBe(true);
  });

  it("an abort reports in-flight and unsent ids as aborted, each exactly once", async () => {
    const client = createContactsClient({ ...fake.clientConfig("close"), ...fast });
    const controller = new AbortController();
    fake.queueFault({ provider: "close", delayMs: 1000, status: 200, body: {}, times: 2 });
    const ids = fake.seeded.close.slice(0, 12);
    setTimeout(() => controller.abort(), 100);
    const report = await client.deleteContacts(ids, { concurrency: 2, signal: controller.signal, rateLimit: false });
    expect(report.aborted).toBe(true);
    expect(report.counts.total).toBe(12);
    expect([...report.deleted, ...report.absent, ...report.failed.map((f) => f.id)].sort()).toEqual([...ids].sort());
    expect(report.failed.every((f) => f.error.code === "aborted")).toBe(true);
    expect(report.failed.length).toBeGreaterThanOrEqual(10);
  });

  it("rejects bad run options before sending anything", async () => {
    const client = createContactsClient({ ...fake.clientConfig("close"), ...fast });
    const before = fake.requests.length;
    await expect(client.deleteContacts(["cont_1"], { concurrency: 0 })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(client.deleteContacts(["cont_1"], { rateLimit: {} as never })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(client.deleteContacts(["cont_1"], { include: ["emails"] } as never)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(client.deleteContacts(42 as never)).rejects.toMatchObject({ code: "invalid_input" });
    expect(fake.requests.length).toBe(before);
  });

  it("collect: false keeps counts but not the id lists", async () => {
    const client = createContactsClient({ ...fake.clientConfig("userapi"), ...fast });
    const report = await client.deleteContacts(fake.seeded.userapi.slice(0, 6), { collect: false, rateLimit: false });
    expect(report.counts).toEqual({ total: 6, deleted: 6, absent: 0, failed: 0, verified: 0, stillPresent: 0 });
    expect(report.deleted).toEqual([]);
  });
});
