/**
 * The redirect policy. A DELETE is never moved: a redirect is followed only when the method,
 * the origin (credentials stay where they were configured) and the path and query stay the same,
 * up to one trailing slash. Anything else would delete another record (or the collection, or `/`)
 * and still come back as "deleted".
 */
import type { OutgoingRequest } from "./light-request.js";

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export type RedirectDecision =
  | { kind: "none" }
  /** `sent`: the counts with this hop added, for the next decision. */
  | { kind: "follow"; request: OutgoingRequest; sent: Map<string, number> }
  /** `mayHaveApplied`: the answer says the request was processed (a 303 "see other"). */
  | { kind: "refuse"; reason: string; mayHaveApplied: boolean };

/**
 * `sent` counts the requests per URL so far in this attempt (undefined: only `request`, once;
 * the map is made on the first redirect). A server may send a request back to the same URL once
 * (a "try again here"); the third time is a loop and is refused at once.
 */
export function decideRedirect(response: Response, request: OutgoingRequest, sent: Map<string, number> | undefined): RedirectDecision {
  // One template for every refusal: what was refused, where to, and why.
  const refuse = (status: string, to: string, why: string, mayHaveApplied = false): RedirectDecision => ({
    kind: "refuse",
    reason: `refused a ${status}redirect to ${to}${why}`,
    mayHaveApplied,
  });
  const credentials = ": credentials stay on the configured origin";
  // Browsers hide the target of manual redirects: we cannot prove it is the same URL.
  if (response.type === "opaqueredirect") return refuse("", "an undisclosed location", credentials);
  const status = response.status;
  if (!REDIRECT_STATUSES.has(status)) return { kind: "none" };
  const location = response.headers.get("location");
  if (location === null) return { kind: "none" };
  const code = `${status} `;
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    return refuse(code, "an unparseable location", "");
  }
  const from = new URL(request.url);
  if (target.origin !== from.origin) return refuse(code, `another origin (${target.host})`, credentials);
  const where = printablePath(target);
  // "See other": the server handled the DELETE and points at a result to GET. Never re-sent as a GET.
  if (status === 303) return refuse(code, where, ": it would turn the DELETE into a GET", true);
  if (withoutTrailingSlash(target.pathname) !== withoutTrailingSlash(from.pathname) || target.search !== from.search) {
    return refuse(code, where, ": a delete is never moved to another path or query");
  }
  // Keyed by normalized URLs: `from.href`, not the request's string as openapi-fetch built it.
  const counts = sent ?? new Map([[from.href, 1]]);
  const seen = counts.get(target.href) ?? 0;
  if (seen >= 2) return refuse(code, where, ": a redirect loop on the same origin");
  const hops = [...counts.values()].reduce((sum, n) => sum + n, 0);
  if (hops > MAX_REDIRECTS) return refuse(code, where, `: too many redirects (${hops}) on the same origin`);
  counts.set(target.href, seen + 1);
  return { kind: "follow", request: { ...request, url: target.href }, sent: counts };
}

function withoutTrailingSlash(path: string): string {
  return path.endsWith("/") ? path.slice(0, -1) : path;
}

/** The target path (and query) for a message, bounded: a hostile server chooses it. */
function printablePath(url: URL): string {
  const text = JSON.stringify(`${url.pathname}${url.search}`);
  return text.length > 200 ? `${text.slice(0, 200)}…"` : text;
}
