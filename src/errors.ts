import type { ProviderName } from "./providers/names.js";

/** Every way a contactkit call can fail. One code per failure kind; see the README's error reference. */
export type ContactkitErrorCode =
  | "invalid_input"
  | "config"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  /** A 404 that is not the provider's "contact does not exist" answer (wrong base URL, proxy, unknown account). */
  | "endpoint_not_found"
  | "validation_failed"
  | "precondition_failed"
  | "conflict"
  | "rate_limited"
  | "provider_error"
  | "timeout"
  | "network"
  | "aborted"
  | "invalid_response"
  | "still_present";

export interface ContactkitErrorInit {
  code: ContactkitErrorCode;
  message: string;
  provider?: ProviderName | null;
  contactId?: string | null;
  status?: number | null;
  retryable?: boolean;
  requestId?: string | null;
  attempts?: number;
  raw?: unknown;
  retryAfterMs?: number | null;
  headers?: Record<string, string>;
  mayHaveApplied?: boolean;
  verification?: ContactkitError | null;
  cause?: unknown;
}

// A registry-wide symbol, so the guard recognises errors thrown by another copy of this module
// (ESM and CJS builds loaded side by side, or two installed versions).
const BRAND = Symbol.for("contactkit.error");
// Node's util.inspect looks this symbol up; using Symbol.for keeps the core free of `node:util`.
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * The one error type contactkit throws. `code` says what happened; `status`, `requestId`, `raw`
 * (the provider's parsed error body) and `retryAfterMs` say what the provider answered.
 * It never holds the request (which carries credentials), and its JSON and inspect forms list
 * only the fields below.
 */
export class ContactkitError extends Error {
  declare readonly code: ContactkitErrorCode;
  declare readonly provider: ProviderName | null;
  /** The contact id the call was about, when there was one. */
  declare readonly contactId: string | null;
  /** HTTP status of the last response, or null when none arrived. */
  declare readonly status: number | null;
  /** Whether trying the same call again later may succeed. */
  declare readonly retryable: boolean;
  declare readonly requestId: string | null;
  /** HTTP attempts made (0 when the call failed before sending anything). */
  declare readonly attempts: number;
  /** The provider's error body: parsed JSON, or the text as received, or null when empty. */
  declare readonly raw: unknown;
  /** How long the provider asked us to wait before trying again, when it said so. */
  declare readonly retryAfterMs: number | null;
  /** Response headers, with credential-like headers redacted. Empty when no response arrived. */
  declare readonly headers: Record<string, string>;
  /**
   * True when the delete may have been applied although the call failed: an attempt timed out,
   * lost its connection after sending, got a 5xx or a malformed 2xx, or was aborted in flight.
   * Check the contact before treating it as still present.
   */
  declare readonly mayHaveApplied: boolean;
  /**
   * Why a read-back (`verify`) could not settle the question, when one was tried and itself
   * failed: that read's own error (scrubbed like every error). The error it is attached to stands.
   * Null when no read-back was tried or it gave an answer.
   */
  declare readonly verification: ContactkitError | null;

  constructor(init: ContactkitErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ContactkitError";
    // One loop over the defaults: the fields, their order in JSON and their defaults in one place.
    const fields = this as unknown as Record<string, unknown>;
    for (const [field, fallback] of FIELDS) {
      fields[field] = (init as unknown as Record<string, unknown>)[field] ?? (field === "headers" ? {} : fallback);
    }
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The safe, serialisable view used by JSON.stringify, util.inspect and loggers. */
  toJSON(): Record<string, unknown> {
    // Own enumerable fields only: `stack`, `cause` (which may describe the request) and the brand
    // are non-enumerable; `message` is too, so it is added by name.
    return { ...(this as object), message: this.message };
  }

  [INSPECT](): string {
    // The default inspect output would walk `cause`, whose undici internals may mention the request.
    return `${this.stack}\n${JSON.stringify(this, null, 2)}`;
  }
}

// `instanceof ContactkitError` recognises an error from another copy of this class too (the ESM and
// CommonJS builds side by side, a provider subpath's own bundle, two installed versions) by its
// brand. Defined here rather than as a static member: lib typings disagree on whether Error has one.
Object.defineProperty(ContactkitError, Symbol.hasInstance, {
  // A subclass (`class MyError extends ContactkitError`) keeps the ordinary prototype check.
  value(this: unknown, value: unknown): boolean {
    if (this !== ContactkitError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (value as Record<symbol, unknown> | null | undefined)?.[BRAND] === true;
  },
});

/**
 * Every field the constructor sets, in order, with its default (`headers`: a fresh `{}`). A
 * revised copy carries all of them over, plus `message` and `cause`.
 */
const FIELD_DEFAULTS = {
  code: null,
  provider: null,
  contactId: null,
  status: null,
  retryable: false,
  requestId: null,
  attempts: 0,
  raw: null,
  retryAfterMs: null,
  headers: null,
  mayHaveApplied: false,
  verification: null,
} satisfies { [K in Exclude<keyof ContactkitErrorInit, "message" | "cause">]-?: unknown };
const FIELDS = Object.entries(FIELD_DEFAULTS);

/** A copy of `error` with some fields changed (errors are immutable); the cause is kept. */
export function reviseError(error: ContactkitError, changes: Partial<ContactkitErrorInit>): ContactkitError {
  const init = { message: error.message, cause: error.cause } as Record<string, unknown>;
  for (const field in FIELD_DEFAULTS) init[field] = error[field as keyof typeof FIELD_DEFAULTS];
  return new ContactkitError({ ...(init as unknown as ContactkitErrorInit), ...changes });
}

/** `invalid_input`: a bad id or option, refused before anything was sent. */
export function inputError(provider: ProviderName, title: string, problem: string, contactId: string | null = null): ContactkitError {
  return new ContactkitError({ code: "invalid_input", provider, contactId, message: `${title}: ${problem}. Nothing was sent.` });
}

/** True for any contactkit error, including ones thrown by another copy of the library. */
export function isContactkitError(value: unknown): value is ContactkitError {
  return (
    typeof value === "object" &&
    value !== null &&
    ((value as Record<symbol, unknown>)[BRAND] === true ||
      ((value as Error).name === "ContactkitError" && typeof (value as ContactkitError).code === "string"))
  );
}

const STATUS_CODES: Partial<Record<number, ContactkitErrorCode>> = {
  400: "validation_failed",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  408: "timeout",
  409: "conflict",
  412: "precondition_failed",
  422: "validation_failed",
  429: "rate_limited",
};

/** Maps an HTTP status to its code and whether retrying can help. */
export function classifyStatus(status: number): { code: ContactkitErrorCode; retryable: boolean } {
  return { code: STATUS_CODES[status] ?? "provider_error", retryable: status === 408 || status === 429 || status >= 500 };
}

/** The most specific text an unknown thrown value carries (undici hides socket errors in `cause`). */
export function errorText(error: unknown): string {
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause;
  return typeof cause?.message === "string" ? cause.message : error instanceof Error ? error.message : String(error);
}
