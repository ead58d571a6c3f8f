// The FLOOR of issue 16: the least any design can do per call while keeping openapi-fetch (and
// its types) and a per-attempt abort signal. A light Request-like object instead of a WHATWG
// `Request` (openapi-fetch's `createClient` takes `Request` and `fetch` options), one
// AbortController + timer per attempt, the body read under that timer, `JSON.parse`, a result
// object. No retries, no scrubbing, no redirects: a measuring stick, not a client.
import createOpenApiClient from "openapi-fetch";

/**
 * What openapi-fetch 0.17 needs from its `Request` (dist/index.mjs, coreFetch): `new Request(url,
 * init)`, `request.method` (its HEAD check) and `key in request` for the init keys it copies over.
 * `instanceof Request` is only checked on middleware results, and the floor has no middleware.
 */
export class LightRequest {
  constructor(url, init) {
    this.url = url;
    this.method = init.method;
    this.headers = init.headers; // a Headers object built by openapi-fetch's mergeHeaders
    this.body = init.body ?? null;
  }
}

/** openapi-fetch with a light Request and `fetch(url, init)`, nothing else (the "bare, light" row). */
export function createLightOpenApiClient({ baseUrl, headers, fetch = globalThis.fetch }) {
  return createOpenApiClient({
    baseUrl,
    headers,
    Request: LightRequest,
    fetch: (request) => fetch(request.url, { method: request.method, headers: request.headers, body: request.body }),
  });
}

/** The floor client: `deleteContact(id)` → `{ provider, id, outcome, status, raw, … }`. */
export function createFloorClient({ baseUrl, headers, fetch = globalThis.fetch, timeoutMs = 30_000 }) {
  const attempt = async (request) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const init = { method: request.method, headers: request.headers, body: request.body, signal: controller.signal, redirect: "manual" };
      const response = await fetch(request.url, init);
      const text = await response.text(); // under the timer: the timeout covers the body
      const { status, ok, headers: responseHeaders } = response;
      return { status, ok, headers: responseHeaders, text: () => Promise.resolve(text) };
    } finally {
      clearTimeout(timer);
    }
  };
  const client = createOpenApiClient({ baseUrl, headers, Request: LightRequest, fetch: attempt });
  return {
    async deleteContact(id) {
      const { data, response } = await client.DELETE("/v2/contacts/{id}", { params: { path: { id } }, parseAs: "text" });
      const raw = data ? JSON.parse(data) : null;
      const outcome = response.status >= 200 && response.status < 300 ? "deleted" : "failed";
      return {
        provider: "featurebase",
        id,
        outcome,
        status: response.status,
        raw,
        requestId: response.headers.get("x-request-id"),
        attempts: 1,
      };
    },
  };
}
