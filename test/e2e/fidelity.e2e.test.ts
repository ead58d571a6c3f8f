/**
 * Issue 11 (Close and Truto fidelity) and issue 10 item 2 (which 404 is absent), over real HTTP
 * on 127.0.0.1 against the embedded fake providers: the fake serves the spec's new shapes (Close
 * 402/405/415, the nested legacy 429 body, Truto's nested remote_query and accountNotFound) and
 * the facade answers each as the README says.
 */
import { describe, expect, it } from "vitest";
import { createContactsClient, providerNames } from "../../src/index.js";
import { startFakeProviders } from "../../src/testing/index.js";
import { useFakeProviders } from "../helpers/fake.js";
import { manifest } from "../helpers/fixtures.js";
import { rejection } from "../helpers/provider-unit-suite.js";

// A getter: the server starts in beforeAll.
const fake = useFakeProviders();

const closeClient = (extra: object = {}) => createContactsClient({ ...fake().clientConfig("close"), maxRetries: 0, ...extra });
const bodyOf = (name: string) => manifest.close.examples.find((e) => e.name === name)!.body as Record<string, any>;

describe("close over the fake", () => {
  it.each(["planLimitReached", "methodNotAllowed", "unsupportedMediaType"])(
    "the spec's %s example is a non-retryable provider_error, sent once",
    async (name) => {
      const example = manifest.close.examples.find((e) => e.name === name)!;
      fake().queueFault({ provider: "close", example: name });
      const id = fake().seeded.close[0]!;
      const error = await rejection(closeClient({ maxRetries: 2 }).deleteContact(id));
      expect(error).toMatchObject({ code: "provider_error", status: example.status, retryable: false, attempts: 1, raw: example.body });
      expect(error.message).toContain((example.body as { error: string }).error.replace(/\.$/, ""));
      expect(fake().requests).toHaveLength(1);
      expect(fake().has("close", id)).toBe(true);
    },
  );

  it.each(["legacyNested", "legacyTopLevel"])("the legacy 429 body %s alone gives the wait, then the retry deletes", async (name) => {
    const waits: number[] = [];
    fake().queueFault({ provider: "close", example: name });
    const id = fake().seeded.close[0]!;
    const result = await closeClient({ maxRetries: 1, sleep: async (ms: number) => void waits.push(ms) }).deleteContact(id);
    expect(result).toMatchObject({ outcome: "deleted", attempts: 2 });
    const body = bodyOf(name);
    expect(waits).toEqual([(body.error?.rate_reset ?? body.rate_reset) * 1000]);
    // The fake sent the example without rate headers: only the body could say how long.
    expect(fake().requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("the nested legacy body's message reaches the error", async () => {
    fake().queueFault({ provider: "close", example: "legacyNested" });
    const error = await rejection(closeClient().deleteContact(fake().seeded.close[0]!));
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 1000 });
    expect(error.message).toContain(bodyOf("legacyNested").error.message);
  });

  it.each([
    ["Retry-After", { "Retry-After": "2" }, 2000],
    ["RateLimit with `,`", { RateLimit: "limit=100, remaining=0, reset=3" }, 3000],
    ["RateLimit with `;`", { RateLimit: "limit=100; remaining=0; reset=4" }, 4000],
  ])("a 429 with %s only is honoured", async (_label, headers, waitMs) => {
    fake().queueFault({ provider: "close", status: 429, headers, body: {} });
    const error = await rejection(closeClient().deleteContact(fake().seeded.close[0]!));
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: waitMs });
  });

  it("the fake's own rate window sends RateLimit and Retry-After on a 429, and the client waits for them", async () => {
    const limited = await startFakeProviders({ rateLimit: { perSecond: 1 } });
    try {
      const client = createContactsClient({ ...limited.clientConfig("close"), maxRetries: 0 });
      // Sent together, so both fall in the same one-second window however slow the machine is.
      const settled = await Promise.allSettled([
        client.deleteContact(limited.seeded.close[0]!),
        client.deleteContact(limited.seeded.close[1]!),
      ]);
      const rejected = settled.filter((s) => s.status === "rejected");
      expect(rejected).toHaveLength(1);
      const error = await rejection(Promise.reject((rejected[0] as PromiseRejectedResult).reason));
      expect(error).toMatchObject({ code: "rate_limited", status: 429 });
      expect(error.headers["retry-after"]).toMatch(/^\d+$/);
      expect(error.headers.ratelimit).toMatch(/^limit=1, remaining=0, reset=\d+$/);
      // Both headers say the same wait; the client honours it (Retry-After first).
      expect(error.retryAfterMs).toBe(Number(error.headers["retry-after"]) * 1000);
    } finally {
      await limited.close();
    }
  });
});

