/**
 * Test fixtures come from the specs themselves: example bodies via generated/manifest.ts, sample
 * ids from each spec's path-parameter example. A spec change flows into every test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { manifest, type ManifestExample } from "../../generated/manifest.js";
import { providerNames, type ProviderName } from "../../src/providers/names.js";
import { toolingRegistry } from "../../src/tooling-registry.js";

export { manifest };
export const root = join(import.meta.dirname, "..", "..");

export function specOf(provider: ProviderName): Record<string, any> {
  return parse(readFileSync(join(root, "specs", `${provider}.yaml`), "utf8"));
}

/** The spec's example value for the `id` path parameter, as a string. */
export function sampleId(provider: ProviderName): string {
  const param = manifest[provider].operation.parameters.find((p) => p.in === "path");
  if (param?.example === undefined) throw new Error(`${provider} spec has no example for the id parameter`);
  return String(param.example);
}

export function examplesOf(provider: ProviderName, filter: (e: ManifestExample) => boolean = () => true): ManifestExample[] {
  return manifest[provider].examples.filter(filter);
}

export function successExample(provider: ProviderName): ManifestExample {
  const found = examplesOf(provider, (e) => e.status >= 200 && e.status < 300)[0];
  if (!found) throw new Error(`${provider} spec has no 2xx example`);
  return found;
}

/** First string under a `message` key, depth-first: what a provider's error text most likely is. */
export function deepMessage(value: unknown): string | null {
  if (value === null || typeof value !== "object") return null;
  const record = value as Record<string, unknown>;
  if (typeof record.message === "string" && record.message.trim() !== "") return record.message.trim();
  for (const item of Object.values(record)) {
    const found = deepMessage(item);
    if (found) return found;
  }
  return null;
}

/** Wire path for an id, built from the spec's path template (independent of src/). */
export function wirePath(provider: ProviderName, id: string): string {
  return manifest[provider].operation.path.replace(/\{[^}]+\}/, encodeURIComponent(id));
}

/** Spec's default origin (userapi has none: a reserved .invalid host). */
export function specOrigin(provider: ProviderName): string {
  const server = manifest[provider].servers[0]!;
  return server.url.replace(/\{(\w+)\}/g, (_, name: string) => server.variables[name]!.default);
}

/** Independent expectation of which code each HTTP status maps to (the contract in the README). */
export const expectedCode: Record<number, string> = {
  400: "validation_failed",
  401: "unauthorized",
  // Close's plan limit: not retryable until the plan changes; no code of its own (README).
  402: "provider_error",
  403: "forbidden",
  404: "not_found",
  405: "provider_error",
  408: "timeout",
  409: "conflict",
  412: "precondition_failed",
  415: "provider_error",
  422: "validation_failed",
  429: "rate_limited",
  500: "provider_error",
  502: "provider_error",
  503: "provider_error",
  504: "provider_error",
};

/** A recognisable secret per provider, for nock tests. */
export const SECRETS = Object.fromEntries(providerNames.map((p) => [p, `${p}-secret-token-1234567890`])) as Record<ProviderName, string>;

/** The provider's fake credentials with every secret field replaced by its recognisable secret. */
function unitCredentials(provider: ProviderName): Record<string, string> {
  const tooling = toolingRegistry[provider];
  const credentials: Record<string, string> = { ...(tooling.fake.credentials as Record<string, string>) };
  for (const v of tooling.env) if (v.secret && v.field in credentials) credentials[v.field] = SECRETS[provider];
  return credentials;
}

/** A client config per provider with a recognisable secret, for nock tests (spec origins). */
export function unitConfig(provider: ProviderName): any {
  const fake = toolingRegistry[provider].fake as { clientConfig(c: unknown): Record<string, unknown> };
  const config = fake.clientConfig(unitCredentials(provider));
  return manifest[provider].servers[0]!.url.includes("{") ? { ...config, baseUrl: specOrigin(provider) } : config;
}

/**
 * The Authorization header each unitConfig must produce, from the spec's security schemes: HTTP
 * Basic when the config's secret is the Basic user (API key, empty password), else Bearer.
 */
export function expectedAuthorization(provider: ProviderName): string {
  const rules = toolingRegistry[provider].fake.rules as { basic?: (c: unknown) => { user: string; password: string } };
  const basic = rules.basic?.(unitCredentials(provider));
  const schemes = Object.values(manifest[provider].operation.securitySchemes);
  if (basic?.user === SECRETS[provider] && schemes.some((s) => s.scheme === "basic")) {
    return `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString("base64")}`;
  }
  return `Bearer ${SECRETS[provider]}`;
}
