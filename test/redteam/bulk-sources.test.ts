/**
 * Red team, bulk callbacks and id sources (issue 10 items 8–11): a rejecting async `onResult`, a
 * source that never yields again, an id that cannot be stringified and a consumer leaving a
 * stream early each end with every id read in exactly one outcome, never a crash or a hang.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createContactsClient, type BulkItem } from "../../src/index.js";
import type { RateLimiter } from "../../src/rate-limit.js";
import { providers, sampleId, unitConfig } from "./helpers.js";

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
});
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
});

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client whose every DELETE answers 204 after `delayMs`, counting the requests sent. */
function slowClient(provider: (typeof providers)[number], delayMs: number) {
  const sent: string[] = [];
  const client = createContactsClient({
    ...unitConfig(provider),
    maxRetries: 0,
    fetch: async (request: Request) => {
      sent.push(request.url);
      await tick(delayMs);
      return new Response(null, { status: 204 });
    },
  });
  return { client, sent };
}

/** An async source that yields `ids`, then never answers again; it records whether it was closed. */
function stalledSource(ids: string[]) {
  const state = { reads: 0, returned: false };
  const iterator: AsyncIterator<string> = {
    next: () => {
      const value = ids[state.reads++];
      return value === undefined ? new Promise(() => undefined) : Promise.resolve({ done: false, value });
    },
    return: () => {
      state.returned = true;
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return { state, source: { [Symbol.asyncIterator]: () => iterator } as AsyncIterable<string> };
}

const unprintable = () => {
  const id = Object.create(null) as object; // String() throws: no toString on the chain
  return id as unknown as string;
};

describe.each(providers)("red team bulk sources: %s", (provider) => {
  const ids = (n: number) => Array.from({ length: n }, () => sampleId(provider));

  it("item 8: an async onResult that rejects is counted like a throw, never fatal", async () => {
    const { client } = slowClient(provider, 1);
    const report = await client.deleteContacts(ids(5), {
      rateLimit: false,
      onResult: async () => {
        await tick(1);
        throw new Error("audit log unavailable");
      },
    });
    await tick(20);
    expect(report.counts).toEqual({ total: 5, deleted: 5, absent: 0, failed: 0, verified: 0, stillPresent: 0 });
    expect(report.callbackErrors).toBe(5);
    expect(unhandled).toEqual([]);
  });

  it("item 8: the report waits for onResult's promises, and resolved ones are not errors", async () => {
    const { client } = slowClient(provider, 1);
    let written = 0;
    const report = await client.deleteContacts(ids(4), {
      rateLimit: false,
      onResult: async () => {
        await tick(30);
        written += 1;
      },
    });
    expect(written).toBe(4);
    expect(report.callbackErrors).toBe(0);
  });

  it("item 9: aborting while the async source never yields again ends the run and closes the source", async () => {
    const { client, sent } = slowClient(provider, 5);
    const { state, source } = stalledSource(ids(3));
    const controller = new AbortController();
    // Abort once every id the source gave has its outcome, with the source stalled (not on a clock,
    // which a loaded machine can beat).
    let results = 0;
    const onResult = () => {
      if (++results === 3) setTimeout(() => controller.abort(), 20);
    };
    const started = Date.now();
    const report = await client.deleteContacts(source, { rateLimit: false, signal: controller.signal, concurrency: 4, onResult });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.aborted).toBe(true);
    expect(report.counts).toEqual({ total: 3, deleted: 3, absent: 0, failed: 0, verified: 0, stillPresent: 0 });
    expect(sent).toHaveLength(3);
    expect(state.returned).toBe(true);
  });

  it("item 9: the same abort ends a stream", async () => {
    const { client } = slowClient(provider, 5);
    const { state, source } = stalledSource(ids(2));
    const controller = new AbortController();
    const seen: BulkItem[] = [];
    for await (const item of client.deleteContactsStream(source, { rateLimit: false, signal: controller.signal })) {
      seen.push(item);
      if (seen.length === 2) setTimeout(() => controller.abort(), 20);
    }
    expect(seen.map((item) => item.ok)).toEqual([true, true]);
    expect(state.returned).toBe(true);
  });

  it("item 10: an id that cannot be stringified fails alone; in-flight outcomes are kept", async () => {
    const { client, sent } = slowClient(provider, 20);
    const good = ids(4);
    const report = await client.deleteContacts([good[0]!, good[1]!, good[2]!, unprintable(), good[3]!], {
      rateLimit: false,
      concurrency: 4,
    });
    expect(report.counts).toEqual({ total: 5, deleted: 4, absent: 0, failed: 1, verified: 0, stillPresent: 0 });
    expect(report.failed[0]!.error.code).toBe("invalid_input");
    expect(report.failed[0]!.error.message).toMatch(/cannot be turned into a string/);
    expect(sent).toHaveLength(4);
    expect(report.sourceError).toBeNull();
  });

  it("item 10: a non-string id that does stringify is invalid_input under its printed key, nothing sent", async () => {
    const { client, sent } = slowClient(provider, 1);
    const report = await client.deleteContacts([42 as unknown as string, sampleId(provider)], { rateLimit: false });
    expect(report.failed.map((f) => [f.id, f.error.code])).toEqual([["42", "invalid_input"]]);
    expect(report.counts.deleted).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it("item 11: a stream calls onResult for every id, those in flight at a break included", async () => {
    const { client, sent } = slowClient(provider, 20);
    const results: BulkItem[] = [];
    let taken = 0;
    for await (const _item of client.deleteContactsStream(ids(10), {
      rateLimit: false,
      concurrency: 4,
      onResult: (item) => void results.push(item),
    })) {
      taken += 1;
      break;
    }
    expect(taken).toBe(1);
    // The four sent before the break all finished before the loop returned, each seen by onResult.
    expect(sent).toHaveLength(4);
    expect(results).toHaveLength(4);
    expect(results.every((item) => item.ok)).toBe(true);
  });

  it("item 11: a stream's onResult that throws or rejects never ends the stream", async () => {
    const { client } = slowClient(provider, 1);
    let calls = 0;
    const seen: BulkItem[] = [];
    const onResult = (item: BulkItem) => {
      calls += 1;
      if (calls % 2) throw new Error("sync");
      return Promise.reject(new Error(`async ${item.id}`));
    };
    for await (const item of client.deleteContactsStream(ids(6), { rateLimit: false, onResult })) seen.push(item);
    await tick(10);
    expect(seen).toHaveLength(6);
    expect(calls).toBe(6);
    expect(unhandled).toEqual([]);
  });

  it("a source whose next() throws or returns a non-object stops the run with sourceError, keeping what was sent", async () => {
    const { client } = slowClient(provider, 5);
    let reads = 0;
    const hostile = {
      [Symbol.iterator]: () => ({
        next: () => (++reads <= 2 ? { done: false, value: sampleId(provider) } : (42 as unknown as IteratorResult<string>)),
      }),
    };
    const report = await client.deleteContacts(hostile as Iterable<string>, { rateLimit: false });
    expect(report.counts).toEqual({ total: 2, deleted: 2, absent: 0, failed: 0, verified: 0, stillPresent: 0 });
    expect(report.sourceError?.code).toBe("invalid_input");
    expect(report.sourceError?.message).toMatch(/reading ids failed/);
  });

  it("an abort before the run starts reports every id of an array as aborted, nothing sent", async () => {
    const { client, sent } = slowClient(provider, 1);
    const report = await client.deleteContacts(ids(5), { rateLimit: false, signal: AbortSignal.abort() });
    expect(report.counts.failed).toBe(5);
    expect(report.failed.every((f) => f.error.code === "aborted")).toBe(true);
    expect(sent).toHaveLength(0);
  });
});

describe("bulk pacing fast path", () => {
  const provider = providers[0]!;
  const limiter = (free: boolean) => {
    const calls = { tries: 0, acquires: 0, observes: 0 };
    const value: RateLimiter = {
      tryAcquire: () => (calls.tries++, free),
      acquire: async () => void calls.acquires++,
      observe: () => void calls.observes++,
    };
    return { calls, value };
  };

  it("a limiter whose tryAcquire takes the turn is not awaited", async () => {
    const { client } = slowClient(provider, 1);
    const { calls, value } = limiter(true);
    const report = await client.deleteContacts(Array(6).fill(sampleId(provider)), { rateLimit: value });
    expect(report.counts.deleted).toBe(6);
    expect(calls).toEqual({ tries: 6, acquires: 0, observes: 6 });
  });

  it("a limiter without a free turn, or without tryAcquire, is awaited on every attempt", async () => {
    const { client } = slowClient(provider, 1);
    const { calls, value } = limiter(false);
    await client.deleteContacts(Array(3).fill(sampleId(provider)), { rateLimit: value });
    expect(calls).toEqual({ tries: 3, acquires: 3, observes: 3 });
    let acquires = 0;
    await client.deleteContacts(Array(3).fill(sampleId(provider)), { rateLimit: { acquire: async () => void acquires++ } });
    expect(acquires).toBe(3);
  });
});
