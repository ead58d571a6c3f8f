/**
 * Every provider's send (the default, src/send-by-id.ts, and the modules' own) on a client with
 * middleware, where the default goes through the client per call: the URL's path must be the
 * exact string openapi-fetch's default path serializer builds, for every delete and read and any
 * id. test/send-by-id.test.ts checks the compiled requests of clients without middleware.
 */
import createOpenApiClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import * as close from "../generated/close.facts.js";
import * as featurebase from "../generated/featurebase.facts.js";
import * as hubspot from "../generated/hubspot.facts.js";
import * as truto from "../generated/truto.facts.js";
import * as userapi from "../generated/userapi.facts.js";
import * as wethod from "../generated/wethod.facts.js";
import type { OperationFacts } from "../src/adapter.js";
import { prepareProvider } from "../src/config.js";
import { registry } from "../src/registry.js";
import { LightRequest } from "../src/transport/light-request.js";
import { providerNames, type ProviderName } from "../src/providers/names.js";
import { unitConfig } from "./helpers/fixtures.js";

const facts: Record<ProviderName, { deleteContact: OperationFacts; getContact?: OperationFacts }> = {
  close,
  featurebase,
  hubspot,
  truto,
  userapi,
  wethod,
};

// What a caller might hand us (deleteOne refuses some before any request; the send itself must
// still build the default's URL for each of them).
const hostileIds = [
  "507f1f77bcf86cd799439011",
  "12345",
  "ünïcødé-ид-名前-😀",
  "100%",
  "%2F",
  "%",
  "a/b",
  "..",
  ".",
  "../../admin",
  "a b",
  " ",
  "?x=1&y=2#frag",
  ":@!$&'()*+,;=",
  "{id}",
  "}{",
  "$&$'$`$$",
  "\\",
  "",
  "a\u0000b",
  "\u200b",
  "-0",
  "1.5",
  "9007199254740993",
];
// The last two have a brace: there the default fills a placeholder in the base URL too, and the send keeps its way.
const baseUrls = ["http://127.0.0.1:8080", "https://proxy.example.com/prefix/v1", "http://h/a%7Bb%7D", "http://h/{id}", "http://h/{x"];

type Capture = { url: string; pathParams: unknown };

/** A client like the facade's (a LightRequest keeps the URL string unparsed), recording what it was given. */
function capturingClient(baseUrl: string, capture: Capture) {
  const client = createOpenApiClient<Record<string, never>>({ baseUrl, Request: LightRequest as unknown as typeof Request });
  client.use({
    onRequest({ params }) {
      capture.pathParams = (params as { path?: unknown }).path;
      return undefined;
    },
  });
  return client;
}

const respond = (capture: Capture) => async (request: Request) => {
  capture.url = request.url;
  return new Response("{}", { status: 200 });
};

const cases = providerNames.flatMap((provider) => {
  const operations = [
    { kind: "delete", op: facts[provider].deleteContact, send: registry[provider].send },
    ...(registry[provider].read ? [{ kind: "read", op: facts[provider].getContact!, send: registry[provider].read! }] : []),
  ];
  return operations.map((o) => ({ label: `${provider} ${o.kind}`, provider, ...o }));
});

describe("the default send's URL", () => {
  it.each(cases)("is openapi-fetch's default for every id and base URL: $label", async ({ provider, op, send }) => {
    const param = Object.keys(op.parameters).find((key) => op.parameters[key]!.in === "path")!;
    const integer = op.parameters[param]!.schema.type === "integer";
    let compared = 0;
    for (const baseUrl of baseUrls) {
      const prepared = prepareProvider(registry[provider].connection, { ...unitConfig(provider), baseUrl });
      for (const id of hostileIds) {
        const expected: Capture = { url: "", pathParams: undefined };
        await capturingClient(prepared.baseUrl, expected)[op.method.toUpperCase() as "DELETE"](
          op.path as never,
          { params: { path: { [param]: integer ? Number(id) : id } }, fetch: respond(expected) } as never,
        );
        const actual: Capture = { url: "", pathParams: undefined };
        const client = capturingClient(prepared.baseUrl, actual);
        await (send as (call: object) => Promise<unknown>)({ client, id, options: {}, prepared, fetch: respond(actual) });
        // Truto and userapi add a query of their own; the path is the default's either way.
        expect(actual.url.split("?")[0]).toBe(expected.url);
        compared += 1;
      }
    }
    expect(compared).toBe(baseUrls.length * hostileIds.length);
  });
});
