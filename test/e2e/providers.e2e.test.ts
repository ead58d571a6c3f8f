/**
 * End to end over real HTTP on 127.0.0.1: the facade against the embedded fake providers,
 * asserting the exact request that reached the wire for each provider.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createContactsClient, providerNames, type ProviderName } from "../../src/index.js";
import { toolingRegistry } from "../../src/tooling-registry.js";
import { startFakeProviders, type FakeProviders, type RecordedRequest } from "../../src/testing/index.js";
import { manifest, wirePath } from "../helpers/fixtures.js";
import { rejection } from "../helpers/provider-unit-suite.js";
import { wires } from "../helpers/wire.js";

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

const lastRequest = (): RecordedRequest => {
  const request = fake.requests.at(-1);
  if (!request) throw new Error("the fake received no request");
  return request;
};

/** Every registry provider, with its hand-written wire expectations (test/providers/<name>.wire.ts). */
const cases = providerNames.map((provider) => ({ provider, ...wires[provider].endToEnd }));
const successStatus = (provider: ProviderName) => manifest[provider].examples.find((e) => e.status >= 200 && e.status < 300)!.status;

describe.each(cases)("$provider end to end", (wire) => {
  const { provider } = wire;
  const path = (id: string) => wirePath(provider, id);
  const client = () => createContactsClient({ ...fake.clientConfig(provider), maxRetries: 0 } as never);

  it("deletes a seeded contact with exactly the documented request", async () => {
    const id = fake.seeded[provider][0]!;
    const result = await client().deleteContact(id, wire.options as never);
    expect(result).toMatchObject({ provider, id, outcome: "deleted", status: successStatus(provider), attempts: 1, afterRetry: false });
    expect(result.requestId).toMatch(/^fake-/);
    expect(fake.has(provider, id)).toBe(false);

    const request = lastRequest();
    expect(request.method).toBe("DELETE");
    expect(request.path).toBe(path(id));
    expect(request.query).toBe(wire.query(fake));
    for (const [name, value] of Object.entries(wires[provider].validHeaders(fake))) expect(request.headers[name], name).toBe(value);
    expect(request.headers["content-type"]).toBeUndefined();
    if (wire.normalizes) {
      expect(result.contact?.id).toBe(id);
      expect(result.contact?.fullName).toEqual(expect.any(String));
    } else {
      expect(result.contact).toBeNull();
    }
  });

  it("a second delete of the same id is not_found, or absent with missingOk", async () => {
    const id = fake.seeded[provider][1]!;
    await client().deleteContact(id);
    const error = await rejection(client().deleteContact(id));
    expect(error).toMatchObject({ code: "not_found", status: 404, provider, attempts: 1, retryable: false });
    expect(error.message).toContain("missingOk");
    const absent = await client().deleteContact(id, { missingOk: true });
    expect(absent).toMatchObject({ outcome: "absent", status: 404, afterRetry: false });
    expect(fake.requests.filter((r) => r.path === path(id))).toHaveLength(3);
  });

  it("wrong credentials are unauthorized and the secret is not in the error", async () => {
    const config = { ...fake.clientConfig(provider), maxRetries: 0 } as Record<string, unknown>;
    const secretKey = toolingRegistry[provider].env.find((v) => v.secret && v.field in config)!.field;
    config[secretKey] = "wrong-secret-value-123";
    const error = await rejection(createContactsClient(config as never).deleteContact(fake.seeded[provider][2]!));
    expect(error).toMatchObject({ code: "unauthorized", status: 401, provider });
    expect(JSON.stringify(error)).not.toContain("wrong-secret-value-123");
    expect(fake.has(provider, fake.seeded[provider][2]!)).toBe(true);
  });

  it("an id the spec rejects is refused locally and never reaches the fake", async () => {
    const before = fake.requests.length;
    const error = await rejection(client().deleteContact(".."));
    expect(error.code).toBe("invalid_input");
    expect(fake.requests.length).toBe(before);
  });
});

describe("close OAuth", () => {
  it("sends the access token as Bearer", async () => {
    const client = createContactsClient({ provider: "close", accessToken: fake.credentials.close.accessToken, baseUrl: fake.url });
    const id = fake.seeded.close[3]!;
    await expect(client.deleteContact(id)).resolves.toMatchObject({ outcome: "deleted" });
    expect(lastRequest().headers.authorization).toBe(`Bearer ${fake.credentials.close.accessToken}`);
  });
});

describe("provider subpaths", () => {
  it("give a typed raw client with auth and required headers applied", async () => {
    const { createClient } = await import("../../src/entries/wethod.js");
    const raw = createClient({ token: fake.credentials.wethod.token, company: fake.credentials.wethod.company, baseUrl: fake.url });
    const id = Number(fake.seeded.wethod[4]);
    const { response } = await raw.DELETE("/api/contact/{id}", {
      params: { path: { id }, header: { "Wethod-Company": "acme", "Wethod-Version": "2024-06-15" } },
    });
    expect(response.status).toBe(200);
    expect(lastRequest().headers.authorization).toBe(`Bearer ${fake.credentials.wethod.token}`);
  });

  it("refuse ids that would make the URL climb, before sending credentials", async () => {
    const { createClient } = await import("../../src/entries/close.js");
    const raw = createClient({ apiKey: fake.credentials.close.apiKey, baseUrl: fake.url });
    const before = fake.requests.length;
    for (const id of ["..", ".", ""]) {
      await expect(raw.DELETE("/api/v1/contact/{id}/", { params: { path: { id } } })).rejects.toMatchObject({ code: "invalid_input" });
    }
    expect(fake.requests.length).toBe(before);
  });
});
