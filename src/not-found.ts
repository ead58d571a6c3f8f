/**
 * Which 404 means "this contact does not exist" (issue 10). A 404 is only that when its body is
 * the provider's own answer, as each spec's `x-contactkit-not-found` says (copied into
 * generated/<provider>.facts.ts as `<operation>NotFound`). Any other 404 — an HTML page from a
 * proxy or a wrong base URL, an empty body, Truto's "integrated account not found" — says nothing
 * about the contact, so it must never become `absent` (or "does not exist" in a read-back).
 */
import { isRecord } from "./contact.js";

/**
 * Dotted body path → the exact JSON scalar it must hold (`{ "error.code": "resource_not_found" }`).
 * `{}`: any JSON object (the provider documents no 404 body); `null`: the operation documents no 404.
 */
export type NotFoundRule = Readonly<Record<string, string | number | boolean>> | null;

/** Whether a parsed body satisfies a rule: a JSON object whose every listed path holds its value. */
export function matchesNotFoundRule(rule: NotFoundRule, body: unknown): boolean {
  if (rule === null || !isRecord(body)) return false;
  return Object.entries(rule).every(([path, expected]) => valueAt(body, path) === expected);
}

/**
 * True only for the provider's own "this contact does not exist" answer: status 404 and a JSON
 * object body matching the provider's rule. `body` is the parsed JSON value, or `undefined` when
 * the body was empty or not JSON (never a match). Pass the adapter (its `notFound` is the delete's
 * rule) or `{ notFound: facts.getContactNotFound }` for another operation.
 */
export function isContactNotFound(source: { readonly notFound: NotFoundRule }, status: number, body: unknown): boolean {
  return status === 404 && matchesNotFoundRule(source.notFound, body);
}

/** The same, from the body text as received (an unparseable or empty text is never a match). */
export function isContactNotFoundText(source: { readonly notFound: NotFoundRule }, status: number, text: string): boolean {
  if (status !== 404) return false;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  return isContactNotFound(source, status, body);
}

/**
 * The message tail for a 404 that is not about the contact: says so, and what to check (the
 * adapter's hint, e.g. the base URL, or Truto's integrated account id).
 */
export function foreignNotFoundText(
  adapter: { readonly title: string; foreignNotFoundHint(body: unknown): string },
  body: unknown,
): string {
  return ` Not ${adapter.title}'s "no such contact" 404, so whether the contact exists is unknown: ${adapter.foreignNotFoundHint(body)}.`;
}

/** The hint when a provider has no better one: a 404 for every path usually means the wrong host. */
export const BASE_URL_HINT = "check the base URL (a wrong host or proxy answers 404 to any path)";

function valueAt(body: Record<string, unknown>, path: string): unknown {
  let node: unknown = body;
  for (const key of path.split(".")) {
    if (!isRecord(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}
