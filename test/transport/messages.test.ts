/**
 * Every per-id failure message has one shape: `<provider's own title>: … contact "<id>" …`, and
 * counts attempts in words ("1 attempt", "3 attempts"), whichever layer raised it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContactsClient, providerNames, type ProviderName } from "../../src/index.js";
import { registry } from "../../src/registry.js";
import { startFakeProviders, type FakeProviders } from "../../src/testing/index.js";
import { rejection } from "../helpers/provider-unit-suite.js";

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(() => fake?.close());

const refused = async () => {
  throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
};
const config = (provider: ProviderName, extra: Record<string, unknown>) =>
  ({ ...fake.clientConfig(provider), ...extra }) as Parameters<typeof createContactsClient>[0];

describe("per-id messages", () => {
  it.each(providerNames.map((p) => [p]))("%s: a network failure names the provider's title and the contact id", async (provider) => {
    const id = fake.seeded[provider][0]!;
    const error = await rejection(createContactsClient(config(provider, { fetch: refused, maxRetries: 0 })).deleteContact(id));
    expect(error.code).toBe("network");
    expect(error.message.startsWith(`${registry[provider].title}: deleting contact ${JSON.stringify(id)} failed: network error`)).toBe(
      true,
    );
  });

  it.each(providerNames.map((p) => [p]))("%s: an HTTP failure and an invalid id have the same shape", async (provider) => {
    const title = registry[provider].title;
    const id = fake.seeded[provider][0]!;
    const client = createContactsClient(config(provider, {}));
    await client.deleteContact(id);
    const notFound = await rejection(client.deleteContact(id));
    expect(notFound.message.startsWith(`${title}: deleting contact ${JSON.stringify(id)} failed: HTTP 404`)).toBe(true);
    const invalid = await rejection(client.deleteContact("  "));
    expect(invalid.message.startsWith(`${title}: invalid contact id`)).toBe(true);
  });

  it("counts attempts in words: aborted before it was sent, after 1 attempt, after 2 attempts", async () => {
    const before = await rejection(createContactsClient(config("close", {})).deleteContact("cont_a", { signal: AbortSignal.abort() }));
    expect(before.message).toBe('Close: deleting contact "cont_a" aborted before it was sent.');

    // A fetch that hangs until the caller's signal aborts, which `controller` does 20 ms in.
    const hanging = (request: unknown, init: { signal?: AbortSignal } | undefined, controller: AbortController) =>
      new Promise<Response>((_resolve, reject) => {
        const signal = (request as Request).signal ?? init?.signal;
        signal?.addEventListener("abort", () => reject(signal.reason));
        setTimeout(() => controller.abort(), 20);
      });
    const first = new AbortController();
    const once = (request: unknown, init?: { signal?: AbortSignal }) => hanging(request, init, first);
    const after = await rejection(createContactsClient(config("close", { fetch: once })).deleteContact("cont_b", { signal: first.signal }));
    expect(after.message).toBe('Close: deleting contact "cont_b" aborted after 1 attempt.');

    // Two attempts: a refused connection (retried at once), then one that hangs until the abort.
    const second = new AbortController();
    let calls = 0;
    const refusedThenHanging = (request: unknown, init?: { signal?: AbortSignal }) =>
      ++calls === 1 ? refused() : hanging(request, init, second);
    const client = createContactsClient(
      config("close", { fetch: refusedThenHanging, backoff: { initialDelayMs: 1, maxDelayMs: 1, jitter: false } }),
    );
    const twice = await rejection(client.deleteContact("cont_c", { signal: second.signal }));
    expect(twice.message).toBe('Close: deleting contact "cont_c" aborted after 2 attempts.');
  });
});
