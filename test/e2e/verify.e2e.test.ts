/**
 * Read-back (issue 12) end to end on the fake, for every provider in the registry: `contactExists`,
 * `verify: true` with eventual consistency (still visible, then gone; never gone → still_present),
 * `verify: false`, bulk counts and pacing (reads take the limiter's turns too), and userapi.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createContactsClient, providerNames, type ProviderName, type RateLimiter } from "../../src/index.js";
import { startFakeProviders, type FakeProviders } from "../../src/testing/index.js";
import { rejection } from "../helpers/provider-unit-suite.js";

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

function client(provider: ProviderName, waits: number[] = []) {
  return createContactsClient({
    ...fake.clientConfig(provider),
    backoff: { initialDelayMs: 100, jitter: false },
    sleep: async (ms: number) => void waits.push(ms),
  } as never);
}

const methods = () => fake.requests.map((r) => r.method);

describe.each(providerNames.filter((p) => p !== "userapi").map((p) => [p]))("%s", (provider) => {
  it("contactExists: true while the contact exists, false once deleted; a read changes nothing", async () => {
    const id = fake.seeded[provider][0]!;
    const crm = client(provider);
    await expect(crm.contactExists(id)).resolves.toBe(true);
    expect(fake.has(provider, id)).toBe(true);
    await crm.deleteContact(id, { verify: false });
    await expect(crm.contactExists(id)).resolves.toBe(false);
    expect(methods()).toEqual(["GET", "DELETE", "GET"]);
  });

  it("contactExists: a GET fault is retried like a delete", async () => {
    const id = fake.seeded[provider][0]!;
    fake.queueFault({ provider, method: "GET", status: 503 });
    await expect(client(provider).contactExists(id)).resolves.toBe(true);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it("verify: true reads back a confirmed delete: verified", async () => {
    const id = fake.seeded[provider][1]!;
    const result = await client(provider).deleteContact(id, { verify: true });
    expect(result).toMatchObject({ outcome: "deleted", verified: true, attempts: 2 });
    expect(methods()).toEqual(["DELETE", "GET"]);
  });

  it("verify: true re-checks with backoff while the contact is still visible (eventual consistency)", async () => {
    const id = fake.seeded[provider][1]!;
    const waits: number[] = [];
    fake.queueFault({ provider, method: "GET", status: 200, body: { id }, times: 2 });
    const result = await client(provider, waits).deleteContact(id, { verify: true });
    expect(result).toMatchObject({ outcome: "deleted", verified: true, attempts: 4 });
    expect(waits).toEqual([100, 200]);
  });

  it("verify: true, never gone within verifyTimeoutMs → still_present (deleted per the provider, still visible)", async () => {
    const id = fake.seeded[provider][2]!;
    const waits: number[] = [];
    fake.queueFault({ provider, method: "GET", status: 200, body: { id }, times: Infinity });
    const error = await rejection(client(provider, waits).deleteContact(id, { verify: true, verifyTimeoutMs: 1000 }));
    expect(error).toMatchObject({ code: "still_present", status: 200, mayHaveApplied: true, retryable: true, contactId: id, provider });
    // Backoff 100, 200, 400 fit in 1000 ms; the next (800) would not.
    expect(waits).toEqual([100, 200, 400]);
    expect(error.attempts).toBe(1 + 4);
    expect(fake.has(provider, id)).toBe(false);
  });

  it("verify: false never reads back; the default reads nothing after a clear answer", async () => {
    await client(provider).deleteContact(fake.seeded[provider][3]!, { verify: false });
    await client(provider).deleteContact(fake.seeded[provider][4]!);
    expect(methods()).toEqual(["DELETE", "DELETE"]);
  });

  it("bulk: verify passes through; the report counts verified ids and still_present failures", async () => {
    const [a, b, c] = fake.seeded[provider];
    // The third id's reads keep finding it (the queue's GET faults are consumed in arrival order).
    const report = await client(provider).deleteContacts([a!, b!], { verify: true, concurrency: 1 });
    expect(report.counts).toMatchObject({ total: 2, deleted: 2, verified: 2, stillPresent: 0, failed: 0 });
    expect(report.attempts).toBe(4);
    fake.queueFault({ provider, method: "GET", status: 200, body: { id: c }, times: Infinity });
    const second = await client(provider).deleteContacts([c!], { verify: true, verifyTimeoutMs: 0 });
    expect(second.counts).toMatchObject({ total: 1, failed: 1, stillPresent: 1, verified: 0 });
    expect(second.failed[0]!.error.code).toBe("still_present");
  });

  it("bulk: every read takes a turn from the rate limiter, like a delete", async () => {
    let turns = 0;
    const limiter: RateLimiter = { acquire: async () => void (turns += 1) };
    const ids = fake.seeded[provider].slice(0, 3);
    const report = await client(provider).deleteContacts(ids, { verify: true, rateLimit: limiter });
    expect(report.counts.verified).toBe(3);
    expect(turns).toBe(6);
    expect(fake.requests).toHaveLength(6);
  });

  it("totalTimeoutMs covers the read-back: none left → the original error, the read's timeout attached", async () => {
    const id = fake.seeded[provider][0]!;
    fake.queueFault({ provider, delayMs: 400, status: 200, body: {}, times: 3 });
    const crm = createContactsClient({
      ...fake.clientConfig(provider),
      // The whole budget goes to the first attempt, so nothing is left for the read whatever the
      // machine's load (with 200 ms, a late timer could leave a few ms and a GET would go out).
      timeoutMs: 150,
      totalTimeoutMs: 150,
      backoff: { initialDelayMs: 10 },
    } as never);
    const error = await rejection(crm.deleteContact(id));
    expect(error).toMatchObject({ code: "timeout", mayHaveApplied: true });
    expect(error.verification).toMatchObject({ code: "timeout" });
    expect(methods()).not.toContain("GET");
  });
});

describe("userapi", () => {
  it("cannot verify: verify: true and contactExists send nothing; the default changes nothing", async () => {
    const crm = client("userapi");
    const id = fake.seeded.userapi[0]!;
    expect(crm.canVerify).toBe(false);
    await expect(rejection(crm.deleteContact(id, { verify: true }))).resolves.toMatchObject({ code: "invalid_input" });
    await expect(rejection(crm.contactExists(id))).resolves.toMatchObject({ code: "invalid_input" });
    expect(fake.requests).toEqual([]);
    fake.queueFault({ provider: "userapi", applyDelete: true, drop: true, times: 3 });
    const error = await rejection(crm.deleteContact(id));
    expect(error).toMatchObject({ code: "network", mayHaveApplied: true, attempts: 3, verification: null });
    expect(methods()).toEqual(["DELETE", "DELETE", "DELETE"]);
    const ok = await crm.deleteContact(fake.seeded.userapi[1]!);
    expect(ok.verified).toBe(false);
  });
});
