/**
 * Red team, which 404 is `absent` (issue 10 item 2), over real HTTP on 127.0.0.1 for every
 * provider in the registry: only the provider's own "this contact does not exist" answer (the
 * spec's x-contactkit-not-found rule) may end `absent`. An HTML page, an empty or non-JSON body, a
 * JSON body of another shape, Truto's "integrated account not found" — with or without
 * `missingOk`, and after an attempt that may have applied the delete — end `endpoint_not_found`.
 * Before, each of these was `absent` with `missingOk` (a mistyped Truto account reported every
 * contact gone while all still existed).
 */
import { describe, expect, it } from "vitest";
import { manifest } from "../../generated/manifest.js";
import { createContactsClient } from "../../src/index.js";
import { isContactNotFound, isContactNotFoundText } from "../../src/not-found.js";
import { registry } from "../../src/registry.js";
import type { ProviderName } from "../../src/providers/names.js";
import { rejection } from "../helpers/provider-unit-suite.js";
import { providers, sampleId, unitConfig, useScriptedServer, type Handler } from "./helpers.js";

const server = useScriptedServer();

interface Answer {
  contentType: string | null;
  body: string;
}

const json = (value: unknown): Answer => ({ contentType: "application/json", body: JSON.stringify(value) });

/** The spec's matching example with every matched path changed: the right shape, the wrong answer. */
function nearMiss(provider: ProviderName): unknown | null {
  const rule = manifest[provider].operations.deleteContact!.notFound!;
  if (Object.keys(rule).length === 0) return null; // "any JSON object": no near miss exists
  const copy = structuredClone(contactGone(provider)) as Record<string, unknown>;
  for (const [path, value] of Object.entries(rule)) {
    const keys = path.split(".");
    let node = copy;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[keys.at(-1)!] = typeof value === "boolean" ? !value : typeof value === "number" ? value + 1 : `${value}_elsewhere`;
  }
  return copy;
}

function contactGone(provider: ProviderName): unknown {
  return manifest[provider].examples.find((e) => e.status === 404 && e.contactNotFound === true)!.body;
}

/** 404 answers that say nothing about the contact, for this provider. */
function foreign404s(provider: ProviderName): Array<[string, Answer]> {
  const cases: Array<[string, Answer]> = [
    [
      "an HTML page (proxy, wrong base URL)",
      { contentType: "text/html", body: "<html><body><h1>404 Not Found</h1><hr>nginx</body></html>" },
    ],
    ["an HTML page declared as JSON", { contentType: "application/json", body: "<!doctype html><title>Not Found</title>" }],
    ["an empty body", { contentType: null, body: "" }],
    ["plain text", { contentType: "text/plain", body: "Not Found" }],
    ["a JSON array", json([{ message: "Not Found" }])],
    ["a JSON string", json("Not Found")],
    ["JSON null", json(null)],
    ["broken JSON", { contentType: "application/json", body: '{"message":"Not Fou' }],
  ];
  const miss = nearMiss(provider);
  if (miss !== null) {
    cases.push(["the matching example with the rule's values changed", json(miss)]);
    cases.push(["a gateway's JSON (Kong: no route matched)", json({ message: "no Route matched with those values" })]);
  }
  // The spec's own other 404s: Truto's accountNotFound, HubSpot's otherNotFound.
  for (const e of manifest[provider].examples.filter((x) => x.status === 404 && x.contactNotFound === false)) {
    cases.push([`the spec's ${e.name} example`, json(e.body)]);
  }
  return cases;
}

/** Answers `first` (e.g. a 503 that may have applied the delete) once, then `then` for every later request. */
function script(then: Answer, first?: { status: number; body: string }): Handler {
  let n = 0;
  return (_req, res) => {
    n++;
    if (first && n === 1) {
      res.writeHead(first.status, { "content-type": "application/json" }).end(first.body);
      return;
    }
    res.writeHead(404, then.contentType === null ? {} : { "content-type": then.contentType }).end(then.body);
  };
}

