/**
 * The default send (src/send-by-id.ts) has openapi-fetch build a client's request once and fills
 * in the id per call: what reaches `fetch` must be the request openapi-fetch itself builds per
 * call (URL, method, headers, no body), for every provider's default operations, hostile ids and
 * base URLs; and where the dry run cannot work, every call goes through the client.
 */
import createOpenApiClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { prepareProvider } from "../src/config.js";
import { registry } from "../src/registry.js";
import { LightRequest } from "../src/transport/light-request.js";
import type { OutgoingRequest } from "../src/transport/light-request.js";
import { providerNames } from "../src/providers/names.js";
import { idParameter, sendById } from "../src/send-by-id.js";
import * as close from "../generated/close.facts.js";
import * as featurebase from "../generated/featurebase.facts.js";
import * as hubspot from "../generated/hubspot.facts.js";
import * as truto from "../generated/truto.facts.js";
import * as userapi from "../generated/userapi.facts.js";
import * as wethod from "../generated/wethod.facts.js";
import type { OperationFacts } from "../src/adapter.js";
import { unitConfig } from "./helpers/fixtures.js";

const facts = { close, featurebase, hubspot, truto, userapi, wethod } as Record<
  string,
  { deleteContact: OperationFacts; getContact?: OperationFacts }
>;

const hostileIds = [
  "507f1f77bcf86cd799439011",
  "12345",
  "ünïcødé-ид-😀",
  "100%",
  "%2F",
  "a/b",
  "..",
  "?x=1&y=2#frag",
  ":@!$&'()*+,;=",
  "{id}",
  "$&$'$`$$",
  "a\u0000b",
  "-0",
  "contactkit-id-marker-5d1e9b",
];
const baseUrls = [
  "http://127.0.0.1:8080",
  "https://proxy.example.com/prefix/v1/",
  "http://h/a%7Bb%7D",
  "http://h/{id}",
  "http://h/{other}/x",
  "http://h/{x",
  "http://h/x}",
  "http://h/100%/$&$'",
  "http://h/contactkit-id-5d1e9b%2F%3F%25%23%C3%A9%7B%7D%20!'()*.",
];

/** A client as the facade makes one: a light Request, the prepared base URL and headers, no middleware. */
function facadeClient(prepared: { baseUrl: string; headers: Record<string, string> }) {
  return createOpenApiClient<Record<string, never>>({
    baseUrl: prepared.baseUrl,
    headers: prepared.headers,
    Request: LightRequest as unknown as typeof Request,
  });
}

/** A `fetch` that records what it is handed and answers 200. */
function recorder() {
  const seen: Array<{ url: string; method: string; headers: Array<[string, string]>; body: unknown }> = [];
  const fetch = async (request: Request) => {
    const r = request as unknown as OutgoingRequest;
    seen.push({ url: r.url, method: r.method, headers: [...new Headers(r.headers).entries()], body: r.body });
    return new Response("{}", { status: 200 });
  };
  return { seen, fetch };
}

/** Counts the calls of the client's HTTP methods (the dry run is one). */
function counted(client: ReturnType<typeof facadeClient>) {
  const calls = { count: 0 };
  const wrap = (method: "DELETE" | "GET") => (path: never, init: never) => {
    calls.count += 1;
    return client[method](path, init);
  };
  return { client: { DELETE: wrap("DELETE"), GET: wrap("GET") }, calls };
}

const operations = providerNames.flatMap((provider) =>
  (["deleteContact", "getContact"] as const)
    .filter((kind) => facts[provider]![kind] !== undefined)
    .map((kind) => ({ label: `${provider} ${kind}`, provider, op: facts[provider]![kind]! })),
);

