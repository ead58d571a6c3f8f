/** Validation of the settings every provider shares, and the adapter's own, into one prepared form. */
import type { AnyConnection, CommonClientOptions, PreparedProvider } from "./adapter.js";
import { ContactkitError } from "./errors.js";
import { secretForms } from "./redact.js";
import type { ProviderName } from "./providers/names.js";

export function configError(provider: ProviderName | null, problem: string): ContactkitError {
  const who = provider ?? "contactkit";
  return new ContactkitError({ code: "config", provider, message: `${who}: invalid configuration: ${problem}.` });
}

/** Checks the shared options and lets the adapter build its auth headers; throws `config` errors. */
/** `provider` and the options every provider takes (CommonClientOptions); the compiler keeps the list complete. */
const COMMON_CONFIG_KEYS: readonly string[] = Object.keys({
  provider: true,
  baseUrl: true,
  fetch: true,
  maxRetries: true,
  timeoutMs: true,
  totalTimeoutMs: true,
  maxRetryAfterMs: true,
  backoff: true,
  onRetry: true,
  sleep: true,
  maxResponseBytes: true,
} satisfies { [K in keyof CommonClientOptions | "provider"]-?: true });

export function prepareProvider(adapter: AnyConnection, config: Record<string, unknown>): PreparedProvider {
  const name = adapter.name as ProviderName;
  const unknownKey = Object.keys(config).find((key) => !COMMON_CONFIG_KEYS.includes(key) && !adapter.configKeys.includes(key));
  if (unknownKey !== undefined) throw configError(name, `unknown option \`${unknownKey}\` for ${name}`);
  const problem = commonProblem(config);
  if (problem) throw configError(name, problem);
  const baseUrl = (config.baseUrl as string | undefined) ?? adapter.defaultBaseUrl;
  if (baseUrl == null) {
    throw configError(name, "`baseUrl` is required (no public host is known)");
  }
  const prepared = adapter.prepare(config, baseUrl.replace(/\/+$/, ""));
  if (typeof prepared === "string") throw configError(name, prepared);
  return { ...prepared, secrets: secretForms(prepared.secrets) };
}

function commonProblem(config: Record<string, unknown>): string | null {
  const { baseUrl, fetch, maxRetries, timeoutMs, totalTimeoutMs, maxRetryAfterMs, onRetry, sleep, backoff, maxResponseBytes } = config;
  if (baseUrl !== undefined) {
    const problem = baseUrlProblem(baseUrl);
    if (problem) return `\`baseUrl\` ${problem}`;
  }
  const notFunction = Object.entries({ fetch, onRetry, sleep }).find(([, value]) => value !== undefined && typeof value !== "function");
  if (notFunction) return `\`${notFunction[0]}\` must be a function`;
  const timing = retryTimingProblem({ maxRetries, timeoutMs, totalTimeoutMs, maxResponseBytes });
  if (timing) return timing;
  if (maxRetryAfterMs !== undefined && !isDelay(maxRetryAfterMs)) return `\`maxRetryAfterMs\` must be a number from 0 to ${MAX_TIMER_MS}`;
  if (backoff !== undefined) {
    if (typeof backoff !== "object" || backoff === null) return "`backoff` must be an object";
    const { initialDelayMs, maxDelayMs, jitter } = backoff as Record<string, unknown>;
    const bad = [initialDelayMs, maxDelayMs].some((ms) => ms !== undefined && !isDelay(ms));
    if (bad || (jitter !== undefined && typeof jitter !== "boolean")) {
      return `\`backoff\` takes \`initialDelayMs\` and \`maxDelayMs\` (numbers from 0 to ${MAX_TIMER_MS}) and \`jitter\` (boolean)`;
    }
  }
  return null;
}

/**
 * The longest wait a timer can honour: Node (and browsers) run a longer `setTimeout` after 1 ms,
 * so a "no limit" of `Number.MAX_SAFE_INTEGER` would silently become a 1 ms timeout. Refused.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The largest response body read by default (after decompression); a bigger one ends the attempt. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;

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
  if (text.includes("?") || text.includes("#")) return "must not have a query or fragment (not even an empty `?` or `#`)";
  return null;
}

/** The retry and timeout settings a client and a single call both accept. */
export function retryTimingProblem(options: {
  maxRetries?: unknown;
  timeoutMs?: unknown;
  totalTimeoutMs?: unknown;
  maxResponseBytes?: unknown;
}): string | null {
  const { maxRetries, timeoutMs, totalTimeoutMs } = options;
  if (maxRetries !== undefined && !isCount(maxRetries)) return "`maxRetries` must be a whole number ≥ 0";
  if (timeoutMs !== undefined && !(isPositive(timeoutMs) && timeoutMs <= MAX_TIMER_MS)) {
    return `\`timeoutMs\` must be a number > 0 and ≤ ${MAX_TIMER_MS} (about 24.8 days)`;
  }
  if (totalTimeoutMs !== undefined && totalTimeoutMs !== null && !(isPositive(totalTimeoutMs) && totalTimeoutMs <= MAX_TIMER_MS)) {
    return `\`totalTimeoutMs\` must be a number > 0 and ≤ ${MAX_TIMER_MS}, or null for no overall limit`;
  }
  return maxResponseBytesProblem(options.maxResponseBytes);
}

function maxResponseBytesProblem(value: unknown): string | null {
  if (value === undefined || (isCount(value) && value >= 1 && value <= Number.MAX_SAFE_INTEGER)) return null;
  return "`maxResponseBytes` must be a whole number ≥ 1";
}

/** The per-call options every provider shares, beyond the timing ones; a string explains the rejection. */
export function callOptionProblem(options: Record<string, unknown>): string | null {
  const { signal, missingOk } = options;
  // The transport listens on it and reads `aborted`: a look-alike without those would fail mid-call.
  if (signal !== undefined && !isAbortSignalLike(signal)) {
    return "`signal` must be an AbortSignal (with a boolean `aborted` and `addEventListener`/`removeEventListener`)";
  }
  if (missingOk !== undefined && typeof missingOk !== "boolean") return "`missingOk` must be a boolean";
  return retryTimingProblem(options);
}

function isAbortSignalLike(value: unknown): value is AbortSignal {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.aborted === "boolean" &&
    typeof candidate.addEventListener === "function" &&
    typeof candidate.removeEventListener === "function"
  );
}

function isDelay(value: unknown): value is number {
  return isNonNegative(value) && value <= MAX_TIMER_MS;
}

function isNonNegative(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

export function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

export function isPositive(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}