const modes = [
  ["first attempt", {}, undefined],
  ["missingOk", { missingOk: true }, undefined],
  ["after an ambiguous 503", {}, { status: 503, body: "{}" }],
  ["missingOk after an ambiguous 503", { missingOk: true }, { status: 503, body: "{}" }],
] as const;

describe.each(providers)("red team, which 404 is absent: %s", (provider) => {
  const id = sampleId(provider);
  const client = () => createContactsClient({ ...unitConfig(provider), baseUrl: server.url, maxRetries: 1, sleep: async () => {} });

  const cases = foreign404s(provider).flatMap(([label, answer]) =>
    modes.map(([mode, options, first]) => [`${label}, ${mode}`, answer, options, first] as const),
  );
  it.each(cases)("%s: endpoint_not_found, never absent", async (_label, answer, options, first) => {
    server.handler = script(answer, first);
    // The delete's own 404 rule: no read-back (verify.test.ts covers a foreign 404 to the read).
    const error = await rejection(client().deleteContact(id, { ...options, verify: false }));
    expect(error).toMatchObject({ code: "endpoint_not_found", status: 404, retryable: false, provider, contactId: id });
    // After a 503 the first attempt may have deleted the contact: say so, but never claim it.
    expect(error.mayHaveApplied).toBe(first !== undefined);
    expect(error.attempts).toBe(first === undefined ? 1 : 2);
    expect(error.message).toContain("whether the contact exists is unknown");
    expect(server.requests).toHaveLength(error.attempts);
  });

  it.each(modes)(
    'the spec\'s own "contact does not exist" 404, %s: absent only with missingOk or after the ambiguous attempt',
    async (_mode, options, first) => {
      server.handler = script(json(contactGone(provider)), first);
      const call = client().deleteContact(id, options);
      if ("missingOk" in options || first !== undefined) {
        await expect(call).resolves.toMatchObject({
          outcome: "absent",
          status: 404,
          afterRetry: first !== undefined,
          raw: contactGone(provider),
        });
      } else {
        await expect(rejection(call)).resolves.toMatchObject({ code: "not_found", status: 404 });
      }
    },
  );

  it("the rule is the spec's, read through the adapter: the matching example matches, every foreign answer does not", () => {
    const adapter = registry[provider];
    expect(isContactNotFound(adapter, 404, contactGone(provider))).toBe(true);
    expect(isContactNotFoundText(adapter, 404, JSON.stringify(contactGone(provider)))).toBe(true);
    // The same body on another status is not a 404 answer at all.
    expect(isContactNotFound(adapter, 410, contactGone(provider))).toBe(false);
    for (const [label, answer] of foreign404s(provider)) expect(isContactNotFoundText(adapter, 404, answer.body), label).toBe(false);
  });
});

describe("red team, which 404 is absent: the hint names what to check", () => {
  it("Truto's account-not-found 404 points at integratedAccountId, an HTML 404 at the base URL", async () => {
    const id = sampleId("truto");
    const client = createContactsClient({ ...unitConfig("truto"), baseUrl: server.url, maxRetries: 0 });
    const account = manifest.truto.examples.find((e) => e.name === "accountNotFound")!;
    server.handler = script(json(account.body));
    const accountError = await rejection(client.deleteContact(id, { missingOk: true }));
    expect(accountError.message).toContain("check `integratedAccountId`");
    expect(accountError.message).toContain("Integrated account not found");
    server.handler = script({ contentType: "text/html", body: "<html>Not Found</html>" });
    const htmlError = await rejection(client.deleteContact(id, { missingOk: true }));
    expect(htmlError.message).toContain("check the base URL");
    expect(htmlError.message).not.toContain("integratedAccountId");
  });

  it.each(providers)("%s: a bulk run with missingOk counts foreign 404s as failed, not absent", async (provider) => {
    const client = createContactsClient({ ...unitConfig(provider), baseUrl: server.url, maxRetries: 0 });
    server.handler = script({ contentType: "text/html", body: "<html>Not Found</html>" });
    const report = await client.deleteContacts([sampleId(provider)], { missingOk: true });
    expect(report.counts).toMatchObject({ absent: 0, failed: 1 });
    expect(report.failed.map((f) => f.error.code)).toEqual(["endpoint_not_found"]);
  });
});
