/** Validation of the settings every provider shares, and the adapter's own, into one prepared form. */
import type { AnyConnection, PreparedProvider } from "./adapter.js";
import { ContactkitError } from "./errors.js";
import { secretForms } from "./redact.js";
import type { ProviderName } from "./providers/names.js";

export function configError(provider: ProviderName | null, problem: string): ContactkitError {
  const who = provider ?? "contactkit";
  return new ContactkitError({ code: "config", provider, message: `${who}: invalid configuration: ${problem}.` });
}

/** Checks the shared options and lets the adapter build its auth headers; throws `config` errors. */
export function prepareProvider(adapter: AnyConnection, config: Record<string, unknown>): PreparedProvider {
  const name = adapter.name as ProviderName;
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
  const { baseUrl, fetch, maxRetries, timeoutMs, totalTimeoutMs, maxRetryAfterMs, onRetry, sleep, backoff } = config;
  if (baseUrl !== undefined) {
    if (typeof baseUrl !== "string") return "`baseUrl` must be a string";
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      return `\`baseUrl\` is not a URL`;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return "`baseUrl` must use http: or https:";
    // Credentials in the URL would leak into every error and log line that prints it.
    if (url.username || url.password) return "`baseUrl` must not contain credentials";
    if (url.search || url.hash) return "`baseUrl` must not have a query or fragment";
  }
  const notFunction = Object.entries({ fetch, onRetry, sleep }).find(([, value]) => value !== undefined && typeof value !== "function");
  if (notFunction) return `\`${notFunction[0]}\` must be a function`;
  const timing = retryTimingProblem({ maxRetries, timeoutMs, totalTimeoutMs });
  if (timing) return timing;
  if (maxRetryAfterMs !== undefined && !isNonNegative(maxRetryAfterMs)) return "`maxRetryAfterMs` must be a number ≥ 0";
  if (backoff !== undefined) {
    if (typeof backoff !== "object" || backoff === null) return "`backoff` must be an object";
    const { initialDelayMs, maxDelayMs, jitter } = backoff as Record<string, unknown>;
    const bad = [initialDelayMs, maxDelayMs].some((ms) => ms !== undefined && !isNonNegative(ms));
    if (bad || (jitter !== undefined && typeof jitter !== "boolean")) {
      return "`backoff` takes `initialDelayMs` and `maxDelayMs` (numbers ≥ 0) and `jitter` (boolean)";
    }
  }
  return null;
}

/** The retry and timeout settings a client and a single call both accept. */
export function retryTimingProblem(options: { maxRetries?: unknown; timeoutMs?: unknown; totalTimeoutMs?: unknown }): string | null {
  const { maxRetries, timeoutMs, totalTimeoutMs } = options;
  if (maxRetries !== undefined && !isCount(maxRetries)) return "`maxRetries` must be a whole number ≥ 0";
  if (timeoutMs !== undefined && !isPositive(timeoutMs)) return "`timeoutMs` must be a number > 0";
  if (totalTimeoutMs !== undefined && totalTimeoutMs !== null && !isPositive(totalTimeoutMs)) {
    return "`totalTimeoutMs` must be a number > 0 or null";
  }
  return null;
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
