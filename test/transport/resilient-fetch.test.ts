/** Transport edge cases with a scripted fetch (no server needed). */
import { describe, expect, it } from "vitest";
import { createContactsClient, type RateLimiter } from "../../src/index.js";
import { rejection } from "../helpers/provider-unit-suite.js";

const base = { provider: "close" as const, apiKey: "k3y-for-tests", baseUrl: "http://127.0.0.1:9" };
// Close's own 404 (any JSON object, per its spec); an empty 404 would say nothing about the contact.
const CLOSE_NOT_FOUND = JSON.stringify({ error: "Contact not found." });

describe("resilient fetch", () => {
  it("times out a fetch that ignores its abort signal", async () => {
    const neverEnding = () => new Promise<Response>(() => undefined);
    const client = createContactsClient({ ...base, fetch: neverEnding, timeoutMs: 50, maxRetries: 0 });
    const started = performance.now();
    // The loop alone: no read-back (it would meet the same stuck fetch).
    const error = await rejection(client.deleteContact("cont_1", { verify: false }));
    expect(error).toMatchObject({ code: "timeout", attempts: 1, mayHaveApplied: true });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("an abort during the rate limiter's turn sends nothing", async () => {
    let sent = 0;
    const controller = new AbortController();
    const slowLimiter: RateLimiter = {
      acquire: () => new Promise((resolve) => setTimeout(() => (controller.abort(), resolve()), 20)),
    };
    const client = createContactsClient({ ...base, fetch: async () => (sent++, new Response("{}")) });
    const report = await client.deleteContacts(["cont_1"], { rateLimit: slowLimiter, signal: controller.signal });
    expect(report.failed[0]?.error.code).toBe("aborted");
    expect(sent).toBe(0);
  });

  it("connection refused is retried but not taken as a possible delete", async () => {
    const refused = async () => {
      throw Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      });
    };
    let calls = 0;
    const client = createContactsClient({
      ...base,
      backoff: { initialDelayMs: 1 },
      fetch: async (_request) => (++calls === 1 ? refused() : new Response(CLOSE_NOT_FOUND, { status: 404 })),
    });
    const error = await rejection(client.deleteContact("cont_1"));
    expect(calls).toBe(2);
    expect(error).toMatchObject({ code: "not_found", attempts: 2, mayHaveApplied: false });
  });

  it("a reset connection is a possible delete: 404 afterwards is absent after retry", async () => {
    let calls = 0;
    const client = createContactsClient({
      ...base,
      backoff: { initialDelayMs: 1 },
      fetch: async () => {
        if (++calls === 1) throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
        return new Response(CLOSE_NOT_FOUND, { status: 404 });
      },
    });
    await expect(client.deleteContact("cont_1")).resolves.toMatchObject({ outcome: "absent", afterRetry: true, attempts: 2 });
  });

  it("a throwing onRetry hook changes nothing", async () => {
    let calls = 0;
    const client = createContactsClient({
      ...base,
      backoff: { initialDelayMs: 1 },
      onRetry: () => {
        throw new Error("metrics down");
      },
      fetch: async () => (++calls === 1 ? new Response("", { status: 503 }) : new Response("{}")),
    });
    await expect(client.deleteContact("cont_1")).resolves.toMatchObject({ outcome: "deleted", attempts: 2 });
  });

  it.each([
    [{ backoff: { initialDelayMs: Number.NaN } }, /initialDelayMs/],
    [{ backoff: { jitter: "yes" } }, /jitter/],
    [{ maxRetries: -1 }, /maxRetries/],
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ maxRetryAfterMs: Number.POSITIVE_INFINITY }, /maxRetryAfterMs/],
  ])("rejects %j at creation", (override, message) => {
    expect(() => createContactsClient({ ...base, ...override } as never)).toThrow(message);
  });
});
