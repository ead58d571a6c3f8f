/**
 * The fault matrix: every provider × every fault, over real HTTP against the fake providers'
 * fault queue. Each case asserts the outcome or error code, the attempt count and the waits
 * contactkit chose (recorded by an injected sleep, so no case really sleeps for seconds).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createContactsClient, isContactkitError, providerNames, type DeleteResult, type ProviderName } from "../../src/index.js";
import { manifest, wirePath } from "../helpers/fixtures.js";
import { wires } from "../helpers/wire.js";
import { startFakeProviders, type FakeFault, type FakeProviders } from "../../src/testing/index.js";

let fake: FakeProviders;
/** The spec's own "no such contact" 404 body. */
const contactGone = (provider: ProviderName) =>
  manifest[provider].examples.find((e) => e.status === 404 && e.contactNotFound === true)!.body;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  fake = await startFakeProviders();
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
  process.off("unhandledRejection", onUnhandled);
});

interface Expectation {
  outcome?: DeleteResult["outcome"];
  code?: string;
  attempts: number;
  /** Exact waits, or a predicate over them. */
  waits: number[] | ((waits: number[]) => boolean);
  afterRetry?: boolean;
  /** Whether the contact is gone afterwards. */
  gone: boolean;
  status?: number | null;
  /** For errors: whether the delete may have happened, and the wait the server asked for. */
  mayHaveApplied?: boolean;
  retryAfterMs?: number | null;
  /** For results: whether a read-back confirmed the contact gone. Default false. */
  verified?: boolean;
  /** For errors: the code of the failed read-back attached as `verification` (default: none attached). */
  verificationCode?: string;
}

interface FaultCase {
  name: string;
  /** A function when the fault depends on the time it is queued. */
  faults: FakeFault[] | (() => FakeFault[]);
  expect: Expectation;
  timeoutMs?: number;
}

const html502 = "<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";

/**
 * With the default `verify: "ambiguous"`, a provider with a read endpoint settles a "may have
 * applied" ending by reading the contact back (one more attempt); userapi (no read) keeps the
 * plain answer. `settled` is the expectation with a read-back, `plain` without.
 */
function ambiguousEnd(canVerify: boolean, plain: Expectation, settled: Expectation): Expectation {
  return canVerify ? settled : plain;
}

