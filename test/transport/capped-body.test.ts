/**
 * The capped body reader on the paths that do not trust the stream to follow the attempt's
 * signal: a user's `fetch` (raced, and its stream cancelled on abort) and a patched
 * `globalThis.fetch` whose Response the built-in fetch did not make (type "default": cancelled on
 * abort). Bodies are decoded once from bytes, so a character split across chunks must survive,
 * and bytes are counted whatever Content-Length says.
 */
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import { rejection } from "../helpers/provider-unit-suite.js";

const base = { provider: "close" as const, apiKey: "k3y-for-tests", baseUrl: "http://127.0.0.1:9", maxRetries: 0 };
const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** A body stream of the given chunks; `stall`: then never ends. Records whether it was cancelled. */
function streamOf(chunks: Uint8Array[], stall = false) {
  const seen = { cancelled: false, pulls: 0 };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulls += 1;
      if (index < chunks.length) controller.enqueue(chunks[index++]!);
      else if (!stall) controller.close();
      // Stalled: never enqueues again and ignores every signal.
      else return new Promise<void>(() => undefined);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

const json = (stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Response(stream, { status: 200, headers: { "content-type": "application/json", ...headers } });

describe("capped body reader", () => {
  it("decodes a character split across chunks, and several chunks in order", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ name: "Zoë → 東京 🎉", n: 1 }));
    // Cut inside the multi-byte sequences: each cut leaves a partial character at a chunk's end.
    const cuts = [9, 10, 19, 20, 21, bytes.length - 3];
    const chunks = [0, ...cuts].map((start, i) => bytes.slice(start, cuts[i] ?? bytes.length));
    const { stream } = streamOf(chunks);
    const crm = createContactsClient({ ...base, fetch: async () => json(stream) });
    const result = await crm.deleteContact("cont_1", { verify: false });
    expect(result).toMatchObject({ outcome: "deleted", raw: { name: "Zoë → 東京 🎉", n: 1 } });
  });

  it("a Content-Length that understates the body does not lift the cap: bytes are counted", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const { stream, seen } = streamOf(Array.from({ length: 64 }, () => chunk)); // 4 MiB
    const crm = createContactsClient({ ...base, maxResponseBytes: 100_000, fetch: async () => json(stream, { "content-length": "10" }) });
    const error = await rejection(crm.deleteContact("cont_1", { verify: false }));
    expect(error).toMatchObject({ code: "invalid_response", status: 200, mayHaveApplied: true });
    expect(error.message).toContain("100000-byte limit");
    // Stopped just past the cap (64 KiB chunks: the second one crosses it), then cancelled.
    expect(seen.pulls).toBeLessThanOrEqual(3);
    expect(seen.cancelled).toBe(true);
  });

  it.each([
    ["a user's fetch", true],
    ["a patched globalThis.fetch (no config fetch)", false],
  ])("%s whose body stalls and ignores the signal times out, and its stream is cancelled", async (_label, asConfig) => {
    const { stream, seen } = streamOf([new TextEncoder().encode('{"partial":')], true);
    const fetch = async () => json(stream);
    if (!asConfig) globalThis.fetch = fetch;
    const crm = createContactsClient({ ...base, timeoutMs: 100, ...(asConfig ? { fetch } : {}) });
    const started = performance.now();
    const error = await rejection(crm.deleteContact("cont_1", { verify: false }));
    expect(error).toMatchObject({ code: "timeout", attempts: 1, mayHaveApplied: true });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(seen.cancelled).toBe(true);
  });

  it("the caller's signal ends a user's fetch that never answers, and leaves no listener", async () => {
    const controller = new AbortController();
    const crm = createContactsClient({ ...base, timeoutMs: 30_000, fetch: () => new Promise<Response>(() => undefined) });
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const error = await rejection(crm.deleteContact("cont_1", { signal: controller.signal, verify: false }));
    expect(error).toMatchObject({ code: "aborted", attempts: 1, mayHaveApplied: true });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("the caller's signal ends a stalled body of a user's fetch", async () => {
    const controller = new AbortController();
    const { stream, seen } = streamOf([new TextEncoder().encode("{")], true);
    const crm = createContactsClient({ ...base, timeoutMs: 30_000, fetch: async () => json(stream) });
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(crm.deleteContact("cont_1", { signal: controller.signal, verify: false }));
    expect(error).toMatchObject({ code: "aborted", attempts: 1, mayHaveApplied: true });
    expect(seen.cancelled).toBe(true);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});
