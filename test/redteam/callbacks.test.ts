/**
 * Red team, callbacks and signals: the caller's signal gets one listener however many calls,
 * attempts and waits share it (no MaxListenersExceededWarning at concurrency > 10), and hooks
 * or fetches that misbehave end in a typed error, never a crash, a hang or a false `deleted`.
 */
import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createContactsClient, isContactkitError } from "../../src/index.js";
import { rejection } from "../helpers/provider-unit-suite.js";
import { providers, sampleId, unitConfig } from "./helpers.js";

let warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
beforeEach(() => {
  warnings = [];
  process.on("warning", onWarning);
});
afterEach(() => {
  process.off("warning", onWarning);
});

/** Lets Node emit a pending process warning (it is emitted on the next tick). */
const flush = () => new Promise((resolve) => setTimeout(resolve, 10));

describe.each(providers)("red team callbacks: %s", (provider) => {
  const id = sampleId(provider);

  it("a bulk run at concurrency 32 puts one listener on the run's signal, and no warning", async () => {
    const controller = new AbortController();
    let peak = 0;
    let calls = 0;
    const client = createContactsClient({
      ...unitConfig(provider),
      backoff: { initialDelayMs: 1, maxDelayMs: 2, jitter: false },
      fetch: async () => {
        peak = Math.max(peak, getEventListeners(controller.signal, "abort").length);
        await new Promise((resolve) => setTimeout(resolve, 5));
        // Every other attempt fails, so runs retry: no listener per attempt or per backoff wait either.
        return new Response(null, { status: ++calls % 2 === 1 ? 503 : 204 });
      },
    });
    const report = await client.deleteContacts(
      Array.from({ length: 64 }, () => id),
      {
        concurrency: 32,
        rateLimit: false,
        signal: controller.signal,
      },
    );
    await flush();
    expect(report.counts.total).toBe(64);
    expect(calls).toBeGreaterThan(64);
    expect(peak).toBe(1);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("32 concurrent deleteContact calls on one signal share one listener", async () => {
    const controller = new AbortController();
    let peak = 0;
    const client = createContactsClient({
      ...unitConfig(provider),
      fetch: async () => {
        peak = Math.max(peak, getEventListeners(controller.signal, "abort").length);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return new Response(null, { status: 204 });
      },
    });
    await Promise.all(Array.from({ length: 32 }, () => client.deleteContact(id, { signal: controller.signal })));
    await flush();
    expect(peak).toBe(1);
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("aborting the shared signal still aborts every in-flight call", async () => {
    const controller = new AbortController();
    const client = createContactsClient({ ...unitConfig(provider), fetch: () => new Promise<Response>(() => undefined) });
    const calls = Array.from({ length: 12 }, () => rejection(client.deleteContact(id, { signal: controller.signal })));
    setTimeout(() => controller.abort(), 10);
    const errors = await Promise.all(calls);
    expect(errors.map((e) => e.code)).toEqual(Array(12).fill("aborted"));
    expect(errors.every((e) => e.mayHaveApplied)).toBe(true);
  });

  it("an abort during a backoff wait ends the call and leaves no listener", async () => {
    const controller = new AbortController();
    const client = createContactsClient({
      ...unitConfig(provider),
      backoff: { initialDelayMs: 10_000, jitter: false },
      fetch: async () => new Response(null, { status: 503 }),
    });
    const call = rejection(client.deleteContact(id, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    expect((await call).code).toBe("aborted");
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it.each([
    ["a string", () => Promise.reject("boom")],
    ["null", () => Promise.reject(null)],
    [
      "an object with a throwing getter",
      () =>
        Promise.reject({
          get cause() {
            throw new Error("getter");
          },
          get message() {
            throw new Error("getter");
          },
        }),
    ],
    [
      "a sync throw",
      () => {
        throw new Error("sync");
      },
    ],
    ["a non-Response", () => Promise.resolve({ status: 200 } as unknown as Response)],
    ["null instead of a Response", () => Promise.resolve(null as unknown as Response)],
  ])("a fetch that rejects with or returns %s is a typed error, never deleted", async (_label, fetch) => {
    const client = createContactsClient({ ...unitConfig(provider), maxRetries: 0, fetch: fetch as never });
    let thrown: unknown;
    await client.deleteContact(id).then(
      () => (thrown = "resolved"),
      (error: unknown) => (thrown = error),
    );
    expect(isContactkitError(thrown), `got ${String(thrown)}`).toBe(true);
  });

  it("a custom sleep that throws is a typed error that does not claim the caller aborted", async () => {
    const client = createContactsClient({
      ...unitConfig(provider),
      sleep: async () => {
        throw new Error("clock broken");
      },
      fetch: async () => new Response(null, { status: 503 }),
    });
    const error = await rejection(client.deleteContact(id));
    expect(error.code).not.toBe("aborted");
    expect(error.message).toMatch(/sleep/);
    // Plus the default read-back's one attempt (it meets the same broken sleep), where there is a read.
    expect(error.attempts).toBe(client.canVerify ? 2 : 1);
    expect(error.verification?.message ?? "").toMatch(client.canVerify ? /sleep/ : /^$/);
    expect(error.mayHaveApplied).toBe(true);
  });
});
