/**
 * What openapi-fetch builds per call instead of a WHATWG `Request` (its `createClient` takes a
 * `Request` option). A real Request costs a signal and a URL parse, and undici's `fetch(request)`
 * then copies it into another one; the retry loop only needs these four fields. openapi-fetch
 * 0.17 uses `new Request(url, init)`, `.method` and `key in request`; `instanceof Request` only
 * on middleware results, and contactkit's clients have no middleware.
 */
export interface OutgoingRequest {
  readonly url: string;
  readonly method: string;
  /** openapi-fetch's `Headers`, or a record of its own per call (src/send-by-id.ts). */
  readonly headers: Headers | Record<string, string>;
  readonly body: BodyInit | null;
}

export class LightRequest implements OutgoingRequest {
  // `declare`: assigned in the constructor, no field initializers emitted (bundle bytes).
  declare readonly url: string;
  declare readonly method: string;
  declare readonly headers: Headers;
  declare readonly body: BodyInit | null;
  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method as string; // openapi-fetch always sets it
    this.headers = init.headers as Headers; // openapi-fetch's mergeHeaders makes a Headers object
    this.body = init.body ?? null;
  }
}