describe("truto over the fake", () => {
  const trutoClient = (extra: object = {}) => createContactsClient({ ...fake().clientConfig("truto"), maxRetries: 0, ...extra });

  it("sends nested remote_query objects and arrays in the bracket form, and the fake accepts them", async () => {
    const id = fake().seeded.truto[0]!;
    const result = await trutoClient().deleteContact(id, {
      remoteQuery: { foo: { bar1: { bar2: "baz2" } }, tags: ["a b", "c&d"], list: [{ bar1: "baz1" }] },
    });
    expect(result).toMatchObject({ outcome: "deleted", status: 200 });
    expect(fake().requests.at(-1)!.query.split("&")).toEqual([
      `integrated_account_id=${fake().credentials.truto.integratedAccountId}`,
      "remote_query[foo][bar1][bar2]=baz2",
      "remote_query[tags][]=a%20b",
      "remote_query[tags][]=c%26d",
      "remote_query[list][][bar1]=baz1",
    ]);
    expect(fake().has("truto", id)).toBe(false);
  });

  it('refuses responseFormat "stream" before anything reaches the fake', async () => {
    const error = await rejection(trutoClient().deleteContact(fake().seeded.truto[0]!, { responseFormat: "stream" } as never));
    expect(error).toMatchObject({ code: "invalid_input", attempts: 0 });
    expect(fake().requests).toHaveLength(0);
  });

  it("a mistyped integratedAccountId with missingOk: every id fails endpoint_not_found, none is absent, all still exist", async () => {
    const wrongAccount = createContactsClient({
      ...fake().clientConfig("truto"),
      integratedAccountId: "00000000-0000-4000-8000-000000000000",
      maxRetries: 0,
    });
    const ids = fake().seeded.truto.slice(0, 5);
    const report = await wrongAccount.deleteContacts(ids, { missingOk: true });
    expect(report.counts).toMatchObject({ deleted: 0, absent: 0, failed: 5 });
    expect(report.failed.map((f) => f.error.code)).toEqual(ids.map(() => "endpoint_not_found"));
    expect(report.failed[0]!.error.message).toContain("integratedAccountId");
    for (const id of ids) expect(fake().has("truto", id)).toBe(true);
  });
});

describe.each(providerNames)("%s: which 404 is absent, over the fake", (provider) => {
  it("a deleted contact's 404 is absent with missingOk; the same id under a wrong base URL path is endpoint_not_found", async () => {
    const config = { ...fake().clientConfig(provider), maxRetries: 0 } as never;
    const id = fake().seeded[provider][0]!;
    const client = createContactsClient(config);
    await client.deleteContact(id);
    await expect(client.deleteContact(id, { missingOk: true })).resolves.toMatchObject({ outcome: "absent", status: 404 });
    await expect(rejection(client.deleteContact(id))).resolves.toMatchObject({ code: "not_found" });
    const misrouted = createContactsClient({ ...(config as object), baseUrl: `${fake().url}/wrong-prefix` } as never);
    const other = fake().seeded[provider][1]!;
    const error = await rejection(misrouted.deleteContact(other, { missingOk: true }));
    expect(error).toMatchObject({ code: "endpoint_not_found", status: 404 });
    expect(error.message).toContain("base URL");
    expect(fake().has(provider, other)).toBe(true);
  });
});
