/**
 * Validation of the settings every provider shares, and the adapter's own, into one prepared form.
 * Table-driven: each option has one check that says what it must be, and one template
 * (`` `name` must be … ``) words every rejection, for client configs and per-call options alike.
 */
import type { AnyConnection, CommonClientOptions, PreparedProvider } from "./adapter.js";
import { ContactkitError } from "./errors.js";
import { secretForms } from "./redact.js";
import type { ProviderName } from "./providers/names.js";

export function configError(provider: ProviderName | null, problem: string): ContactkitError {
  const who = provider ?? "contactkit";
  return new ContactkitError({ code: "config", provider, message: `${who}: invalid configuration: ${problem}.` });
}

/**
 * The longest wait a timer can honour: Node (and browsers) run a longer `setTimeout` after 1 ms,
 * so a "no limit" of `Number.MAX_SAFE_INTEGER` would silently become a 1 ms timeout. Refused.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The largest response body read by default (after decompression); a bigger one ends the attempt. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;

/** Why a (defined) value is unusable, as the rest of "`name` …", or null when it is fine. */
export type Check = (value: unknown) => string | null;
/** The options a check table covers, each with its check. */
export type Checks = Readonly<Record<string, Check>>;

/** A check from a test and what the value must be ("a boolean"). */
export function must(ok: (value: unknown) => boolean, expected: string): Check {
  return (value) => (ok(value) ? null : `must be ${expected}`);
}

/** The first problem among `options`' defined values, as "`name` must be …", or null. */
export function firstProblem(checks: Checks, options: Record<string, unknown>): string | null {
  for (const key in checks) {
    const value = options[key];
    const problem = value === undefined ? null : checks[key]!(value);
    if (problem) return `\`${key}\` ${problem}`;
  }
  return null;
}

const isTimeout = (value: unknown) => isPositive(value) && value <= MAX_TIMER_MS;
const isDelay = (value: unknown) => typeof value === "number" && value >= 0 && value <= MAX_TIMER_MS;
const FUNCTION = must((value) => typeof value === "function", "a function");

/** The retry and timeout settings a client and a single call both accept. */
const TIMING_CHECKS = {
  maxRetries: must(isCount, "a whole number ≥ 0"),
  timeoutMs: must(isTimeout, `a number > 0 and ≤ ${MAX_TIMER_MS}`),
  totalTimeoutMs: must((value) => value === null || isTimeout(value), `a number > 0 and ≤ ${MAX_TIMER_MS}, or null for no overall limit`),
  maxResponseBytes: must((value) => isCount(value) && value >= 1 && value <= Number.MAX_SAFE_INTEGER, "a whole number ≥ 1"),
};

/** `provider` and the options every provider takes (CommonClientOptions); the compiler keeps the list complete. */
const CLIENT_CHECKS = {
  provider: () => null, // picked (and checked) before the adapter is known
  baseUrl: baseUrlProblem,
  fetch: FUNCTION,
  onRetry: FUNCTION,
  sleep: FUNCTION,
  ...TIMING_CHECKS,
  maxRetryAfterMs: must(isDelay, `a number from 0 to ${MAX_TIMER_MS}`),
  backoff: must(isBackoff, `an object: \`initialDelayMs\` and \`maxDelayMs\` numbers from 0 to ${MAX_TIMER_MS}, \`jitter\` a boolean`),
} satisfies { [K in keyof CommonClientOptions | "provider"]-?: Check };

/** The per-call options every provider shares. */
const CALL_CHECKS: Checks = {
  // The transport listens on it and reads `aborted`: a look-alike without those would fail mid-call.
  signal: must(isAbortSignalLike, "an AbortSignal"),
  missingOk: must((value) => typeof value === "boolean", "a boolean"),
  ...TIMING_CHECKS,
};

/** Checks the shared options and lets the adapter build its auth headers; throws `config` errors. */
export function prepareProvider(adapter: AnyConnection, config: Record<string, unknown>): PreparedProvider {
  const name = adapter.name as ProviderName;
  const unknownKey = Object.keys(config).find((key) => !Object.hasOwn(CLIENT_CHECKS, key) && !adapter.configKeys.includes(key));
  if (unknownKey !== undefined) throw configError(name, `unknown option \`${unknownKey}\` for ${name}`);
  const problem = firstProblem(CLIENT_CHECKS, config);
  if (problem) throw configError(name, problem);
  const baseUrl = (config.baseUrl as string | undefined) ?? adapter.defaultBaseUrl;
  if (baseUrl == null) {
    throw configError(name, "`baseUrl` is required (no public host is known)");
  }
  const prepared = adapter.prepare(config, baseUrl.replace(/\/+$/, ""));
  if (typeof prepared === "string") throw configError(name, prepared);
  return { ...prepared, secrets: secretForms(prepared.secrets) };
}

/**
 * Why `text` cannot be a base URL, or null. The path is appended to it as text, so anything that
 * would make the path land somewhere else is refused: a bare trailing `?` or `#` (the URL parser
 * reports an empty query/fragment, and the path would go after it), surrounding whitespace and
 * control characters (a CRLF `.env` line would otherwise send `//contacts/...`).
 */
export function baseUrlProblem(text: unknown): string | null {
  if (typeof text !== "string") return "must be a string";
  if (text !== text.trim()) return "must not start or end with whitespace";
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) return "must not contain control characters";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must use http: or https:";
  // Credentials in the URL would leak into every error and log line that prints it.
  if (url.username || url.password) return "must not contain credentials";
  if (text.includes("?") || text.includes("#")) return "must not have a query or fragment (`?` or `#`)";
  return null;
}

/** The per-call options every provider shares (signal, missingOk, timing); a string explains the rejection. */
export function callOptionProblem(options: Record<string, unknown>): string | null {
  return firstProblem(CALL_CHECKS, options);
}

function isBackoff(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { initialDelayMs, maxDelayMs, jitter } = value as Record<string, unknown>;
  return (
    [initialDelayMs, maxDelayMs].every((ms) => ms === undefined || isDelay(ms)) && (jitter === undefined || typeof jitter === "boolean")
  );
}

function isAbortSignalLike(value: unknown): boolean {
  const candidate = value as Record<string, unknown> | null;
  return (
    typeof candidate?.aborted === "boolean" &&
    typeof candidate.addEventListener === "function" &&
    typeof candidate.removeEventListener === "function"
  );
}

export function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

export function isPositive(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}
