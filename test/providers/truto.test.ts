import nock from "nock";
import { describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import { SECRETS, examplesOf, sampleId, successExample } from "../helpers/fixtures.js";
import { rejection, useNock } from "../helpers/provider-unit-suite.js";

useNock();

const TRUTO_ACCOUNT = "62f44730-dd91-461e-bd6a-aedd9e0ad79d";

describe("truto: wire specifics", () => {
  const id = sampleId("truto");
  const client = createContactsClient({ provider: "truto", token: SECRETS.truto, integratedAccountId: TRUTO_ACCOUNT, maxRetries: 0 });

  it("serializes every query option exactly as Truto documents", async () => {
    let seen = "";
    const scope = nock("https://api.truto.one")
      .delete((uri) => ((seen = uri), uri.startsWith(`/unified/crm/contacts/${id}?`)))
      .reply(200, successExample("truto").body as nock.Body);
    await client.deleteContact(id, {
      responseFormat: "raw",
      ignoreRemoteData: true,
      excludeFields: ["id", "name"],
      remoteQuery: { foo: "bar", n: 1 },
    });
    expect(scope.isDone()).toBe(true);
    const query = seen
      .slice(seen.indexOf("?") + 1)
      .split("&")
      .sort();
    expect(query).toEqual(
      [
        `integrated_account_id=${TRUTO_ACCOUNT}`,
        "truto_response_format=raw",
        "truto_ignore_remote_data=true",
        "truto_exclude_fields[]=id",
        "truto_exclude_fields[]=name",
        "remote_query[foo]=bar",
        "remote_query[n]=1",
      ].sort(),
    );
  });

  it("sends only the account id when no options are given", async () => {
    let seen = "";
    const scope = nock("https://api.truto.one")
      .delete((uri) => ((seen = uri), true))
      .reply(200, { id });
    await client.deleteContact(id);
    expect(scope.isDone()).toBe(true);
    expect(seen).toBe(`/unified/crm/contacts/${id}?integrated_account_id=${TRUTO_ACCOUNT}`);
  });

  it("normalizes the unified contact", async () => {
    const example = successExample("truto");
    const body = example.body as Record<string, any>;
    const scope = nock("https://api.truto.one").delete(`/unified/crm/contacts/${id}`).query(true).reply(200, body);
    const result = await client.deleteContact(id);
    expect(scope.isDone()).toBe(true);
    expect(result.contact).toMatchObject({
      id: body.id,
      firstName: body.first_name ?? null,
      lastName: body.last_name ?? null,
      title: body.title ?? null,
      emails: (body.email_addresses ?? []).map((e: any) => e.email),
      phones: (body.phone_numbers ?? []).map((p: any) => p.number),
      company: body.account?.name ?? null,
    });
  });

  it("names the connected CRM's message on a remote error", async () => {
    const remote = examplesOf("truto", (e) => (e.body as any)?.truto_is_remote_error === true)[0];
    expect(remote, "the Truto spec has a remote-error example").toBeDefined();
    const scope = nock("https://api.truto.one")
      .delete(`/unified/crm/contacts/${id}`)
      .query(true)
      .reply(remote!.status, remote!.body as nock.Body);
    const error = await rejection(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error.status).toBe(remote!.status);
    expect(error.raw).toEqual(remote!.body);
    expect(error.message).toContain((remote!.body as any).message);
  });

  it("serializes nested remote_query objects and arrays in Truto's bracket form, values URL-encoded", async () => {
    let seen = "";
    const scope = nock("https://api.truto.one")
      .delete((uri) => ((seen = uri), uri.startsWith(`/unified/crm/contacts/${id}?`)))
      .reply(200, { id });
    await client.deleteContact(id, {
      excludeFields: ["tags"],
      remoteQuery: { foo: { bar1: { bar2: "baz2" } }, ids: ["1", "2"], list: [{ bar1: "baz1" }], q: "a&b=c d#e/ü", on: false },
    });
    expect(scope.isDone()).toBe(true);
    expect(seen.slice(seen.indexOf("?") + 1).split("&")).toEqual([
      `integrated_account_id=${TRUTO_ACCOUNT}`,
      "truto_exclude_fields[]=tags",
      "remote_query[foo][bar1][bar2]=baz2",
      "remote_query[ids][]=1",
      "remote_query[ids][]=2",
      "remote_query[list][][bar1]=baz1",
      `remote_query[q]=${encodeURIComponent("a&b=c d#e/ü")}`,
      "remote_query[on]=false",
    ]);
  });

  it('refuses responseFormat "stream" although the spec lists it: a streamed answer cannot confirm a delete', async () => {
    const error = await rejection(client.deleteContact(id, { responseFormat: "stream" } as never));
    expect(error).toMatchObject({ code: "invalid_input", attempts: 0 });
    expect(error.message).toContain("a stream cannot confirm a delete");
  });

  it.each([
    ["an unknown response format", { responseFormat: "xml" }],
    ["a remote query four levels deep", { remoteQuery: { a: { b: { c: { d: 1 } } } } }],
    ["an array inside an array", { remoteQuery: { a: [["x"]] } }],
    ["a null value", { remoteQuery: { a: null } }],
    ["a non-finite number", { remoteQuery: { a: { b: Number.NaN } } }],
    ["a function value", { remoteQuery: { a: () => 1 } }],
    ["a Date (not a plain object)", { remoteQuery: { a: new Date(0) } }],
    ["an unpaired surrogate", { remoteQuery: { a: "\ud800" } }],
    ["a nested key that opens another parameter", { remoteQuery: { a: { "x]=1&integrated_account_id=evil&y[": "1" } } }],
    ["a key inside an array's object that cuts the query", { remoteQuery: { a: [{ "b#": "1" }] } }],
    ["empty excluded field names", { excludeFields: [""] }],
    ["an option of another provider", { include: ["emails"] }],
  ])("rejects %s before sending", async (_label, options) => {
    const error = await rejection(client.deleteContact(id, options as never));
    expect(error).toMatchObject({ code: "invalid_input", attempts: 0 });
  });

  it("requires a UUID integrated account id", () => {
    expect(() => createContactsClient({ provider: "truto", token: "t0ken", integratedAccountId: "acct-1" })).toThrow(
      expect.objectContaining({ code: "config", message: expect.stringContaining("UUID") }),
    );
  });

  it("waits as long as ratelimit-reset says on a 429", async () => {
    const scope = nock("https://api.truto.one")
      .delete(`/unified/crm/contacts/${id}`)
      .query(true)
      .reply(429, { statusCode: 429, error: "Too Many Requests", message: "Rate limit exceeded" }, { "ratelimit-reset": "4" });
    const error = await rejection(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 4000 });
  });
});