function casesFor(provider: ProviderName): FaultCase[] {
  const canVerify = manifest[provider].operations.getContact !== undefined;
  const read = ambiguousEnd.bind(null, canVerify);
  const cases: FaultCase[] = [
    {
      name: "429 with Retry-After in seconds",
      faults: [{ status: 429, headers: { "Retry-After": "2" }, body: { message: "slow down" } }],
      expect: { outcome: "deleted", attempts: 2, waits: [2000], gone: true },
    },
    {
      name: "429 with Retry-After as an HTTP date",
      faults: () => [{ status: 429, headers: { "Retry-After": new Date(Date.now() + 3000).toUTCString() } }],
      // HTTP dates have one-second resolution: the wait lands within (1 s, 3 s].
      expect: { outcome: "deleted", attempts: 2, waits: (w) => w.length === 1 && w[0]! > 1000 && w[0]! <= 3000, gone: true },
    },
    {
      name: "429 with retry-after-ms",
      faults: [{ status: 429, headers: { "retry-after-ms": "1500", "Retry-After": "9" } }],
      expect: { outcome: "deleted", attempts: 2, waits: [1500], gone: true },
    },
    {
      name: "429 with a hint beyond maxRetryAfterMs is handed to the caller",
      faults: [{ status: 429, headers: { "Retry-After": "3600" } }],
      expect: { code: "rate_limited", attempts: 1, waits: [], gone: false, status: 429, mayHaveApplied: false, retryAfterMs: 3_600_000 },
    },
    ...[500, 502, 503, 504].map(
      (status): FaultCase => ({
        name: `${status} then success`,
        faults: [{ status, body: { message: `upstream ${status}` } }],
        expect: { outcome: "deleted", attempts: 2, waits: [100], gone: true },
      }),
    ),
    {
      name: "503 on every attempt exhausts the retries",
      faults: [{ status: 503, times: 3 }],
      // The read-back finds the contact: the 503s did not delete it, so the error says so.
      expect: read(
        { code: "provider_error", attempts: 3, waits: [100, 200], gone: false, status: 503, mayHaveApplied: true, retryAfterMs: null },
        { code: "provider_error", attempts: 4, waits: [100, 200], gone: false, status: 503, mayHaveApplied: false, retryAfterMs: null },
      ),
    },
    {
      name: "dropped connection then success",
      faults: [{ drop: true }],
      expect: { outcome: "deleted", attempts: 2, waits: [100], gone: true },
    },
    {
      name: "response slower than the timeout, then success",
      faults: [{ delayMs: 1500, status: 200, body: {} }],
      timeoutMs: 200,
      expect: { outcome: "deleted", attempts: 2, waits: [100], gone: true },
    },
    {
      name: "HTML 502 page, retried, then success",
      faults: [{ status: 502, headers: { "content-type": "text/html" }, body: html502 }],
      expect: { outcome: "deleted", attempts: 2, waits: [100], gone: true },
    },
    {
      name: "HTML 502 page on every attempt keeps the page as raw text",
      faults: [{ status: 502, headers: { "content-type": "text/html" }, body: html502, times: 3 }],
      expect: read(
        { code: "provider_error", attempts: 3, waits: [100, 200], gone: false, status: 502, mayHaveApplied: true, retryAfterMs: null },
        { code: "provider_error", attempts: 4, waits: [100, 200], gone: false, status: 502, mayHaveApplied: false, retryAfterMs: null },
      ),
    },
    {
      name: "invalid JSON on 200 after the delete was applied: not retried; the read-back settles it",
      faults: [{ applyDelete: true, status: 200, headers: { "content-type": "application/json" }, body: '{"id": "x", "deleted": tr' }],
      expect: read(
        { code: "invalid_response", attempts: 1, waits: [], gone: true, status: 200, mayHaveApplied: true, retryAfterMs: null },
        { outcome: "absent", attempts: 2, waits: [], afterRetry: true, verified: true, gone: true, status: 404 },
      ),
    },
    {
      name: "invalid JSON on 200 without the delete applied: read back, retried, deleted",
      faults: [{ status: 200, headers: { "content-type": "application/json" }, body: '{"id": "x", "deleted": tr' }],
      expect: read(
        { code: "invalid_response", attempts: 1, waits: [], gone: false, status: 200, mayHaveApplied: true, retryAfterMs: null },
        { outcome: "deleted", attempts: 3, waits: [], gone: true },
      ),
    },
    ...(
      [
        ["connection dropped", { drop: true }, "network", null],
        ["timeout", { delayMs: 1500, status: 200, body: {} }, "timeout", null],
        ["500", { status: 500 }, "provider_error", 500],
      ] as const
    ).map(
      ([what, fault, code, status]): FaultCase => ({
        name: `${what} on every attempt after the delete was applied: read back, absent + verified`,
        faults: [{ applyDelete: true, times: 3, ...fault }],
        timeoutMs: 200,
        expect: read(
          { code, attempts: 3, waits: [100, 200], gone: true, status, mayHaveApplied: true, retryAfterMs: null },
          { outcome: "absent", attempts: 4, waits: [100, 200], afterRetry: true, verified: true, gone: true, status: 404 },
        ),
      }),
    ),
    {
      name: "a failed read-back leaves the original error, with the read's failure attached",
      faults: [
        { drop: true, times: 3 },
        { method: "GET", status: 503, times: 3 },
      ],
      expect: read(
        { code: "network", attempts: 3, waits: [100, 200], gone: false, status: null, mayHaveApplied: true, retryAfterMs: null },
        {
          code: "network",
          attempts: 6,
          waits: [100, 200, 100, 200],
          gone: false,
          status: null,
          mayHaveApplied: true,
          retryAfterMs: null,
          verificationCode: "provider_error",
        },
      ),
    },
    {
      name: "empty 404 is endpoint_not_found (it says nothing about the contact), not success",
      faults: [{ status: 404 }],
      expect: { code: "endpoint_not_found", attempts: 1, waits: [], gone: false, status: 404, mayHaveApplied: false, retryAfterMs: null },
    },
    {
      name: "timeout after the delete was applied, then 404: absent after retry",
      faults: [{ applyDelete: true, delayMs: 1500, status: 200, body: {} }],
      timeoutMs: 200,
      expect: { outcome: "absent", attempts: 2, waits: [100], afterRetry: true, gone: true, status: 404 },
    },
    {
      name: "connection dropped after the delete was applied, then 404: absent after retry",
      faults: [{ applyDelete: true, drop: true }],
      expect: { outcome: "absent", attempts: 2, waits: [100], afterRetry: true, gone: true, status: 404 },
    },
    {
      name: "500 after the delete was applied, then 404: absent after retry",
      faults: [{ applyDelete: true, status: 500 }],
      expect: { outcome: "absent", attempts: 2, waits: [100], afterRetry: true, gone: true, status: 404 },
    },
    {
      name: "timeout on every attempt: the delete may have happened",
      faults: [{ delayMs: 1500, status: 200, body: {}, times: 3 }],
      timeoutMs: 200,
      expect: read(
        { code: "timeout", attempts: 3, waits: [100, 200], gone: false, mayHaveApplied: true, retryAfterMs: null, status: null },
        { code: "timeout", attempts: 4, waits: [100, 200], gone: false, mayHaveApplied: false, retryAfterMs: null, status: null },
      ),
    },
    {
      name: "429 then 404 stays not_found (a 429 means nothing was done)",
      faults: [
        { status: 429, headers: { "retry-after-ms": "10" } },
        { status: 404, body: contactGone(provider) },
      ],
      expect: { code: "not_found", attempts: 2, waits: [10], gone: false, status: 404, mayHaveApplied: false, retryAfterMs: null },
    },
  ];
  const hint = wires[provider].rateHint;
  if (hint) {
    cases.push({
      name: "429 with the provider's own rate-limit hint",
      faults: [{ status: 429, headers: hint.headers ?? {}, body: hint.body ?? { message: "rate limited" } }],
      expect: { outcome: "deleted", attempts: 2, waits: [hint.waitMs], gone: true },
    });
  }
  if (provider === "close") {
    cases.push({
      name: "429 with Close's legacy rate_reset body",
      faults: [{ status: 429, body: { message: "API call count exceeded for this 30 second window", rate_reset: 2.5 } }],
      expect: { outcome: "deleted", attempts: 2, waits: [2500], gone: true },
    });
  }
  return cases;
}

