import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { manifest } from "../../generated/manifest.js";
import { wires } from "../helpers/wire.js";
import { providerNames, type ProviderName } from "../../src/providers/names.js";
import { formatFakeProvidersSummary, startFakeProviders, summarizeFakeProviders, type FakeProviders } from "../../src/testing/index.js";
import { isContactNotFoundText } from "../../src/not-found.js";

// ---------------------------------------------------------------------------------------------
// Helpers: a valid request per provider, built from the fake's credentials, that each test can
// break in one place (override/remove a header, change the query).

type Headers = Record<string, string | undefined>;

interface RequestParts {
  headers?: Headers;
  /** Raw query string (no `?`); `undefined` keeps the provider's valid default. */
  query?: string;
  method?: string;
  /** Raw (already encoded) id segment instead of `encodeURIComponent(id)`. */
  rawId?: string;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

function validHeaders(fake: FakeProviders, provider: ProviderName): Headers {
  return wires[provider].validHeaders(fake);
}

function validQuery(fake: FakeProviders, provider: ProviderName): string {
  return wires[provider].validQuery(fake);
}

function urlFor(fake: FakeProviders, provider: ProviderName, id: string, parts: RequestParts = {}): string {
  const path = manifest[provider].operation.path.replace(/\{[^}]+\}/, parts.rawId ?? encodeURIComponent(id));
  const query = parts.query ?? validQuery(fake, provider);
  return `${fake.url}${path}${query ? `?${query}` : ""}`;
}

async function call(fake: FakeProviders, provider: ProviderName, id: string, parts: RequestParts = {}) {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...validHeaders(fake, provider), ...parts.headers })) {
    if (value !== undefined) merged[name] = value;
  }
  const response = await fetch(urlFor(fake, provider, id, parts), { method: parts.method ?? "DELETE", headers: merged });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    // keep the raw text
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** The spec's first 2xx example (the fake's success answer). */
function successOf(provider: ProviderName) {
  const found = manifest[provider].examples.find((e) => e.status >= 200 && e.status < 300);
  if (!found) throw new Error(`no 2xx example for ${provider}`);
  return found;
}

function example(provider: ProviderName, status: number, name?: string): unknown {
  const found = manifest[provider].examples.find((e) => e.status === status && (name === undefined || e.name === name));
  if (!found) throw new Error(`no ${status} example for ${provider}`);
  return found.body;
}

/** The spec's example for an error status, or the fake's generic body where the spec has none. */
function expectedError(provider: ProviderName, status: number): unknown {
  const found = manifest[provider].examples.find((e) => e.status === status);
  return found ? found.body : expect.objectContaining({ status, error: expect.any(String), message: expect.any(String) });
}

/** The spec's success example with the id put where the spec example has its own id. */
function expectedSuccess(provider: ProviderName, id: string): unknown {
  const body = structuredClone(successOf(provider).body) as Record<string, unknown> | undefined;
  // The fake puts the requested id where the example has one: top-level or under `data`.
  if (body !== null && typeof body === "object" && "id" in body) body.id = id;
  else if (body?.data && typeof body.data === "object" && "id" in body.data) (body.data as Record<string, unknown>).id = id;
  return body;
}

const idFormats = Object.fromEntries(providerNames.map((p) => [p, wires[p].idFormat])) as Record<ProviderName, RegExp>;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------

