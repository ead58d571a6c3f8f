import nock from "nock";
import { describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import { SECRETS, sampleId, specOrigin, successExample } from "../helpers/fixtures.js";
import { rejection, useNock } from "../helpers/provider-unit-suite.js";

useNock();

describe("userapi: wire specifics", () => {
  const id = sampleId("userapi");
  const origin = specOrigin("userapi");
  const client = createContactsClient({ provider: "userapi", token: SECRETS.userapi, baseUrl: origin, maxRetries: 0 });

  it("sends include as one comma-separated list", async () => {
    let seen = "";
    const scope = nock(origin)
      .delete((uri) => ((seen = uri), uri.startsWith(`/user-api/v1/contacts/${id}`)))
      .reply(200, successExample("userapi").body as nock.Body);
    await client.deleteContact(id, { include: ["emails", "phone_numbers", "tags"] });
    expect(scope.isDone()).toBe(true);
    expect(seen).toBe(`/user-api/v1/contacts/${id}?include=emails,phone_numbers,tags`);
  });

  it("normalizes the deleted contact from the seed's example", async () => {
    const scope = nock(origin)
      .delete(`/user-api/v1/contacts/${id}`)
      .reply(200, successExample("userapi").body as nock.Body);
    const result = await client.deleteContact(id);
    expect(scope.isDone()).toBe(true);
    expect(result.contact).toEqual({
      id: "contact_67890",
      fullName: "Jane Smith",
      firstName: "Jane",
      lastName: "Smith",
      title: "Senior Product Manager",
      emails: ["jane.smith@newcompany.com"],
      phones: ["+15551234567"],
      company: "Tech Corp",
      createdAt: "2025-01-15T10:30:00Z",
      updatedAt: "2025-01-15T12:45:00Z",
    });
  });

  it("rejects an unknown include value before sending", async () => {
    const error = await rejection(client.deleteContact(id, { include: ["emails", "secrets" as never] }));
    expect(error).toMatchObject({ code: "invalid_input", attempts: 0 });
    expect(error.message).toContain('"secrets"');
  });

  it("requires a baseUrl (no public host is known)", () => {
    expect(() => createContactsClient({ provider: "userapi", token: "t0ken" } as never)).toThrow(/`baseUrl` is required/);
  });

  it("rejects a baseUrl with embedded credentials or a bad scheme", () => {
    expect(() => createContactsClient({ provider: "userapi", token: "t0ken", baseUrl: "https://u:p@crm.test" })).toThrow(/credentials/);
    expect(() => createContactsClient({ provider: "userapi", token: "t0ken", baseUrl: "ftp://crm.test" })).toThrow(/http/);
  });

  it("rejects a response whose data contradicts the spec", async () => {
    const scope = nock(origin).delete(`/user-api/v1/contacts/${id}`).reply(200, { data: "gone" });
    const error = await rejection(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "invalid_response", status: 200 });
  });
});
