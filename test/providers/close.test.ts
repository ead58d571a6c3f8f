import nock from "nock";
import { describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import { createClient } from "../../src/entries/close.js";
import { SECRETS, sampleId } from "../helpers/fixtures.js";
import { rejection, useNock } from "../helpers/provider-unit-suite.js";

useNock();

describe("close: wire specifics", () => {
  const id = sampleId("close");

  it("sends the API key as Basic user with an empty password, to the trailing-slash path", async () => {
    const basic = Buffer.from(`${SECRETS.close}:`).toString("base64");
    const scope = nock("https://api.close.com", { reqheaders: { authorization: `Basic ${basic}` } })
      .delete(`/api/v1/contact/${id}/`)
      .reply(200, {});
    await createContactsClient({ provider: "close", apiKey: SECRETS.close }).deleteContact(id);
    expect(scope.isDone()).toBe(true);
  });

  it("sends an OAuth access token as Bearer", async () => {
    const scope = nock("https://api.close.com", { reqheaders: { authorization: "Bearer oauth-token-123" } })
      .delete(`/api/v1/contact/${id}/`)
      .reply(200, {});
    await createContactsClient({ provider: "close", accessToken: "oauth-token-123" }).deleteContact(id);
    expect(scope.isDone()).toBe(true);
  });

  it("rejects a config with both or neither credential", () => {
    expect(() => createContactsClient({ provider: "close" } as never)).toThrow(/exactly one of `apiKey`/);
    expect(() => createContactsClient({ provider: "close", apiKey: "k1", accessToken: "t1" } as never)).toThrow(
      expect.objectContaining({ code: "config", provider: "close" }),
    );
  });

  it("reads the wait from the RateLimit header on a 429", async () => {
    const scope = nock("https://api.close.com")
      .delete(`/api/v1/contact/${id}/`)
      .reply(429, { error: "rate limited" }, { RateLimit: "limit=100, remaining=0, reset=7" });
    const error = await rejection(createContactsClient({ provider: "close", apiKey: SECRETS.close, maxRetries: 0 }).deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 7000, retryable: true });
  });

  it("reads the legacy rate_reset body field when no header says how long", async () => {
    const scope = nock("https://api.close.com")
      .delete(`/api/v1/contact/${id}/`)
      .reply(429, { message: "API call count exceeded", rate_reset: 2.5, rate_limit: 60, rate_window: 30 });
    const error = await rejection(createContactsClient({ provider: "close", apiKey: SECRETS.close, maxRetries: 0 }).deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error.retryAfterMs).toBe(2500);
    expect(error.message).toContain("API call count exceeded");
  });

  it("the raw client has auth applied and is typed by the generated paths", async () => {
    const scope = nock("https://api.close.com", { reqheaders: { authorization: "Bearer raw-token" } })
      .delete(`/api/v1/contact/${id}/`)
      .reply(200, {});
    const raw = createClient({ accessToken: "raw-token" });
    const { response } = await raw.DELETE("/api/v1/contact/{id}/", { params: { path: { id } } });
    expect(response.status).toBe(200);
    expect(scope.isDone()).toBe(true);
  });
});