describe("fake providers (shared server)", () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders();
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  describe.each(providerNames)("%s", (provider) => {
    it("deletes a seeded contact and answers with the spec example, id substituted", async () => {
      // The second seed is a generated id, so substitution (not the example's own id) is visible.
      const id = fake.seeded[provider][1]!;
      expect(fake.has(provider, id)).toBe(true);
      const res = await call(fake, provider, id);
      const success = successOf(provider);
      expect(res.status).toBe(success.status);
      // A bodiless success (204) has neither a body nor a content-type.
      expect(res.headers.get("content-type")).toBe("body" in success ? "application/json" : null);
      expect(res.headers.get("x-request-id")).toMatch(/^fake-\d+$/);
      expect(res.body).toEqual(expectedSuccess(provider, id));
      expect(fake.has(provider, id)).toBe(false);
    });

    it("answers 404 with the spec's 404 example on a second delete", async () => {
      const id = fake.seeded[provider][0]!;
      expect((await call(fake, provider, id)).status).toBe(successOf(provider).status);
      const again = await call(fake, provider, id);
      expect(again.status).toBe(404);
      expect(again.body).toEqual(example(provider, 404));
    });

    it("answers 401 with the spec's 401 example for missing or wrong credentials", async () => {
      const id = fake.seeded[provider][0]!;
      const missing = await call(fake, provider, id, { headers: { authorization: undefined } });
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual(example(provider, 401));
      const wrong = await call(fake, provider, id, { headers: { authorization: "Bearer not-the-token" } });
      expect(wrong.status).toBe(401);
      // Refused requests change nothing.
      expect(fake.has(provider, id)).toBe(true);
    });

    it("answers 400 for a malformed percent-escape in the id", async () => {
      const res = await call(fake, provider, "", { rawId: "%E0%A4%A" });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(expectedError(provider, 400));
    });

    it("has seeds in the provider's id format, including the spec example's own id", () => {
      const ids = fake.seeded[provider];
      expect(ids).toHaveLength(5);
      expect(new Set(ids).size).toBe(5);
      for (const id of ids) expect(id).toMatch(idFormats[provider]);
      const successBody = (successOf(provider).body ?? {}) as Record<string, unknown>;
      const data = successBody.data as { id?: unknown } | undefined;
      const exampleId = successBody.id ?? data?.id;
      if (exampleId !== undefined) expect(ids).toContain(String(exampleId));
    });
  });

  describe("parameter and id validation (driven by the specs)", () => {
    const cases: Array<[string, ProviderName, RequestParts, string?]> = [
      ["userapi include with an unknown relation", "userapi", { query: "include=emails,bogus" }],
      ["userapi include with a repeated relation", "userapi", { query: "include=emails,emails" }],
      ["truto without integrated_account_id", "truto", { query: "" }],
      ["truto integrated_account_id that is not a uuid", "truto", { query: "integrated_account_id=abc" }],
      ["truto truto_response_format outside the enum", "truto", { query: "&truto_response_format=xml" }],
      ["truto truto_ignore_remote_data that is not a boolean", "truto", { query: "&truto_ignore_remote_data=yes" }],
      ["truto malformed query escape", "truto", { query: "&remote_query[a]=%zz" }],
      ["wethod without Wethod-Company", "wethod", { headers: { "wethod-company": undefined } }],
      ["wethod without Wethod-Version", "wethod", { headers: { "wethod-version": undefined } }],
      ["wethod Wethod-Version not a date", "wethod", { headers: { "wethod-version": "latest" } }],
      ["wethod non-integer id", "wethod", {}, "abc"],
      ["wethod id below 1", "wethod", {}, "0"],
      ["featurebase id that is not an ObjectId", "featurebase", {}, "not-an-object-id"],
      ["featurebase Featurebase-Version outside the enum", "featurebase", { headers: { "featurebase-version": "2027-01-01.x" } }],
      [
        "featurebase Featurebase-Version older than the endpoint",
        "featurebase",
        { headers: { "featurebase-version": "2025-12-12.clover" } },
      ],
    ];

    it.each(cases)("400 for %s", async (_label, provider, parts, id) => {
      const target = id ?? fake.seeded[provider][0]!;
      const query = parts.query?.startsWith("&") ? `${validQuery(fake, provider)}${parts.query}` : parts.query;
      const res = await call(fake, provider, target, { ...parts, ...(query !== undefined ? { query } : {}) });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(expectedError(provider, 400));
      expect(res.headers.get("x-fake-reason")).toBeTruthy();
      if (id === undefined) expect(fake.has(provider, target)).toBe(true);
    });

    it("understands each query serialization the specs use", async () => {
      const u = await call(fake, "userapi", fake.seeded.userapi[0]!, { query: "include=emails,phone_numbers,tags" });
      expect(u.status).toBe(200);
      const query = [
        validQuery(fake, "truto"),
        "truto_exclude_fields[]=id&truto_exclude_fields%5B%5D=name",
        "remote_query[foo]=bar&remote_query%5Bx%5D=1",
        "truto_ignore_remote_data=true",
        "truto_response_format=raw",
      ].join("&");
      const t = await call(fake, "truto", fake.seeded.truto[0]!, { query });
      expect(t.status).toBe(200);
    });

    it("compares integer ids by value and omits an optional header without complaint", async () => {
      const wethodId = fake.seeded.wethod[1]!;
      const res = await call(fake, "wethod", `00${wethodId}`);
      expect(res.status).toBe(200);
      expect(fake.has("wethod", wethodId)).toBe(false);
      const fb = await call(fake, "featurebase", fake.seeded.featurebase[0]!, { headers: { "featurebase-version": undefined } });
      expect(fb.status).toBe(200);
    });

    it("answers 404 (the spec's account example) for another Truto integrated account", async () => {
      const res = await call(fake, "truto", fake.seeded.truto[0]!, {
        query: "integrated_account_id=62f44730-dd91-461e-bd6a-aedd9e0ad79d",
      });
      expect(res.status).toBe(404);
      expect(res.body).toEqual(example("truto", 404, "accountNotFound"));
      expect(fake.has("truto", fake.seeded.truto[0]!)).toBe(true);
    });

    it("answers 403 for a Wethod company other than the configured one", async () => {
      const res = await call(fake, "wethod", fake.seeded.wethod[0]!, { headers: { "wethod-company": "other" } });
      expect(res.status).toBe(403);
      expect(res.body).toEqual(example("wethod", 403));
    });
  });

  describe("Close auth alternatives", () => {
    it("accepts Basic (API key, empty password) and Bearer (access token)", async () => {
      const [a, b] = fake.seeded.close;
      const viaBasic = await call(fake, "close", a!, { headers: { authorization: basic(fake.credentials.close.apiKey, "") } });
      expect(viaBasic.status).toBe(200);
      expect(viaBasic.body).toEqual({});
      const viaBearer = await call(fake, "close", b!, { headers: { authorization: `Bearer ${fake.credentials.close.accessToken}` } });
      expect(viaBearer.status).toBe(200);
    });

    it("rejects the API key as a bearer token, a password, or a wrong key", async () => {
      const id = fake.seeded.close[0]!;
      const key = fake.credentials.close.apiKey;
      for (const authorization of [`Bearer ${key}`, basic(key, "secret"), basic("wrong", ""), "Basic !!!"]) {
        const res = await call(fake, "close", id, { headers: { authorization } });
        expect(res.status, authorization).toBe(401);
        expect(res.body).toEqual(example("close", 401));
      }
    });
  });

  describe("routing", () => {
    it("answers 405 for other methods on a known path, a plain-text 404 for unknown paths", async () => {
      const patch = await call(fake, "truto", fake.seeded.truto[0]!, { method: "PATCH" });
      expect(patch.status).toBe(405);
      // Truto's read shares the delete's path: both methods are allowed there.
      expect(patch.headers.get("allow")).toBe("DELETE, GET");
      // userapi documents no read: a GET is refused, naming the one method it serves.
      const get = await call(fake, "userapi", fake.seeded.userapi[0]!, { method: "GET" });
      expect(get.status).toBe(405);
      expect(get.headers.get("allow")).toBe("DELETE");
      expect(fake.has("truto", fake.seeded.truto[0]!)).toBe(true);
      const unknown = await fetch(`${fake.url}/nope`, { method: "DELETE" });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await unknown.text()).toContain("no route for DELETE /nope");
      // Close's path keeps its trailing slash: without it, nothing matches.
      const noSlash = await fetch(`${fake.url}/api/v1/contact/${fake.seeded.close[0]}`, { method: "DELETE" });
      expect(noSlash.status).toBe(404);
      expect(fake.has("close", fake.seeded.close[0]!)).toBe(true);
    });

    it.each(providerNames)(
      "%s: the 'contact gone' 404 matches the spec's not-found rule, the 'no route' 404 does not",
      async (provider) => {
        const rule = { notFound: manifest[provider].operation.notFound };
        const gone = await call(fake, provider, fake.seeded[provider][0]!);
        expect(gone.status).toBe(manifest[provider].examples.find((e) => e.status >= 200 && e.status < 300)!.status);
        const again = await call(fake, provider, fake.seeded[provider][0]!);
        expect(again.status).toBe(404);
        expect(again.body).toEqual(manifest[provider].examples.find((e) => e.status === 404 && e.contactNotFound === true)!.body);
        expect(isContactNotFoundText(rule, again.status, again.text)).toBe(true);
        const noRoute = await fetch(`${fake.url}/no/such/route`, { method: "DELETE" });
        expect(noRoute.status).toBe(404);
        expect(isContactNotFoundText(rule, noRoute.status, await noRoute.text())).toBe(false);
      },
    );

    it("records raw path, raw query, lower-cased headers and the status", async () => {
      await call(fake, "close", "x y", { headers: { "X-Custom": "1" } });
      await call(fake, "truto", fake.seeded.truto[0]!, { query: `${validQuery(fake, "truto")}&remote_query%5Bfoo%5D=b%20r` });
      expect(fake.requests).toHaveLength(2);
      expect(fake.requests[0]).toMatchObject({
        provider: "close",
        method: "DELETE",
        path: "/api/v1/contact/x%20y/",
        query: "",
        status: 404,
      });
      expect(fake.requests[0]!.headers["x-custom"]).toBe("1");
      expect(fake.requests[1]).toMatchObject({
        provider: "truto",
        path: `/unified/crm/contacts/${fake.seeded.truto[0]}`,
        query: `${validQuery(fake, "truto")}&remote_query%5Bfoo%5D=b%20r`,
        status: 200,
      });
    });
  });

  describe("faults", () => {
    it("sends the given status, headers and JSON or verbatim string body", async () => {
      fake.queueFault({ status: 503, headers: { "retry-after": "2" }, body: { oops: true } });
      fake.queueFault({ status: 502, body: "<html>bad gateway</html>", headers: { "content-type": "text/html" } });
      const id = fake.seeded.userapi[0]!;
      const first = await call(fake, "userapi", id);
      expect(first.status).toBe(503);
      expect(first.headers.get("retry-after")).toBe("2");
      expect(first.body).toEqual({ oops: true });
      expect(first.headers.get("x-request-id")).toMatch(/^fake-\d+$/);
      const second = await call(fake, "userapi", id);
      expect(second.status).toBe(502);
      expect(second.text).toBe("<html>bad gateway</html>");
      expect(second.headers.get("content-type")).toBe("text/html");
      expect(fake.has("userapi", id)).toBe(true);
      expect((await call(fake, "userapi", id)).status).toBe(200);
    });

    it("delays the answer by delayMs, then runs the normal handler", async () => {
      fake.queueFault({ delayMs: 150 });
      const started = performance.now();
      const res = await call(fake, "featurebase", fake.seeded.featurebase[0]!);
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
      expect(res.status).toBe(200);
    });

    it("drops the connection (fetch rejects) and keeps serving afterwards", async () => {
      fake.queueFault({ drop: true });
      const id = fake.seeded.wethod[0]!;
      await expect(call(fake, "wethod", id)).rejects.toThrow();
      expect(fake.has("wethod", id)).toBe(true);
      expect(fake.requests.at(-1)!.status).toBeNull();
      expect((await call(fake, "wethod", id)).status).toBe(200);
    });

    it("applyDelete + drop leaves the contact deleted (the retry then gets 404)", async () => {
      fake.queueFault({ applyDelete: true, drop: true });
      const id = fake.seeded.close[0]!;
      await expect(call(fake, "close", id)).rejects.toThrow();
      expect(fake.has("close", id)).toBe(false);
      expect((await call(fake, "close", id)).status).toBe(404);
    });

    it("applyDelete + status answers the canned status after doing the work", async () => {
      fake.queueFault({ applyDelete: true, status: 504 });
      const id = fake.seeded.truto[0]!;
      expect((await call(fake, "truto", id)).status).toBe(504);
      expect(fake.has("truto", id)).toBe(false);
    });

    it("repeats a fault `times` times, then serves normally", async () => {
      fake.queueFault({ status: 500, times: 2 });
      const id = fake.seeded.userapi[0]!;
      expect((await call(fake, "userapi", id)).status).toBe(500);
      expect((await call(fake, "userapi", id)).status).toBe(500);
      expect((await call(fake, "userapi", id)).status).toBe(200);
    });

    it("only lets the named provider consume a provider-filtered fault, in queue order", async () => {
      fake.queueFault({ provider: "close", status: 503 });
      fake.queueFault({ status: 500 });
      fake.queueFault({ status: 502 });
      // truto skips the close-only fault and takes the first open one.
      expect((await call(fake, "truto", fake.seeded.truto[0]!)).status).toBe(500);
      expect((await call(fake, "close", fake.seeded.close[0]!)).status).toBe(503);
      expect((await call(fake, "close", fake.seeded.close[0]!)).status).toBe(502);
      expect((await call(fake, "close", fake.seeded.close[0]!)).status).toBe(200);
    });

    it("hands faults out in arrival order to concurrent requests", async () => {
      fake.queueFault({ status: 501, delayMs: 60 });
      fake.queueFault({ status: 502 });
      const first = call(fake, "userapi", "contact_a");
      await sleep(20); // make sure the first request has arrived
      const second = call(fake, "userapi", "contact_b");
      const [a, b] = await Promise.all([first, second]);
      expect([a.status, b.status]).toEqual([501, 502]);
    });

    it("rejects invalid faults synchronously", () => {
      expect(() => fake.queueFault({ times: 0, status: 500 })).toThrow(TypeError);
      expect(() => fake.queueFault({ status: 42 })).toThrow(TypeError);
      expect(() => fake.queueFault({ body: "x" })).toThrow(TypeError);
      expect(() => fake.queueFault({ provider: "nope" as ProviderName })).toThrow(TypeError);
      expect(() => fake.queueFault({ status: 500, headers: { "bad header": "x" } })).toThrow();
      expect(() => fake.queueFault({ example: "legacyNested" })).toThrow(/needs a provider/);
      expect(() => fake.queueFault({ provider: "close", example: "noSuchExample" })).toThrow(
        /close has no response example "noSuchExample"/,
      );
      expect(() => fake.queueFault({ provider: "close", example: "legacyNested", status: 500 })).toThrow(/own status/);
    });

    it("answers a fault's named spec example with its status, headers and body", async () => {
      fake.queueFault({ provider: "truto", example: "accountNotFound", headers: { "x-extra": "1" } });
      const res = await call(fake, "truto", fake.seeded.truto[0]!);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(example("truto", 404, "accountNotFound"));
      expect(res.headers.get("x-extra")).toBe("1");
      expect(fake.has("truto", fake.seeded.truto[0]!)).toBe(true);
    });

    it("reset() clears queued faults, restores seeds and empties the log", async () => {
      const id = fake.seeded.featurebase[0]!;
      expect((await call(fake, "featurebase", id)).status).toBe(200);
      fake.queueFault({ status: 500 });
      fake.reset();
      expect(fake.requests).toHaveLength(0);
      expect(fake.has("featurebase", id)).toBe(true);
      expect((await call(fake, "featurebase", id)).status).toBe(200);
    });
  });

  describe("helpers", () => {
    it("clientConfig points at the fake with its credentials", () => {
      expect(fake.clientConfig("truto")).toEqual({
        provider: "truto",
        token: fake.credentials.truto.token,
        integratedAccountId: fake.credentials.truto.integratedAccountId,
        baseUrl: fake.url,
      });
      expect(fake.clientConfig("close")).toEqual({ provider: "close", apiKey: fake.credentials.close.apiKey, baseUrl: fake.url });
      expect(fake.clientConfig("wethod").company).toBe(fake.credentials.wethod.company);
    });

    it("summarizes the url and seeded ids, marking deleted ones", async () => {
      const id = fake.seeded.close[0]!;
      await call(fake, "close", id);
      const summary = summarizeFakeProviders(fake);
      expect(summary.url).toBe(fake.url);
      expect(summary.providers.map((p) => p.provider)).toEqual([...providerNames]);
      expect(summary.providers.find((p) => p.provider === "close")!.contacts[0]).toEqual({ id, exists: false });
      const text = formatFakeProvidersSummary(fake);
      expect(text).toContain(fake.url);
      expect(text).toContain(`${id} (deleted)`);
      for (const p of providerNames) expect(text).toContain(fake.seeded[p][1]!);
    });
  });
});

