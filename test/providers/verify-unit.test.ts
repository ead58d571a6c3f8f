/**
 * Read-back (issue 12), unit level with nock, for every provider in the registry: `contactExists`
 * (GET 200 → true, the spec's own "contact does not exist" 404 → false, anything else a typed
 * error) and `deleteContact`'s `verify` (the GET after an ambiguous failure or, with `true`,
 * after every outcome). Wire requests are asserted: method, path (Wethod's read is plural),
 * Authorization header and Truto's account parameter.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { createContactsClient, providerNames, type ProviderName } from "../../src/index.js";
import { rejection, useNock } from "../helpers/provider-unit-suite.js";
import { SECRETS, expectedAuthorization, manifest, sampleId, specOrigin, unitConfig, wirePath } from "../helpers/fixtures.js";

useNock();

const readable = providerNames.filter((p) => manifest[p].operations.getContact !== undefined);

function readPath(provider: ProviderName, id: string): string {
  return manifest[provider].operations.getContact!.path.replace(/\{[^}]+\}/, encodeURIComponent(id));
}

function readExamples(provider: ProviderName) {
  const examples = manifest[provider].operations.getContact!.examples;
  const found = examples.find((e) => e.status === 200 && e.body !== null && typeof e.body === "object")!;
  const gone = examples.find((e) => e.status === 404 && (e as { contactNotFound?: boolean }).contactNotFound === true)!;
  return { found, gone };
}

function interceptGet(provider: ProviderName, id: string) {
  return nock(specOrigin(provider), { reqheaders: { authorization: expectedAuthorization(provider) } })
    .get(readPath(provider, id))
    .query((query) =>
      provider === "truto" ? query.integrated_account_id === unitConfig("truto").integratedAccountId : Object.keys(query).length === 0,
    );
}

function interceptDelete(provider: ProviderName, id: string) {
  return nock(specOrigin(provider), { reqheaders: { authorization: expectedAuthorization(provider) } })
    .delete(wirePath(provider, id))
    .query(true);
}

const client = (provider: ProviderName, extra: object = {}) =>
  createContactsClient({ ...unitConfig(provider), maxRetries: 0, sleep: async () => {}, ...extra });

it("the read paths are the specs' (Wethod's read is plural, its delete singular)", () => {
  expect(readable).toEqual(providerNames.filter((p) => p !== "userapi"));
  expect(readPath("wethod", "42")).toBe("/api/contacts/42");
  expect(wirePath("wethod", "42")).toBe("/api/contact/42");
});

describe.each(readable.map((p) => [p]))("%s: contactExists", (provider) => {
  const id = sampleId(provider);
  const { found, gone } = readExamples(provider);

  it("canVerify is true", () => {
    expect(client(provider).canVerify).toBe(true);
  });

  it("GET 200 with the spec's contact → true", async () => {
    const scope = interceptGet(provider, id).reply(200, found.body as nock.Body, { "content-type": "application/json" });
    await expect(client(provider).contactExists(id)).resolves.toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it("the spec's contact-not-found 404 → false", async () => {
    const scope = interceptGet(provider, id).reply(404, gone.body as nock.Body, { "content-type": "application/json" });
    await expect(client(provider).contactExists(id)).resolves.toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it("an HTML 404 is not about the contact: endpoint_not_found, never false", async () => {
    interceptGet(provider, id).reply(404, "<html>Not Found</html>", { "content-type": "text/html" });
    const error = await rejection(client(provider).contactExists(id));
    expect(error).toMatchObject({ code: "endpoint_not_found", status: 404, mayHaveApplied: false, provider, contactId: id });
    expect(error.message).toContain(`checking contact ${JSON.stringify(id)} failed`);
  });

  it("a 500 on every attempt is provider_error, retried, never mayHaveApplied, and scrubbed", async () => {
    const scope = interceptGet(provider, id)
      .times(2)
      .reply(500, { message: `boom ${SECRETS[provider]}` }, { "content-type": "application/json" });
    const error = await rejection(client(provider, { maxRetries: 1 }).contactExists(id));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "provider_error", status: 500, attempts: 2, mayHaveApplied: false });
    expect(error.message).toMatch(/checking contact .* failed: HTTP 500/);
    expect(JSON.stringify(error)).not.toContain(SECRETS[provider]);
  });

  it("a 200 that is not a contact object (null, HTML) is invalid_response", async () => {
    interceptGet(provider, id).reply(200, "null", { "content-type": "application/json" });
    await expect(rejection(client(provider).contactExists(id))).resolves.toMatchObject({ code: "invalid_response", status: 200 });
  });

  it("bad ids and unknown options are invalid_input, nothing sent", async () => {
    await expect(rejection(client(provider).contactExists(".."))).resolves.toMatchObject({ code: "invalid_input", attempts: 0 });
    await expect(rejection(client(provider).contactExists(id, { missingOk: true } as never))).resolves.toMatchObject({
      code: "invalid_input",
    });
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe.each(readable.map((p) => [p]))("%s: deleteContact verify", (provider) => {
  const id = sampleId(provider);
  const { found, gone } = readExamples(provider);
  const json = { "content-type": "application/json" };

  it('"ambiguous" (default): a 503 then the 404 read-back → absent, afterRetry, verified', async () => {
    const del = interceptDelete(provider, id).reply(503, {}, json);
    const get = interceptGet(provider, id).reply(404, gone.body as nock.Body, json);
    const result = await client(provider).deleteContact(id);
    expect(del.isDone() && get.isDone()).toBe(true);
    expect(result).toMatchObject({ outcome: "absent", afterRetry: true, verified: true, attempts: 2, status: 404 });
  });

  it('"ambiguous": a 503 then the contact still there, no retry budget → the 503 error with mayHaveApplied false', async () => {
    interceptDelete(provider, id).reply(503, {}, json);
    interceptGet(provider, id).reply(200, found.body as nock.Body, json);
    const error = await rejection(client(provider).deleteContact(id));
    expect(error).toMatchObject({ code: "provider_error", status: 503, mayHaveApplied: false, attempts: 2, verification: null });
    expect(error.message).toContain("read-back found the contact still there");
  });

  it("true: a confirmed delete is read back; 404 → verified", async () => {
    interceptDelete(provider, id).reply(provider === "hubspot" ? 204 : 200, provider === "hubspot" ? undefined : {}, json);
    const get = interceptGet(provider, id).reply(404, gone.body as nock.Body, json);
    const result = await client(provider).deleteContact(id, { verify: true });
    expect(get.isDone()).toBe(true);
    expect(result).toMatchObject({ outcome: "deleted", verified: true, attempts: 2 });
  });

  it("false: never reads back, even after an ambiguous failure", async () => {
    interceptDelete(provider, id).reply(503, {}, json);
    const error = await rejection(client(provider).deleteContact(id, { verify: false }));
    expect(error).toMatchObject({ code: "provider_error", mayHaveApplied: true, attempts: 1 });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("bad verify values are invalid_input before anything is sent", async () => {
    await expect(rejection(client(provider).deleteContact(id, { verify: "yes" } as never))).resolves.toMatchObject({
      code: "invalid_input",
      attempts: 0,
    });
    await expect(rejection(client(provider).deleteContact(id, { verifyTimeoutMs: -1 }))).resolves.toMatchObject({
      code: "invalid_input",
      attempts: 0,
    });
  });
});

describe("userapi (no read endpoint)", () => {
  const id = sampleId("userapi");

  it("canVerify is false; contactExists and verify: true are invalid_input, nothing sent", async () => {
    const crm = client("userapi");
    expect(crm.canVerify).toBe(false);
    await expect(rejection(crm.contactExists(id))).resolves.toMatchObject({ code: "invalid_input", attempts: 0 });
    const error = await rejection(crm.deleteContact(id, { verify: true }));
    expect(error).toMatchObject({ code: "invalid_input", attempts: 0 });
    expect(error.message).toContain("userapi documents none");
    await expect(rejection(crm.deleteContacts([id], { verify: true }))).resolves.toMatchObject({ code: "invalid_input" });
  });

  it('"ambiguous" does nothing: a 503 stays mayHaveApplied, no GET', async () => {
    interceptDelete("userapi", id).reply(503, {}, { "content-type": "application/json" });
    const error = await rejection(client("userapi").deleteContact(id));
    expect(error).toMatchObject({ code: "provider_error", mayHaveApplied: true, attempts: 1, verification: null });
  });
});
