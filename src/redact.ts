/**
 * Secret hygiene. Two defences: headers that carry credentials are redacted by name, and the
 * literal secrets a client was configured with are scrubbed from any text or body we keep
 * (a provider may echo a bad token back in its error message).
 */

import { reviseError, type ContactkitError } from "./errors.js";

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
 * parsed value (and what is derived from it) needs no deep scrub.
 */
export function mayHoldSecret(text: string, secrets: readonly string[]): boolean {
  return text.includes("\\") || holds(text, secrets);
}

/**
 * Whether `text` holds a secret as is. A secret with a space could be assembled from two fields (a
 * full name from first and last), and one that JSON escapes would not appear as is in JSON text:
 * both always count.
 */
function holds(text: string, secrets: readonly string[]): boolean {
  for (const secret of secrets) if (secret.length >= 4 && (text.includes(secret) || /[\s"\\\p{Cc}]/u.test(secret))) return true;
  return false;
}

/**
 * The one exit check for errors: message, stack, raw, headers and requestId scrubbed, whoever
 * built the error. Returns the same error when none of them can hold a secret (the usual case).
 */
export function scrubError<E extends ContactkitError>(error: E, secrets: readonly string[]): E {
  const stack = error.stack ?? "";
  // toJSON covers message, raw, headers and requestId; a JSON escape or a secret form means "scrub".
  if (!holds(JSON.stringify(error) + stack, secrets)) return error;
  const copy = reviseError(error, {
    message: scrubText(error.message, secrets),
    requestId: scrubValue(error.requestId, secrets) as string | null,
    headers: scrubValue(error.headers, secrets) as Record<string, string>,
    raw: scrubValue(error.raw, secrets),
  });
  // Keep the original frames (where it went wrong), minus any secret the message put in them.
  Object.defineProperty(copy, "stack", { value: scrubText(stack, secrets), writable: true, configurable: true });
  return copy as E;
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