describe.each(providerNames.map((p) => [p]))("%s fault matrix", (provider) => {
  it.each(casesFor(provider).map((c) => [c.name, c]))("%s", async (_name, testCase) => {
    const waits: number[] = [];
    const client = createContactsClient({
      ...fake.clientConfig(provider),
      backoff: { initialDelayMs: 100, jitter: false },
      timeoutMs: testCase.timeoutMs ?? 5000,
      sleep: async (ms: number) => void waits.push(ms),
    } as never);
    const id = fake.seeded[provider][0]!;
    const faults = typeof testCase.faults === "function" ? testCase.faults() : testCase.faults;
    for (const fault of faults) fake.queueFault({ provider, ...fault });

    const settled = await client.deleteContact(id).then(
      (result) => ({ result, error: null }),
      (error: unknown) => ({ result: null, error }),
    );
    const expected = testCase.expect;
    if (expected.outcome) {
      expect(settled.error, String(settled.error)).toBeNull();
      expect(settled.result).toMatchObject({
        outcome: expected.outcome,
        attempts: expected.attempts,
        afterRetry: expected.afterRetry ?? false,
        verified: expected.verified ?? false,
      });
      if (expected.status !== undefined) expect(settled.result?.status).toBe(expected.status);
    } else {
      expect(isContactkitError(settled.error), String(settled.error)).toBe(true);
      expect(settled.error).toMatchObject({
        code: expected.code,
        attempts: expected.attempts,
        status: expected.status,
        contactId: id,
        provider,
        mayHaveApplied: expected.mayHaveApplied,
        retryAfterMs: expected.retryAfterMs,
      });
      const verification = (settled.error as { verification: { code: string } | null }).verification;
      expect(verification?.code ?? null).toBe(expected.verificationCode ?? null);
    }
    if (typeof expected.waits === "function") expect(expected.waits(waits), JSON.stringify(waits)).toBe(true);
    else expect(waits).toEqual(expected.waits);
    expect(fake.has(provider, id)).toBe(!expected.gone);
  });

  it("cross-origin redirect is refused, names the target host and sends nothing there", async () => {
    const id = fake.seeded[provider][0]!;
    fake.queueFault({ provider, status: 302, headers: { Location: "http://collector.invalid/steal" } });
    const client = createContactsClient({ ...fake.clientConfig(provider), maxRetries: 2 } as never);
    const error = await client.deleteContact(id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "provider_error", status: 302, attempts: 1 });
    expect((error as Error).message).toContain("collector.invalid");
    expect(fake.has(provider, id)).toBe(true);
  });

  it("same-origin redirect is followed with credentials", async () => {
    const id = fake.seeded[provider][1]!;
    const config = fake.clientConfig(provider) as { baseUrl: string };
    const target = fake.requests.length;
    fake.queueFault({ provider, status: 307, headers: { Location: `${config.baseUrl}${pathOf(provider, id)}` } });
    const result = await createContactsClient({ ...fake.clientConfig(provider) } as never).deleteContact(id);
    expect(result).toMatchObject({ outcome: "deleted", attempts: 1 });
    const success = manifest[provider].examples.find((e) => e.status >= 200 && e.status < 300)!.status;
    expect(fake.requests.slice(target).map((r) => r.status)).toEqual([307, success]);
  });

  it("abort during a backoff wait rejects at once with aborted", async () => {
    const id = fake.seeded[provider][2]!;
    fake.queueFault({ provider, status: 503 });
    const controller = new AbortController();
    const client = createContactsClient({ ...fake.clientConfig(provider), backoff: { initialDelayMs: 10_000, jitter: false } } as never);
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    const error = await client.deleteContact(id, { signal: controller.signal }).then(
      () => null,
      (e: unknown) => e,
    );
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ code: "aborted", attempts: 1 });
    expect(elapsed).toBeLessThan(2000);
    expect(fake.has(provider, id)).toBe(true);
  });

  it("a total time budget stops retrying", async () => {
    const id = fake.seeded[provider][3]!;
    fake.queueFault({ provider, delayMs: 800, status: 200, body: {}, times: 3 });
    const client = createContactsClient({
      ...fake.clientConfig(provider),
      timeoutMs: 300,
      totalTimeoutMs: 500,
      backoff: { initialDelayMs: 10 },
    } as never);
    const error = await client.deleteContact(id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "timeout", retryable: true });
    expect((error as { attempts: number }).attempts).toBeLessThanOrEqual(2);
  });
});

it("no unhandled rejection happened during the matrix", () => {
  expect(unhandled).toEqual([]);
});

function pathOf(provider: ProviderName, id: string): string {
  const query = wires[provider].validQuery(fake);
  return wirePath(provider, id) + (query ? `?${query}` : "");
}
