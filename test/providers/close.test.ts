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

  it("reads rate_reset and the message nested under `error` (the official client's legacy fixture)", async () => {
    const scope = nock("https://api.close.com")
      .delete(`/api/v1/contact/${id}/`)
      .reply(429, {
        error: { rate_reset: 1.5, message: "API call count exceeded for this 15 second window", rate_limit: 600, rate_window: 15 },
      });
    const error = await rejection(createContactsClient({ provider: "close", apiKey: SECRETS.close, maxRetries: 0 }).deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 1500 });
    expect(error.message).toContain("API call count exceeded for this 15 second window");
  });

  it("honours Retry-After on a 429 without RateLimit, and retries after that wait", async () => {
    const waits: number[] = [];
    const scope = nock("https://api.close.com")
      .delete(`/api/v1/contact/${id}/`)
      .reply(429, {}, { "Retry-After": "3" })
      .delete(`/api/v1/contact/${id}/`)
      .reply(200, {});
    const client = createContactsClient({
      provider: "close",
      apiKey: SECRETS.close,
      maxRetries: 1,
      sleep: async (ms) => void waits.push(ms),
    });
    const result = await client.deleteContact(id);
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ outcome: "deleted", attempts: 2 });
    expect(waits).toEqual([3000]);
  });

  it("reads a `;`-separated RateLimit header on a 429", async () => {
    const scope = nock("https://api.close.com")
      .delete(`/api/v1/contact/${id}/`)
      .reply(429, {}, { RateLimit: "limit=100; remaining=0; reset=6" });
    const error = await rejection(createContactsClient({ provider: "close", apiKey: SECRETS.close, maxRetries: 0 }).deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 6000 });
  });

  it.each([
    [402, "Plan limit reached."],
    [405, "Method not allowed."],
    [415, "Unsupported media type."],
  ])("maps %i to a non-retryable provider_error, sent once although retries are allowed", async (status, text) => {
    const scope = nock("https://api.close.com").delete(`/api/v1/contact/${id}/`).reply(status, { error: text });
    const error = await rejection(createContactsClient({ provider: "close", apiKey: SECRETS.close, maxRetries: 2 }).deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "provider_error", status, retryable: false, attempts: 1, mayHaveApplied: false });
    expect(error.message).toContain(`HTTP ${status}: ${text.replace(/\.$/, "")}`);
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
