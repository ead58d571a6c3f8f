import nock from "nock";
import { describe, expect, it } from "vitest";
import * as facts from "../../generated/hubspot.facts.js";
import { createClient } from "../../src/entries/hubspot.js";
import { createContactsClient } from "../../src/index.js";
import { startFakeProviders } from "../../src/testing/index.js";
import { SECRETS, examplesOf, sampleId } from "../helpers/fixtures.js";
import { rejection, useNock } from "../helpers/provider-unit-suite.js";

useNock();

describe("hubspot: wire specifics", () => {
  const id = sampleId("hubspot");
  const client = createContactsClient({ provider: "hubspot", accessToken: SECRETS.hubspot, maxRetries: 0 });
  const path = `/crm/v3/objects/contacts/${id}`;

  it("archives with the token as Bearer on api.hubapi.com; a bodiless 204 is deleted", async () => {
    const scope = nock("https://api.hubapi.com", { reqheaders: { authorization: `Bearer ${SECRETS.hubspot}` } })
      .delete(path)
      .reply(204, "", { "X-HubSpot-Correlation-Id": "corr-123" });
    const result = await client.deleteContact(id);
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ provider: "hubspot", outcome: "deleted", status: 204, raw: null, contact: null, requestId: "corr-123" });
  });

  it("the spec's delete is a bodiless 204 (generated facts), and the adapter reads its path from them", () => {
    expect(facts.deleteContact).toMatchObject({ method: "delete", path: "/crm/v3/objects/contacts/{contactId}" });
    expect(facts.deleteContactResponses.bodiless).toEqual([204]);
    expect(facts.deleteContactResponses.statuses[0]).toBe(204);
  });

  it.each(["abc", "me@example.com", "12a"])("refuses %s before sending (ids are digits, per the spec)", async (bad) => {
    const error = await rejection(client.deleteContact(bad));
    expect(error).toMatchObject({ code: "invalid_input", attempts: 0 });
    expect(error.message).toContain(facts.deleteContact.parameters.contactId.schema.pattern);
  });

  it("names HubSpot's message and keeps the correlation id on a 404", async () => {
    const notFound = examplesOf("hubspot", (e) => e.status === 404)[0]!;
    const scope = nock("https://api.hubapi.com")
      .delete(path)
      .reply(404, notFound.body as nock.Body, { "x-hubspot-correlation-id": "corr-404" });
    const error = await rejection(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "not_found", status: 404, requestId: "corr-404" });
    expect(error.message).toContain((notFound.body as { message: string }).message.replace(/\.+$/, ""));
  });

  it("waits out the rolling window a 429 names (no Retry-After is documented)", async () => {
    const limited = examplesOf("hubspot", (e) => e.status === 429)[0]!;
    const waits: number[] = [];
    const retrying = createContactsClient({
      provider: "hubspot",
      accessToken: SECRETS.hubspot,
      maxRetries: 1,
      sleep: async (ms) => void waits.push(ms),
    });
    const scope = nock("https://api.hubapi.com")
      .delete(path)
      .reply(429, limited.body as nock.Body, { "X-HubSpot-RateLimit-Remaining": "0", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000" })
      .delete(path)
      .reply(204);
    const result = await retrying.deleteContact(id);
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ outcome: "deleted", attempts: 2 });
    expect(waits).toEqual([10_000]);
  });

  it("requires an access token", () => {
    expect(() => createContactsClient({ provider: "hubspot" } as never)).toThrow(
      expect.objectContaining({ code: "config", message: expect.stringContaining("accessToken") }),
    );
  });
});

describe("hubspot: fake and raw client", () => {
  it("the fake answers a delete with a bodiless 204 (no content-type, no body), then 404", async () => {
    nock.enableNetConnect("127.0.0.1");
    const fake = await startFakeProviders();
    try {
      const id = fake.seeded.hubspot[0]!;
      const url = `${fake.url}/crm/v3/objects/contacts/${id}`;
      const headers = { authorization: `Bearer ${fake.credentials.hubspot.accessToken}` };
      const first = await fetch(url, { method: "DELETE", headers });
      expect(first.status).toBe(204);
      expect(first.headers.get("content-type")).toBeNull();
      expect(first.headers.get("content-length")).toBeNull();
      expect(await first.text()).toBe("");
      const second = await fetch(url, { method: "DELETE", headers });
      expect(second.status).toBe(404);
      expect(await second.json()).toMatchObject({ category: "OBJECT_NOT_FOUND" });

      const raw = createClient({ accessToken: fake.credentials.hubspot.accessToken, baseUrl: fake.url });
      const { response } = await raw.DELETE("/crm/v3/objects/contacts/{contactId}", {
        params: { path: { contactId: fake.seeded.hubspot[1]! } },
      });
      expect(response.status).toBe(204);
      expect(fake.has("hubspot", fake.seeded.hubspot[1]!)).toBe(false);
    } finally {
      await fake.close();
      nock.disableNetConnect();
    }
  });
});
