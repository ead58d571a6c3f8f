/**
 * Test fixtures come from the specs themselves: example bodies via generated/manifest.ts, sample
 * ids from each spec's path-parameter example. A spec change flows into every test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { manifest, type ManifestExample } from "../../generated/manifest.js";
import type { ProviderName } from "../../src/providers/names.js";

export { manifest };
export const root = join(import.meta.dirname, "..", "..");

export function specOf(provider: ProviderName): Record<string, any> {
  return parse(readFileSync(join(root, "specs", `${provider}.yaml`), "utf8"));
}

/** The spec's example value for the `id` path parameter, as a string. */
export function sampleId(provider: ProviderName): string {
  const param = manifest[provider].operation.parameters.find((p) => p.in === "path" && p.name === "id");
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
  return manifest[provider].operation.path.replace("{id}", encodeURIComponent(id));
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
  403: "forbidden",
  404: "not_found",
  405: "provider_error",
  408: "timeout",
  409: "conflict",
  412: "precondition_failed",
  422: "validation_failed",
  429: "rate_limited",
  500: "provider_error",
  502: "provider_error",
  503: "provider_error",
  504: "provider_error",
};

export const SECRETS = {
  userapi: "ua-secret-token-1234567890",
  truto: "truto-secret-token-1234567890",
  wethod: "wethod-secret-token-1234567890",
  close: "close-secret-key-1234567890",
  featurebase: "fb-secret-key-1234567890",
} as const;

export const TRUTO_ACCOUNT = "62f44730-dd91-461e-bd6a-aedd9e0ad79d";

/** A client config per provider with a recognisable secret, for nock tests (spec origins). */
export function unitConfig(provider: ProviderName): any {
  switch (provider) {
    case "userapi":
      return { provider, token: SECRETS.userapi, baseUrl: specOrigin("userapi") };
    case "truto":
      return { provider, token: SECRETS.truto, integratedAccountId: TRUTO_ACCOUNT };
    case "wethod":
      return { provider, token: SECRETS.wethod, company: "acme" };
    case "close":
      return { provider, apiKey: SECRETS.close };
    case "featurebase":
      return { provider, apiKey: SECRETS.featurebase };
  }
}

/** The Authorization header each unitConfig must produce (computed independently of src/). */
export function expectedAuthorization(provider: ProviderName): string {
  if (provider === "close") return `Basic ${Buffer.from(`${SECRETS.close}:`).toString("base64")}`;
  return `Bearer ${SECRETS[provider]}`;
}
