import { inputError, type ContactkitError } from "./errors.js";
import type { ProviderName } from "./providers/names.js";

// Control characters (C0, DEL, C1): never part of a real id, and a classic header/log injection vector.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Format characters (bidi marks, zero-width space and joiners, word joiner, BOM): invisible, so an
// id carrying one looks right in every log while naming a contact that does not exist.
const FORMAT = /\p{Cf}/u;
// With the `u` flag only an unpaired surrogate matches: it cannot be encoded into a URL faithfully.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Checks that apply to every provider, before any request is built. `.` and `..` matter most:
 * the URL parser resolves them as dot segments, so `DELETE /contacts/..` would reach the API root
 * (openapi-fetch issue #2483; encoding them does not help, `%2e` is a dot to the parser too).
 */
export function assertUsableId(provider: ProviderName, id: unknown, title: string = provider): asserts id is string {
  const reason = unusableIdReason(id);
  if (reason) throw invalidId(provider, id, reason, title);
}

function unusableIdReason(id: unknown): string | null {
  if (typeof id !== "string") return `it is ${id === null ? "null" : typeof id}, not a string`;
  if (id.length === 0) return "it is empty";
  // `trim` knows every Unicode space (NBSP, ideographic space, …), not just ASCII ones; an id of
  // spaces only fails here too.
  if (id !== id.trim()) return "it has leading or trailing whitespace";
  if (id === "." || id === "..") return "a dot segment would change the URL path";
  if (CONTROL.test(id)) return "it contains control characters";
  if (FORMAT.test(id)) return "it contains invisible format characters";
  if (LONE_SURROGATE.test(id)) return "it contains an unpaired surrogate";
  if (id.length > 512) return "it is longer than 512 characters";
  return null;
}

/** `title`: the provider's own name ("Close"), which starts the message like every per-id message. */
export function invalidId(provider: ProviderName, id: unknown, reason: string, title: string = provider): ContactkitError {
  return inputError(provider, title, `invalid contact id ${describeId(id)}: ${reason}`, typeof id === "string" ? id : null);
}

/**
 * A short, printable rendering of a possibly hostile id for messages (control, format and
 * surrogate characters escaped). A non-string is described by its type only: converting it could
 * throw (null-prototype object, hostile `toString`) or run caller code.
 */
function describeId(id: unknown): string {
  if (typeof id !== "string") return id === null ? "null" : Array.isArray(id) ? "(an array)" : `(a ${typeof id})`;
  return JSON.stringify(id.slice(0, 64)).replace(
    /[\u007f-\u009f\p{Cf}\p{Cs}]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
