import type { Server } from "node:http";
import type { ProviderName } from "../providers/names.js";
import type { ToolingRegistry } from "../tooling-registry.js";

/**
 * One queued fault. Faults are consumed in order by the next matching requests (one per request;
 * `times` repeats it). Unmatched requests are served normally.
 *
 * How a fault plays out, in order:
 * 1. `applyDelete: true` performs the real delete first (the state changes), as a server that did
 *    the work but failed to tell the client would.
 * 2. `delayMs` waits before answering (headers are not sent until then).
 * 3. `drop: true` destroys the socket without an answer (a dropped connection).
 *    Otherwise, when `status` is set, that status, `headers` and `body` are sent as is.
 *    Otherwise the normal handler runs (auth checks, delete, spec example body).
 */
export interface FakeFault {
  /** Only requests to this provider consume the fault. Default: any provider. */
  provider?: ProviderName;
  /**
   * Which requests consume the fault: `"DELETE"` (the delete), `"GET"` (the read-one-contact
   * endpoint, e.g. a `verify` read-back) or `"any"`. Default `"DELETE"`, so fault queues written
   * for deletes mean the same when reads are sent too. `applyDelete` needs `"DELETE"` or `"any"`.
   */
  method?: "DELETE" | "GET" | "any";
  /** How many consecutive matching requests this fault applies to. Default 1. */
  times?: number;
  applyDelete?: boolean;
  delayMs?: number;
  drop?: boolean;
  status?: number;
  /**
   * Answer with the spec's response example of this name (its status, headers and body), e.g.
   * Close's `legacyNested` 429 or Truto's `accountNotFound` 404; needs `provider`, excludes
   * `status` and `body`; `headers` are added to the example's.
   */
  example?: string;
  headers?: Record<string, string>;
  /** A string is sent verbatim; anything else is JSON-encoded. Omit for an empty body. */
  body?: unknown;
}

/** What the fake saw, for asserting the exact wire request. */
export interface RecordedRequest {
  provider: ProviderName | null;
  method: string;
  /** Path exactly as received, before decoding (e.g. `/api/v1/contact/cont_1/`). */
  path: string;
  /** Raw query string without the leading `?`, `""` when absent. */
  query: string;
  headers: Record<string, string>;
  /** The status the fake answered with (null when the connection was dropped). */
  status: number | null;
}

/** The credentials the fake accepts, per provider (each provider's tooling says which). */
export type FakeCredentials = { [P in ProviderName]: ToolingRegistry[P]["fake"]["credentials"] };

export interface FakeProvidersOptions {
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
  /** Seeded contacts per provider. Default 5. */
  seedCount?: number;
  /**
   * "seeded" (default): only seeded ids exist. "any": every well-formed id exists until deleted
   * once (for bulk runs with many ids).
   */
  contacts?: "seeded" | "any";
  /** Override the credentials the fake accepts. */
  credentials?: Partial<FakeCredentials>;
  /** Answer CORS preflights and add `Access-Control-Allow-Origin: *` (for browser tests). */
  cors?: boolean;
  /**
   * Server-side rate limit per provider: beyond `perSecond` requests in a one-second window (or
   * `limit` in a `windowMs` window, e.g. 2,000 a minute) the fake answers 429 with `Retry-After`
   * (seconds) and the provider's own rate-limit headers. Windows start on multiples of their length.
   */
  rateLimit?: { perSecond: number } | { limit: number; windowMs: number };
  /**
   * Keep the `requests` log. Default true. Set false for long benchmark runs: nothing is stored
   * per request, so memory stays flat (only the deleted-id set grows in `contacts: "any"` mode).
   */
  record?: boolean;
  /**
   * Answer every request this long after deciding it (a number, or a random delay in
   * `[min, max]` ms per request). The decision — the delete included — happens at once, as a
   * server that did the work and is slow to say so. Default: answer at once.
   */
  answerDelayMs?: number | { min: number; max: number };
}

export interface FakeProviders {
  /** Base URL of the server, e.g. `http://127.0.0.1:43123`, valid for every provider. */
  readonly url: string;
  readonly port: number;
  /** The underlying `node:http` server (e.g. to assert `listening === false` after `close()`). */
  readonly server: Server;
  readonly credentials: FakeCredentials;
  /** Seeded ids per provider (still present ones and deleted ones alike, in seed order). */
  readonly seeded: Record<ProviderName, string[]>;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** A ready `createContactsClient` config for a provider, pointing at this server. */
  clientConfig<P extends ProviderName>(provider: P): FakeClientConfig<P>;
  queueFault(fault: FakeFault): void;
  /** Whether the contact currently exists. */
  has(provider: ProviderName, id: string): boolean;
  /** Restore seeds, clear faults and the request log. */
  reset(): void;
  close(): Promise<void>;
}

/** A ready `createContactsClient` config for provider `P` pointing at the fake. */
export type FakeClientConfig<P extends ProviderName> = ReturnType<ToolingRegistry[P]["fake"]["clientConfig"]> & { baseUrl: string };