describe("fake providers (options)", () => {
  it("rateLimit answers 429 with Retry-After and provider headers beyond N per second", async () => {
    const fake = await startFakeProviders({ rateLimit: { perSecond: 2 } });
    // The fake's windows are clock-aligned seconds: start each group of three calls just after a
    // boundary, so that a slow machine does not spread one group over two windows.
    const nextWindow = () => sleep(1005 - (Date.now() % 1000));
    try {
      await nextWindow();
      const ok1 = await call(fake, "truto", fake.seeded.truto[0]!);
      const ok2 = await call(fake, "truto", fake.seeded.truto[1]!);
      const limited = await call(fake, "truto", fake.seeded.truto[2]!);
      expect([ok1.status, ok2.status, limited.status]).toEqual([200, 200, 429]);
      expect(ok1.headers.get("ratelimit-limit")).toBe("2");
      expect(ok1.headers.get("ratelimit-remaining")).toBe("1");
      expect(ok2.headers.get("ratelimit-remaining")).toBe("0");
      expect(limited.body).toEqual(example("truto", 429));
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(limited.headers.get("ratelimit-remaining")).toBe("0");
      expect(fake.has("truto", fake.seeded.truto[2]!)).toBe(true);

      // Each provider has its own window and header dialect.
      await nextWindow();
      await call(fake, "close", fake.seeded.close[0]!);
      await call(fake, "close", fake.seeded.close[1]!);
      const close = await call(fake, "close", fake.seeded.close[2]!);
      expect(close.status).toBe(429);
      expect(close.headers.get("ratelimit")).toMatch(/^limit=2, remaining=0, reset=[1-9]\d*$/);
      expect(close.body).toEqual(example("close", 429));

      await nextWindow();
      await call(fake, "featurebase", fake.seeded.featurebase[0]!);
      await call(fake, "featurebase", fake.seeded.featurebase[1]!);
      const fb = await call(fake, "featurebase", fake.seeded.featurebase[2]!);
      expect(fb.status).toBe(429);
      expect(fb.headers.get("x-ratelimit-limit")).toBe("2");
      // The spec's example is epoch seconds, so the fake sends epoch seconds too.
      expect(Number(fb.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000 - 1);

      await nextWindow();
      await call(fake, "wethod", fake.seeded.wethod[0]!);
      await call(fake, "wethod", fake.seeded.wethod[1]!);
      const w = await call(fake, "wethod", fake.seeded.wethod[2]!);
      expect(w.status).toBe(429);
      expect(Number(w.headers.get("x-ratelimit-retry-after"))).toBeGreaterThanOrEqual(1);

      // After the window the same request goes through.
      await sleep(Number(limited.headers.get("retry-after")) * 1000 + 20);
      expect((await call(fake, "truto", fake.seeded.truto[2]!)).status).toBe(200);
    } finally {
      await fake.close();
    }
  });

  it("cors answers preflights and exposes headers on every response", async () => {
    const fake = await startFakeProviders({ cors: true });
    try {
      const path = manifest.close.operation.path.replace("{id}", fake.seeded.close[0]!);
      const pre = await fetch(`${fake.url}${path}`, {
        method: "OPTIONS",
        headers: {
          origin: "http://localhost:5173",
          "access-control-request-method": "DELETE",
          "access-control-request-headers": "authorization",
        },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe("*");
      expect(pre.headers.get("access-control-allow-methods")).toContain("DELETE");
      expect(pre.headers.get("access-control-allow-headers")).toBe("authorization");
      expect(Number(pre.headers.get("access-control-max-age"))).toBeGreaterThan(0);
      // A preflight neither deletes nor consumes a fault.
      expect(fake.has("close", fake.seeded.close[0]!)).toBe(true);
      const res = await call(fake, "close", fake.seeded.close[0]!);
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-expose-headers")).toBe("*");
      const denied = await call(fake, "close", fake.seeded.close[1]!, { headers: { authorization: undefined } });
      expect(denied.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      await fake.close();
    }
  });

  it("record: false keeps the request log empty", async () => {
    const fake = await startFakeProviders({ record: false });
    try {
      for (const id of fake.seeded.userapi) expect((await call(fake, "userapi", id)).status).toBe(200);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it('contacts: "any" accepts every well-formed id exactly once', async () => {
    const fake = await startFakeProviders({ contacts: "any" });
    try {
      expect(fake.has("featurebase", "0123456789abcdef01234567")).toBe(true);
      expect(fake.has("featurebase", "nope")).toBe(false);
      expect((await call(fake, "featurebase", "0123456789abcdef01234567")).status).toBe(200);
      expect((await call(fake, "featurebase", "0123456789abcdef01234567")).status).toBe(404);
      expect((await call(fake, "featurebase", "nope")).status).toBe(400);
      expect((await call(fake, "wethod", "987654")).status).toBe(200);
      expect(fake.has("wethod", "987654")).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it("answerDelayMs applies the delete at once and answers within [min, max] ms later", async () => {
    // A delay long enough that a loaded machine's scheduling cannot outlast it between arrival and check.
    const fake = await startFakeProviders({ answerDelayMs: { min: 1000, max: 1100 } });
    try {
      const [id] = fake.seeded.close as [string];
      const started = performance.now();
      const pending = call(fake, "close", id);
      while (fake.requests.length === 0) await sleep(5);
      // Decided and applied on arrival, though not answered yet.
      expect(fake.has("close", id)).toBe(false);
      expect(fake.requests[0]!.status).toBeNull();
      expect((await pending).status).toBe(200);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(995);
      expect(elapsed).toBeLessThan(4000);
      expect(fake.requests[0]!.status).toBe(200);
      expect((await call(fake, "close", id)).status).toBe(404); // the second delete: already gone
    } finally {
      await fake.close();
    }
    await expect(startFakeProviders({ answerDelayMs: { min: 5, max: 1 } })).rejects.toThrow(/answerDelayMs/);
  });

  it("honours seedCount and credential overrides", async () => {
    const fake = await startFakeProviders({
      seedCount: 8,
      credentials: { truto: { token: "t2" } as never, close: { apiKey: "k2", accessToken: "a2" } },
    });
    try {
      for (const p of providerNames) expect(fake.seeded[p]).toHaveLength(8);
      expect(fake.credentials.truto.token).toBe("t2");
      // A partial override keeps the other defaults.
      expect(fake.credentials.truto.integratedAccountId).toMatch(/^[0-9a-f-]{36}$/);
      expect((await call(fake, "close", fake.seeded.close[0]!, { headers: { authorization: basic("k2", "") } })).status).toBe(200);
      expect((await call(fake, "truto", fake.seeded.truto[0]!, { headers: { authorization: "Bearer t2" } })).status).toBe(200);
    } finally {
      await fake.close();
    }
    const none = await startFakeProviders({ seedCount: 0 });
    expect(none.seeded.close).toEqual([]);
    await none.close();
  });

  it("close() ends a pending delayed request promptly and leaves nothing running", async () => {
    // libuv releases a closed handle in the loop's close phase, after the JS close event.
    const count = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const servers = async () => {
      await sleep(10);
      return count("TCPServerWrap");
    };
    const baseline = await servers();
    const timersBefore = count("Timeout");
    const fake = await startFakeProviders();
    expect(await servers()).toBe(baseline + 1);
    fake.queueFault({ delayMs: 10_000 });
    const pending = call(fake, "userapi", fake.seeded.userapi[0]!);
    const pendingOutcome = pending.then(
      () => "resolved",
      () => "rejected",
    );
    await sleep(30);
    const started = performance.now();
    await fake.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pendingOutcome).toBe("rejected");
    expect(fake.server.listening).toBe(false);
    await fake.close(); // safe twice
    expect(await servers()).toBe(baseline);
    // The 10 s delay timer is gone too (the process could exit now).
    expect(count("Timeout")).toBeLessThanOrEqual(timersBefore);
  });
});
