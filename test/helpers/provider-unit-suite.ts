/**
 * The nock suite every provider runs: success from the spec's example, every documented error
 * status from the spec's examples, empty/odd bodies, and invalid ids with proof nothing was sent.
 * Provider files add their own wire specifics on top.
 */
import nock from "nock";
import { rejection } from "./rejection.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import type { ProviderName } from "../../src/providers/names.js";
import {
  SECRETS,
  deepMessage,
  examplesOf,
  expectedAuthorization,
  expectedCode,
  manifest,
  sampleId,
  specOrigin,
  successExample,
  unitConfig,
  wirePath,
} from "./fixtures.js";

export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
    nock.activate();
  });
}

export { rejection };

/** A nock scope for one DELETE of `id`, requiring the provider's Authorization header. */
export function interceptDelete(provider: ProviderName, id: string) {
  return nock(specOrigin(provider), { reqheaders: { authorization: expectedAuthorization(provider) } })
    .delete(wirePath(provider, id))
    .query(true);
}

export function providerUnitSuite(provider: ProviderName, invalidIds: string[] = []): void {
  const id = sampleId(provider);
  const client = createContactsClient({ ...unitConfig(provider), maxRetries: 0 });

  describe(`${provider}: success`, () => {
    it("resolves the spec's success example as deleted", async () => {
      const example = successExample(provider);
      const scope = interceptDelete(provider, id).reply(example.status, example.body as nock.Body, example.headers);
      const result = await client.deleteContact(id);
      expect(scope.isDone()).toBe(true);
      expect(result).toMatchObject({ provider, id, outcome: "deleted", status: example.status, attempts: 1, afterRetry: false });
      // A bodiless success (204) has no body: raw is null.
      expect(result.raw).toEqual("body" in example ? example.body : null);
    });

    it.each([
      ["204 no content", 204, ""],
      ["200 empty body", 200, ""],
      ["200 {}", 200, "{}"],
    ])("treats %s as deleted", async (_label, status, body) => {
      const scope = interceptDelete(provider, id).reply(status, body, { "content-type": "application/json" });
      const result = await client.deleteContact(id);
      expect(scope.isDone()).toBe(true);
      expect(result.outcome).toBe("deleted");
      expect(result.status).toBe(status);
      expect(result.contact).toBeNull();
    });

    it("reports the request id header when the provider sends one", async () => {
      const scope = interceptDelete(provider, id).reply(200, "{}", { "x-request-id": "req_42" });
      const result = await client.deleteContact(id);
      expect(scope.isDone()).toBe(true);
      expect(result.requestId).toBe("req_42");
    });

    it("turns invalid JSON on a 2xx into invalid_response", async () => {
      const scope = interceptDelete(provider, id).reply(200, "{not json", { "content-type": "application/json" });
      const error = await rejection(client.deleteContact(id));
      expect(scope.isDone()).toBe(true);
      expect(error.code).toBe("invalid_response");
      expect(error.status).toBe(200);
      expect(error.raw).toBe("{not json");
      expect(error.mayHaveApplied).toBe(true);
    });

    it("never counts an HTML page on a 2xx (a proxy's login page) as a delete", async () => {
      const scope = interceptDelete(provider, id).reply(200, "<html><body>Sign in</body></html>", { "content-type": "text/html" });
      const error = await rejection(client.deleteContact(id));
      expect(scope.isDone()).toBe(true);
      expect(error).toMatchObject({ code: "invalid_response", status: 200, mayHaveApplied: true });
    });
  });

  describe(`${provider}: every documented error status`, () => {
    const errors = examplesOf(provider, (e) => e.status >= 400);
    it("the spec documents at least one error example", () => {
      expect(errors.length).toBeGreaterThan(0);
    });

    it.each(errors.map((e) => [`${e.status} ${e.name}`, e] as const))("%s", async (_label, example) => {
      const scope = interceptDelete(provider, id).reply(example.status, example.body as nock.Body, {
        "content-type": "application/json",
        ...example.headers,
      });
      // The delete's own mapping: no read-back (the verify suite covers what a 5xx then leads to).
      const error = await rejection(client.deleteContact(id, { verify: false }));
      expect(scope.isDone()).toBe(true);
      // A 404 is not_found only when the spec marks it "contact does not exist"; any other 404 is not about the contact.
      expect(error.code).toBe(
        example.status === 404 && example.contactNotFound !== true ? "endpoint_not_found" : expectedCode[example.status],
      );
      expect(error.status).toBe(example.status);
      expect(error.provider).toBe(provider);
      expect(error.contactId).toBe(id);
      // Only a 5xx leaves doubt whether the provider acted before failing.
      expect(error.mayHaveApplied).toBe(example.status >= 500);
      expect(error.attempts).toBe(1);
      expect(error.raw).toEqual(example.body);
      expect(error.message).toContain(`HTTP ${example.status}`);
      const providerText = deepMessage(example.body);
      if (providerText) expect(error.message).toContain(providerText);
      expect(error.message).not.toContain(SECRETS[provider]);
    });

    it("an empty-bodied 404 is endpoint_not_found (it says nothing about the contact), not success, even with missingOk", async () => {
      const scope = interceptDelete(provider, id).reply(404, "").delete(wirePath(provider, id)).query(true).reply(404, "");
      const error = await rejection(client.deleteContact(id));
      const withMissingOk = await rejection(client.deleteContact(id, { missingOk: true }));
      expect(scope.isDone()).toBe(true);
      for (const e of [error, withMissingOk]) {
        expect(e).toMatchObject({ code: "endpoint_not_found", status: 404, retryable: false, raw: null });
        expect(e.message).toContain("whether the contact exists is unknown");
      }
    });

    it('a 404 with missingOk resolves as absent when it is the spec\'s "contact does not exist" example', async () => {
      const notFound = examplesOf(provider, (e) => e.status === 404 && e.contactNotFound === true)[0]!;
      const scope = interceptDelete(provider, id).reply(404, notFound.body as nock.Body);
      const result = await client.deleteContact(id, { missingOk: true });
      expect(scope.isDone()).toBe(true);
      expect(result).toMatchObject({ outcome: "absent", status: 404, contact: null, afterRetry: false });
      expect(result.raw).toEqual(notFound.body);
    });

    it("an HTML error page becomes a typed error with the text as raw", async () => {
      const scope = interceptDelete(provider, id).reply(502, "<html><body>Bad gateway</body></html>", { "content-type": "text/html" });
      const error = await rejection(client.deleteContact(id));
      expect(scope.isDone()).toBe(true);
      expect(error).toMatchObject({ code: "provider_error", status: 502, retryable: true });
      expect(error.raw).toContain("Bad gateway");
    });
  });

  describe(`${provider}: invalid ids never reach the network`, () => {
    const sent: string[] = [];
    const recordingClient = createContactsClient({
      ...unitConfig(provider),
      fetch: async (request: Request) => {
        sent.push(request.url);
        return new Response("{}", { status: 200 });
      },
    });
    const shared = ["", "   ", ".", "..", "a\u0000b", "line\nbreak", "tab\there"];
    it.each([...shared, ...invalidIds].map((bad) => [JSON.stringify(bad), bad]))("rejects %s", async (_label, bad) => {
      const error = await rejection(recordingClient.deleteContact(bad));
      expect(error.code).toBe("invalid_input");
      expect(error.attempts).toBe(0);
      expect(sent).toEqual([]);
    });

    it("percent-encodes other ids into the path", async () => {
      // Specs with an id pattern or an integer id refuse odd ids; those use the sample id.
      const schema = manifest[provider].operation.parameters.find((p) => p.in === "path")?.schema as { type?: string; pattern?: string };
      const odd = schema.pattern !== undefined || schema.type === "integer" ? id : "a/b c?d#e";
      await recordingClient.deleteContact(odd);
      const url = new URL(sent.at(-1)!);
      expect(url.origin + url.pathname).toBe(specOrigin(provider) + wirePath(provider, odd));
      sent.length = 0;
    });
  });
}
