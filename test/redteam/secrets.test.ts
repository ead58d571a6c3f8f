/**
 * Red team, secrets and injection: a request-id header echoing the credential (raw, Basic- or
 * URL-encoded) never lands in `requestId`; a key straddling the 4 KiB cut of `raw` does not
 * survive minus its tail; Truto's `remoteQuery` keys cannot add or cut query parameters.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import { queryKeyProblem } from "../../src/query-keys.js";
import { SECRETS, specOrigin } from "../helpers/fixtures.js";
import { interceptDelete, rejection, useNock } from "../helpers/provider-unit-suite.js";
import { providers, recordingConfig, sampleId, unitConfig, type Sent } from "./helpers.js";

useNock();
const TRUTO_ACCOUNT: string = unitConfig("truto").integratedAccountId;

/** The forms a credential travels in: as configured, URL-encoded, Basic-encoded. */
function forms(secret: string): [string, string][] {
  return [
    ["raw", secret],
    ["URL-encoded", encodeURIComponent(secret)],
    ["Basic-encoded", Buffer.from(`${secret}:`).toString("base64")],
  ];
}

describe.each(providers)("red team secrets: %s", (provider) => {
  const id = sampleId(provider);
  const secret = SECRETS[provider as keyof typeof SECRETS];
  const client = createContactsClient({ ...unitConfig(provider), maxRetries: 0 });

  it("every provider's fixture has a recognisable secret", () => {
    expect(secret, `add ${provider} to SECRETS in test/helpers/fixtures.ts`).toMatch(/.{8,}/);
  });

  it.each(forms(secret))("a request id echoing the %s secret is scrubbed on a success", async (_label, echoed) => {
    const scope = interceptDelete(provider, id).reply(204, "", { "x-request-id": `req-${echoed}-1` });
    const result = await client.deleteContact(id);
    expect(scope.isDone()).toBe(true);
    expect(result.requestId).toBe("req-[redacted]-1");
    expect(JSON.stringify(result)).not.toContain(echoed);
  });

  it.each(forms(secret))("a request id echoing the %s secret is scrubbed on an error", async (_label, echoed) => {
    const scope = interceptDelete(provider, id).reply(403, "", { "request-id": echoed });
    const error = await rejection(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(error.requestId).toBe("[redacted]");
    expect(JSON.stringify(error)).not.toContain(echoed);
  });

  it.each([4090, 4093, 4095])("a secret echoed at offset %i, across the 4 KiB cut of raw, leaves no part behind", async (offset) => {
    const text = `${"x".repeat(offset)}${secret}${"y".repeat(200)}`;
    const scope = interceptDelete(provider, id).reply(502, text, { "content-type": "text/plain" });
    const error = await rejection(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    const raw = String(error.raw);
    const survivingHead = secret.slice(0, 4096 - offset);
    expect(raw.slice(offset)).not.toContain(survivingHead);
    expect(raw.startsWith("x".repeat(offset))).toBe(true);
    expect(raw.length).toBeLessThanOrEqual(4097);
  });
});

describe("red team injection: Truto remoteQuery keys", () => {
  const hostileKeys: [string, string][] = [
    ["a second integrated_account_id", `a]=1&integrated_account_id=00000000-0000-0000-0000-000000000000&b[`],
    ["a truto_response_format override", "x]&truto_response_format=raw&y["],
    ["a fragment that cuts the query", "a#"],
    ["a bare ampersand", "a&b"],
    ["an equals sign", "a=b"],
    ["a bracket", "a[b]"],
    ["a space", "page size"],
    ["a percent escape", "a%26b"],
    ["a CRLF", "a\r\nb"],
    ["a non-ASCII letter", "ключ"],
    ["an empty key", ""],
    ["a 200-character key", "k".repeat(200)],
  ];

  it.each(hostileKeys)("a key with %s is invalid_input, nothing sent", async (_label, key) => {
    if (!providers.includes("truto")) throw new Error("truto is missing from the registry");
    const sent: Sent[] = [];
    const client = createContactsClient(recordingConfig("truto", sent));
    const error = await rejection(client.deleteContact(sampleId("truto"), { remoteQuery: { [key]: "1" } } as never));
    expect(error).toMatchObject({ code: "invalid_input", attempts: 0 });
    expect(error.message).toContain("remoteQuery");
    expect(sent).toEqual([]);
  });

  it("plain keys pass and reach the query once each, values encoded", async () => {
    const scope = nock(specOrigin("truto"))
      .delete(`/unified/crm/contacts/${sampleId("truto")}`)
      .query((query) => {
        expect(query).toEqual({
          integrated_account_id: TRUTO_ACCOUNT,
          "remote_query[page_size]": "10",
          "remote_query[fields.name]": "a&b=c#d",
        });
        return true;
      })
      .reply(204);
    const client = createContactsClient({ ...unitConfig("truto"), maxRetries: 0 });
    await client.deleteContact(sampleId("truto"), { remoteQuery: { page_size: 10, "fields.name": "a&b=c#d" } } as never);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [{ ok: 1, "with-dash": 2, "dots.and_underscores": 3 }, null],
    [{ "bad key": 1 }, /bad key/],
    [{ "a]b": 1 }, /a\]b/],
  ] as const)("queryKeyProblem(%j)", (query, expected) => {
    const problem = queryKeyProblem("remoteQuery", query);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
