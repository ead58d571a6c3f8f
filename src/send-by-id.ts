/**
 * The default send of an operation: its method on its path with the id, nothing else, body as
 * text (the retry loop reads it). Used for every provider's delete and read unless its module
 * writes its own `send` (a query, a body).
 *
 * openapi-fetch builds the request once per client, not once per call: a dry run with a marker
 * for the id is caught at openapi-fetch's `fetch` call, and its URL (split at the marker), method
 * and headers are what every later call sends, with the id filled in. Per call that saves
 * openapi-fetch's option spreading, its header merge (a new `Headers` each time) and its response
 * handling, ~16 µs CPU per id in a CLI run (docs/perf-notes.md, "Compiled default send"). The
 * bytes on the wire are the same: test/send-by-id.test.ts compares every provider's requests with
 * openapi-fetch's own, for hostile ids and base URLs.
 *
 * openapi-fetch 0.17 calls `fetch` synchronously when a client has no middleware (the facade's
 * clients have none). When the dry run yields no request (middleware, another openapi-fetch), the
 * marker is not in its URL exactly once as `encodeURIComponent` writes it (a base URL with a brace,
 * which openapi-fetch's path serializer fills too; another encoding), every call goes through the
 * client, with the id as a path parameter.
 */
import type { Client } from "openapi-fetch";
import type { OperationFacts, ReadContext } from "./adapter.js";
import type { OutgoingRequest } from "./transport/light-request.js";

/** What the default send takes of a call (a subset of SendContext and ReadContext). */
export interface SendByIdCall {
  client: unknown;
  id: string;
  fetch: ReadContext<{}, object>["fetch"];
}

/** The request openapi-fetch builds for a client, around the id. */
interface CompiledRequest {
  readonly head: string;
  readonly tail: string;
  readonly method: string;
  /**
   * openapi-fetch's merged headers, as a record each call copies: a `fetch` wrapper that adds a
   * header to `init.headers` (tracing) must not add it to every later call.
   */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Stands in for the id in the dry run. Its characters are ones `encodeURIComponent` escapes or
 * keeps where a stricter encoder might not (`!'()*.`), so the dry run also checks that openapi-fetch
 * encodes an id the way each call does; an openapi-fetch that encodes otherwise is used per call.
 */
const MARKER = "contactkit-id-5d1e9b/?%#é{} !'()*.";
const ENCODED_MARKER = encodeURIComponent(MARKER);
/** What the dry run's caught `fetch` answers: a 204 openapi-fetch returns from without reading a body. */
const NO_CONTENT = { status: 204, ok: true, headers: { get: () => null } } as unknown as Response;

export function sendById(operation: OperationFacts): (call: SendByIdCall) => Promise<{ response: Response }> {
  const { name, schema } = idParameter(operation);
  const method = operation.method.toUpperCase() as "DELETE" | "GET";
  // Per client (its base URL and headers are fixed); null: every call goes through the client.
  const compiled = new WeakMap<object, CompiledRequest | null>();
  // The client's way, with the id as a path parameter (as the schema's type: integer ids are numbers).
  const viaClient = (client: Client<Record<string, never>>, value: string | number, fetch: SendByIdCall["fetch"]) =>
    client[method](operation.path as never, { params: { path: { [name]: value } }, parseAs: "text", fetch } as never) as Promise<{
      response: Response;
    }>;

  return ({ client, id, fetch }) => {
    const typed = client as Client<Record<string, never>>;
    const value = schema.type === "integer" ? Number(id) : id;
    let request = compiled.get(typed);
    if (request === undefined) compiled.set(typed, (request = dryRun((capture) => viaClient(typed, MARKER, capture))));
    if (request === null) return viaClient(typed, value, fetch);
    const { head, tail, method: verb, headers } = request;
    const outgoing: OutgoingRequest = { url: head + encodeURIComponent(value) + tail, method: verb, headers: { ...headers }, body: null };
    return fetch(outgoing as unknown as Request).then((response) => ({ response }));
  };
}

/**
 * The request openapi-fetch builds with the marker for the id, caught before it is sent; null
 * when it does not come synchronously, or the marker is not in it exactly once (a base URL with a
 * brace: openapi-fetch's path serializer fills a placeholder there too).
 */
function dryRun(send: (capture: SendByIdCall["fetch"]) => Promise<unknown>): CompiledRequest | null {
  let caught: OutgoingRequest | undefined;
  const capture = (request: Request) => {
    caught = request as unknown as OutgoingRequest;
    return Promise.resolve(NO_CONTENT);
  };
  try {
    void send(capture).catch(() => undefined);
  } catch {
    return null;
  }
  // Anything but openapi-fetch's usual Headers and no body: not a request this send knows how to repeat.
  if (caught === undefined || !(caught.headers instanceof Headers) || caught.body !== null) return null;
  const [head, tail, extra] = caught.url.split(ENCODED_MARKER);
  if (tail === undefined || extra !== undefined) return null;
  const headers: Record<string, string> = {};
  caught.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { head: head!, tail, method: caught.method, headers };
}

export function idParameter(operation: OperationFacts): { name: string; schema: OperationFacts["parameters"][string]["schema"] } {
  const name = Object.keys(operation.parameters).find((key) => operation.parameters[key]!.in === "path")!;
  return { name, schema: operation.parameters[name]!.schema };
}
