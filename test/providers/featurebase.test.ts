import nock from "nock";
import { describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import * as facts from "../../generated/featurebase.facts.js";
import { featurebaseAdapter } from "../../src/providers/featurebase/adapter.js";
import { SECRETS, sampleId } from "../helpers/fixtures.js";
import { rejection, useNock } from "../helpers/provider-unit-suite.js";

useNock();

describe("featurebase: wire specifics", () => {
  it("checks ids with the generated facts' pattern (no copy of it in the adapter)", () => {
    const pattern = facts.deleteContact.parameters.id.schema.pattern;
    expect(featurebaseAdapter.checkId("507f1f77bcf86cd799439011")).toBeNull();
    expect(featurebaseAdapter.checkId("507f1f77bcf86cd79943901")).toContain(pattern);
  });

  it("takes the default and the allowed Featurebase-Version from the spec's header parameter", async () => {
    const header = facts.deleteContact.parameters["Featurebase-Version"];
    expect(header.schema.enum).toContain(header.example);
    const scope = nock("https://do.featurebase.app", { reqheaders: { "featurebase-version": header.example } })
      .delete(`/v2/contacts/${sampleId("featurebase")}`)
      .reply(200, {});
    await createContactsClient({ provider: "featurebase", apiKey: SECRETS.featurebase }).deleteContact(sampleId("featurebase"));
    expect(scope.isDone()).toBe(true);
  });

  const id = sampleId("featurebase");
  const client = createContactsClient({ provider: "featurebase", apiKey: SECRETS.featurebase, maxRetries: 0 });

  it("sends the Bearer key and the default Featurebase-Version", async () => {
    const scope = nock("https://do.featurebase.app", {
      reqheaders: { authorization: `Bearer ${SECRETS.featurebase}`, "featurebase-version": "2026-01-01.nova" },
    })
      .delete(`/v2/contacts/${id}`)
      .reply(200, { id, deleted: true, object: "contact" });
    const result = await client.deleteContact(id);
    expect(scope.isDone()).toBe(true);
    expect(result.outcome).toBe("deleted");
  });

  it("refuses an API version without this endpoint", () => {
    expect(() => createContactsClient({ provider: "featurebase", apiKey: "k3y!", apiVersion: "2025-12-12.clover" as never })).toThrow(
      expect.objectContaining({ code: "config", message: expect.stringContaining("2026-01-01.nova") }),
    );
  });

  it.each([
    ["deleted is false", { id: "x", deleted: false, object: "contact" }],
    ["a different id", { id: "ffffffffffffffffffffffff", deleted: true, object: "contact" }],
    ["an array", [1, 2]],
  ])("turns a success body with %s into invalid_response", async (_label, body) => {
    const scope = nock("https://do.featurebase.app")
      .delete(`/v2/contacts/${id}`)
      .reply(200, body as nock.Body);
    const error = await rejection(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "invalid_response", status: 200 });
  });

  it("reads X-RateLimit-Reset on a 429", async () => {
    const scope = nock("https://do.featurebase.app").delete(`/v2/contacts/${id}`).reply(429, "", { "X-RateLimit-Reset": "12" });
    const error = await rejection(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 12_000 });
  });
});
