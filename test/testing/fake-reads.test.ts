/**
 * The fake's read-one-contact endpoint (each spec's `getContact`), over real HTTP: answered from
 * the same state as deletes, auth and headers checked like the delete, and faults that target
 * GETs only when they say so (`method`), so fault queues written for deletes keep their meaning.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { manifest } from "../../generated/manifest.js";
import { providerNames, type ProviderName } from "../../src/providers/names.js";
import { startFakeProviders, type FakeProviders } from "../../src/testing/index.js";
import { wires } from "../helpers/wire.js";

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

const readable = providerNames.filter((p) => manifest[p].operations.getContact !== undefined);

function url(provider: ProviderName, id: string, operation: "getContact" | "deleteContact"): string {
  const path = manifest[provider].operations[operation]!.path.replace(/\{[^}]+\}/, encodeURIComponent(id));
  const query = wires[provider].validQuery(fake);
  return `${fake.url}${path}${query ? `?${query}` : ""}`;
}

function headers(provider: ProviderName, without?: string): Record<string, string> {
  const all = wires[provider].validHeaders(fake) as Record<string, string | undefined>;
  return Object.fromEntries(Object.entries(all).filter(([name, value]) => value !== undefined && name.toLowerCase() !== without)) as Record<
    string,
    string
  >;
}

async function get(provider: ProviderName, id: string, without?: string) {
  const response = await fetch(url(provider, id, "getContact"), { headers: headers(provider, without) });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

function idOf(body: Record<string, unknown> | undefined): string {
  const data = body?.data as Record<string, unknown> | undefined;
  return String(body?.id ?? data?.id);
}

it("every provider but userapi has a read endpoint in the fake", () => {
  expect(readable).toEqual(providerNames.filter((p) => p !== "userapi"));
});

describe.each(readable.map((p) => [p]))("%s read endpoint", (provider) => {
  const examples = manifest[provider].operations.getContact!.examples;

  it("answers the contact (the spec's example, with its id) while it exists, then the spec's 404 once it is deleted", async () => {
    const id = fake.seeded[provider][0]!;
    const present = await get(provider, id);
    expect(present.status).toBe(200);
    const example = examples.find((e) => e.status === 200)!.body as Record<string, unknown>;
    expect(Object.keys(present.body!).sort()).toEqual(Object.keys(example).sort());
    expect(idOf(present.body)).toBe(id);
    expect(fake.has(provider, id)).toBe(true); // a read changes nothing

    const deleted = await fetch(url(provider, id, "deleteContact"), { method: "DELETE", headers: headers(provider) });
    expect(deleted.status).toBeLessThan(300);
    const gone = await get(provider, id);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual(examples.find((e) => e.status === 404)!.body);
  });

  it("checks auth like the delete: without credentials it is 401 and the contact is untouched", async () => {
    const id = fake.seeded[provider][1]!;
    const answer = await get(provider, id, "authorization");
    expect(answer.status).toBe(401);
    expect(fake.has(provider, id)).toBe(true);
  });

  it("a fault without `method` targets the next DELETE, not a GET", async () => {
    const id = fake.seeded[provider][2]!;
    fake.queueFault({ provider, status: 503 });
    expect((await get(provider, id)).status).toBe(200);
    const deleted = await fetch(url(provider, id, "deleteContact"), { method: "DELETE", headers: headers(provider) });
    expect(deleted.status).toBe(503);
    expect(fake.has(provider, id)).toBe(true);
  });

  it('a `method: "GET"` fault targets the next GET only; `"any"` the next request of either kind', async () => {
    const id = fake.seeded[provider][3]!;
    fake.queueFault({ provider, method: "GET", status: 200, body: { id: "still-here" } });
    const deleted = await fetch(url(provider, id, "deleteContact"), { method: "DELETE", headers: headers(provider) });
    expect(deleted.status).toBeLessThan(300);
    expect(await get(provider, id)).toEqual({ status: 200, body: { id: "still-here" } });
    expect((await get(provider, id)).status).toBe(404);
    fake.queueFault({ provider, method: "any", status: 502 });
    expect((await get(provider, id)).status).toBe(502);
  });
});

it("refuses a GET fault that would apply a delete, and an unknown method", () => {
  expect(() => fake.queueFault({ method: "GET", applyDelete: true, drop: true })).toThrow(/applyDelete/);
  expect(() => fake.queueFault({ method: "PATCH" as never })).toThrow(/method/);
});