describe("sendById", () => {
  it.each(operations)("sends what openapi-fetch builds per call, for every id and base URL: $label", async ({ provider, op }) => {
    const send = sendById(op);
    const { name, schema } = idParameter(op);
    let compared = 0;
    for (const baseUrl of baseUrls) {
      const prepared = prepareProvider(registry[provider].connection, { ...unitConfig(provider), baseUrl });
      const client = facadeClient(prepared);
      for (const id of hostileIds) {
        const value = schema.type === "integer" ? Number(id) : id;
        const expected = recorder();
        await facadeClient(prepared)[op.method.toUpperCase() as "DELETE"](
          op.path as never,
          {
            params: { path: { [name]: value } },
            fetch: expected.fetch,
          } as never,
        );
        const actual = recorder();
        const { response } = await send({ client, id, fetch: actual.fetch });
        expect(response.status).toBe(200);
        expect(actual.seen).toEqual(expected.seen);
        compared += 1;
      }
    }
    expect(compared).toBe(baseUrls.length * hostileIds.length);
  });

  it("builds the request through the client once per client, then fills in the id", async () => {
    const send = sendById(featurebase.deleteContact);
    const prepared = prepareProvider(registry.featurebase.connection, unitConfig("featurebase"));
    const { client, calls } = counted(facadeClient(prepared));
    const { seen, fetch } = recorder();
    for (const id of ["a1", "b2", "c3", "d4"]) await send({ client, id, fetch });
    expect(calls.count).toBe(1);
    expect(seen.map((s) => s.url)).toEqual(["a1", "b2", "c3", "d4"].map((id) => `${prepared.baseUrl}/v2/contacts/${id}`));
    // Every call carries the same headers, the credentials among them.
    for (const s of seen) expect(s.headers).toEqual(seen[0]!.headers);
    expect(seen[0]!.headers.map(([k]) => k)).toContain("authorization");

    // Another client (another base URL) gets its own request.
    const other = prepareProvider(registry.featurebase.connection, { ...unitConfig("featurebase"), baseUrl: "http://127.0.0.1:9999" });
    const second = counted(facadeClient(other));
    await send({ client: second.client, id: "e5", fetch });
    expect(second.calls.count).toBe(1);
    expect(seen.at(-1)!.url).toBe("http://127.0.0.1:9999/v2/contacts/e5");
  });

  it("goes through the client on every call when the base URL has a brace (openapi-fetch fills it there too)", async () => {
    const send = sendById(featurebase.deleteContact);
    const prepared = prepareProvider(registry.featurebase.connection, { ...unitConfig("featurebase"), baseUrl: "http://h/{id}" });
    const { client, calls } = counted(facadeClient(prepared));
    const { seen, fetch } = recorder();
    for (const id of ["a1", "b2", "c3"]) await send({ client, id, fetch });
    // The dry run (its URL holds the marker twice, so it is not used), then each call through the client.
    expect(calls.count).toBe(4);
    // The default path serializer fills the base URL's placeholder too: that URL, not ours.
    expect(seen.map((s) => s.url)).toEqual(["http://h/a1/v2/contacts/a1", "http://h/b2/v2/contacts/b2", "http://h/c3/v2/contacts/c3"]);
  });

  it("goes through the client on every call when the dry run yields no request at once (middleware)", async () => {
    const send = sendById(close.deleteContact);
    const prepared = prepareProvider(registry.close.connection, unitConfig("close"));
    const real = facadeClient(prepared);
    const seenByMiddleware: string[] = [];
    real.use({
      onRequest({ request }) {
        seenByMiddleware.push(request.url);
        return undefined;
      },
    });
    const { client, calls } = counted(real);
    const { seen, fetch } = recorder();
    for (const id of ["cont_a", "cont_b"]) await send({ client, id, fetch });
    // One dry run (caught too late, so not used), then each call through the client.
    expect(calls.count).toBe(3);
    expect(seen.map((s) => s.url)).toEqual([`${prepared.baseUrl}/api/v1/contact/cont_a/`, `${prepared.baseUrl}/api/v1/contact/cont_b/`]);
    // The middleware saw the two real requests (the dry run's comes first).
    expect(seenByMiddleware.slice(-2)).toEqual(seen.map((s) => s.url));
  });

  it("gives every call headers of its own: a fetch that adds one to them does not add it to later calls", async () => {
    const send = sendById(close.deleteContact);
    const prepared = prepareProvider(registry.close.connection, unitConfig("close"));
    const client = facadeClient(prepared);
    const traces: string[][] = [];
    const fetch = async (request: Request) => {
      const headers = (request as unknown as OutgoingRequest).headers as Record<string, string>;
      // What a tracing wrapper of `fetch` may do to `init.headers`.
      headers.traceparent = `${headers.traceparent ?? ""}t`;
      delete headers.authorization;
      traces.push(Object.keys(headers).filter((k) => k === "traceparent" || k === "authorization"));
      return new Response("{}", { status: 200 });
    };
    for (const id of ["cont_a", "cont_b", "cont_c"]) await send({ client, id, fetch });
    // Each call started with the credentials and no trace header.
    expect(traces).toEqual([["traceparent"], ["traceparent"], ["traceparent"]]);
    const again = recorder();
    await send({ client, id: "cont_d", fetch: again.fetch });
    expect(again.seen[0]!.headers.map(([k]) => k)).toContain("authorization");
    expect(again.seen[0]!.headers.map(([k]) => k)).not.toContain("traceparent");
  });

  it("hands the call's fetch exactly one request per send: the dry run never reaches it", async () => {
    const send = sendById(hubspot.deleteContact);
    const prepared = prepareProvider(registry.hubspot.connection, unitConfig("hubspot"));
    const client = facadeClient(prepared);
    const { seen, fetch } = recorder();
    await send({ client, id: "101", fetch });
    await send({ client, id: "102", fetch });
    expect(seen.map((s) => s.url.split("/").at(-1))).toEqual(["101", "102"]);
  });
});
