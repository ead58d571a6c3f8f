/**
 * Secret hygiene. Two defences: headers that carry credentials are redacted by name, and the
 * literal secrets a client was configured with are scrubbed from any text or body we keep
 * (a provider may echo a bad token back in its error message).
 */

import { ContactkitError } from "./errors.js";

// Authorization and Proxy-Authorization, any cookie, key or token header (x-api-key, x-auth-token…).
const SENSITIVE_HEADER = /authorization|cookie|api-key|token|secret/i;

export const REDACTED = "[redacted]";

export function redactHeaders(headers: Headers, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = SENSITIVE_HEADER.test(name) ? REDACTED : scrubText(value, secrets);
  });
  return out;
}

export function scrubText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/** Deep copy of a parsed JSON body with every secret occurrence scrubbed from keys and strings. */
export function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === "string") return scrubText(value, secrets);
  if (value === null || typeof value !== "object") return value;
  // Deeper than any real error body: cut it rather than keep what we did not scrub.
  if (depth > 32) return "[truncated]";
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[scrubText(key, secrets)] = scrubValue(item, secrets, depth + 1);
  return out;
}

/**
 * Whether a body's text may hold a secret once parsed: JSON produces a secret only from the text
 * as written or through an escape, so without a backslash and without any form of a secret the
 * parsed value (and what is derived from it) needs no deep scrub. A secret with a space could be
 * assembled from two fields (a full name from first and last), so it always counts.
 */
export function mayHoldSecret(text: string, secrets: readonly string[]): boolean {
  if (text.includes("\\")) return true;
  for (const secret of secrets) if (secret.length >= 4 && (text.includes(secret) || secret.includes(" "))) return true;
  return false;
}

/**
 * The one exit check for errors: message, stack, raw, headers and requestId scrubbed, whoever
 * built the error. Returns the same error when none of them holds a secret (the usual case).
 */
export function scrubError<E extends ContactkitError>(error: E, secrets: readonly string[]): E {
  const stack = error.stack ?? "";
  const dirty =
    holdsSecret(`${error.message}\n${stack}\n${error.requestId ?? ""}`, secrets, 0) ||
    holdsSecret(error.headers, secrets, 0) ||
    holdsSecret(error.raw, secrets, 0);
  if (!dirty) return error;
  const scrubbedHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(error.headers)) scrubbedHeaders[scrubText(name, secrets)] = scrubText(value, secrets);
  const copy = new ContactkitError({
    ...error,
    message: scrubText(error.message, secrets),
    requestId: error.requestId === null ? null : scrubText(error.requestId, secrets),
    headers: scrubbedHeaders,
    raw: scrubValue(error.raw, secrets),
    cause: (error as { cause?: unknown }).cause,
  });
  // Keep the original frames (where it went wrong), minus any secret the message put in them.
  Object.defineProperty(copy, "stack", { value: scrubText(stack, secrets), writable: true, configurable: true });
  return copy as E;
}

function holdsSecret(value: unknown, secrets: readonly string[], depth: number): boolean {
  if (typeof value === "string") return secrets.some((secret) => secret.length >= 4 && value.includes(secret));
  if (value === null || typeof value !== "object") return false;
  if (depth > 32) return true;
  if (Array.isArray(value)) return value.some((item) => holdsSecret(item, secrets, depth + 1));
  return Object.entries(value).some(([key, item]) => holdsSecret(key, secrets, 0) || holdsSecret(item, secrets, depth + 1));
}

/**
 * A credential can come back from a provider in the form it was sent or in an encoded form
 * (`Basic base64(key:)` is how Close sends keys, and a misbehaving proxy might echo any of them),
 * so every form is scrubbed.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    // As it would appear in a URL or form body a provider echoes back.
    forms.add(encodeURIComponent(secret));
    // btoa only takes Latin-1; credentials outside it cannot be Basic-encoded by us anyway.
    if (/^[\x00-\xff]*$/.test(secret)) {
      forms.add(btoa(`${secret}:`));
      forms.add(btoa(secret));
    }
  }
  return [...forms];
}
