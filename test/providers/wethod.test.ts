import nock from "nock";
import { describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import * as facts from "../../generated/wethod.facts.js";
import { wethodAdapter } from "../../src/providers/wethod/adapter.js";
import { SECRETS, sampleId } from "../helpers/fixtures.js";
import { rejection, useNock } from "../helpers/provider-unit-suite.js";

useNock();

describe("wethod: wire specifics", () => {
  it("enforces the generated facts' id rule (integer, minimum 1) and sends the id as a number", () => {
    expect(facts.deleteContact.parameters.id.schema).toEqual({ type: "integer", minimum: 1 });
    expect(wethodAdapter.checkId("1")).toBeNull();
    expect(wethodAdapter.checkId("0")).toBe("not a positive integer");
  });

  it("takes the default Wethod-Version from the spec's header example", () => {
    expect(facts.deleteContact.parameters["Wethod-Version"].example).toBe("2024-06-15");
  });

  const id = sampleId("wethod");

  it("sends the company and the default API version headers", async () => {
    const scope = nock("https://api.wethod.com", {
      reqheaders: { authorization: `Bearer ${SECRETS.wethod}`, "wethod-company": "acme", "wethod-version": "2024-06-15" },
    })
      .delete(`/api/contact/${id}`)
      .reply(200, "");
    await createContactsClient({ provider: "wethod", token: SECRETS.wethod, company: "acme" }).deleteContact(id);
    expect(scope.isDone()).toBe(true);
  });

  it("sends a configured API version", async () => {
    const scope = nock("https://api.wethod.com", { reqheaders: { "wethod-version": "2025-01-01" } })
      .delete(`/api/contact/${id}`)
      .reply(200, "");
    await createContactsClient({ provider: "wethod", token: SECRETS.wethod, company: "acme", apiVersion: "2025-01-01" }).deleteContact(id);
    expect(scope.isDone()).toBe(true);
  });

  it("treats a non-JSON 200 body as success (the 200 body is undocumented)", async () => {
    const scope = nock("https://api.wethod.com")
      .delete(`/api/contact/${id}`)
      .reply(200, "Contact deleted", { "content-type": "text/plain" });
    const result = await createContactsClient({ provider: "wethod", token: SECRETS.wethod, company: "acme" }).deleteContact(id);
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ outcome: "deleted", raw: "Contact deleted" });
  });

  it("lists validation failures in the message", async () => {
    const scope = nock("https://api.wethod.com")
      .delete(`/api/contact/${id}`)
      .reply(400, { key: "invalid_data", message: "You provided invalid data.", failures: [{ field: "id", message: "must exist" }] });
    const error = await rejection(createContactsClient({ provider: "wethod", token: SECRETS.wethod, company: "acme" }).deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error.code).toBe("validation_failed");
    expect(error.message).toContain("id: must exist");
  });

  it.each([
    [{ company: "" }, /`company` is empty/],
    [{ company: "ac me" }, /company slug/],
    [{ apiVersion: "v2" }, /2024-06-15/],
    [{ token: undefined }, /`token` is required/],
    [{ token: "tökenΩ-1234" }, /printable ASCII/],
    [{ token: " padded-token " }, /printable ASCII/],
  ])("rejects bad config %j", (override, message) => {
    expect(() => createContactsClient({ provider: "wethod", token: "t0ken", company: "acme", ...override } as never)).toThrow(message);
  });

  it("reads x-ratelimit-retry-after on a 429", async () => {
    const scope = nock("https://api.wethod.com").delete(`/api/contact/${id}`).reply(429, "", { "x-ratelimit-retry-after": "90" });
    const error = await rejection(
      createContactsClient({ provider: "wethod", token: SECRETS.wethod, company: "acme", maxRetries: 0 }).deleteContact(id),
    );
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 90_000 });
  });
});
