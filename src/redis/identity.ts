/**
 * Which shared budget a client belongs to: its provider plus a hash of what the provider counts
 * requests by (the credential, the host, and account settings such as Truto's integrated account).
 * The key never holds the credential: only a truncated SHA-256 of it.
 */
import { createHash } from "node:crypto";
import type { ContactsClientConfig, ProviderName, RateLimitSpec } from "../index.js";
import { prepareProvider } from "../config.js";
import type { AnyAdapter } from "../adapter.js";
import { registry } from "../registry.js";

/** The default first part of every key this package writes. */
export const DEFAULT_KEY_PREFIX = "contactkit:pace";

/** Hex characters kept of the SHA-256: 128 bits, plenty to keep different keys apart. */
const HASH_CHARS = 32;

export interface PacingIdentity {
  provider: ProviderName;
  /** Human name, for messages ("Close"). */
  title: string;
  /** The provider's documented limit, where pacing starts. */
  documented: RateLimitSpec;
  /** Truncated SHA-256 of the credential, host and account settings; safe to show and store. */
  credentialHash: string;
}

/** Reads provider, documented limit and credential hash from a client config (validated as the client does). */
export function identityOf(config: ContactsClientConfig): PacingIdentity {
  const adapter: AnyAdapter = registry[config.provider];
  const prepared = prepareProvider(adapter.connection, config as unknown as Record<string, unknown>);
  return {
    provider: config.provider,
    title: adapter.title,
    documented: { ...adapter.rateLimit },
    credentialHash: hashCredential(
      config.provider,
      prepared.baseUrl,
      authHeaders(prepared.headers, prepared.secrets),
      prepared.settings as Record<string, string>,
    ),
  };
}

/** Only the headers that carry a credential: an API-version header must not split one key's budget. */
function authHeaders(headers: Record<string, string>, secrets: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([, value]) => secrets.some((secret) => secret !== "" && value.includes(secret))),
  );
}

/** Deterministic for the same credential, host and settings; sorted so header order does not matter. */
export function hashCredential(
  provider: string,
  baseUrl: string,
  headers: Record<string, string>,
  settings: Record<string, string>,
): string {
  const sorted = (record: Record<string, string>) => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const material = JSON.stringify([provider, baseUrl, sorted(headers), sorted(settings)]);
  return createHash("sha256").update(material).digest("hex").slice(0, HASH_CHARS);
}

/** `<prefix>:<provider>:<hash>`: the base every key of one shared budget starts with. */
export function budgetKey(prefix: string, identity: Pick<PacingIdentity, "provider" | "credentialHash">): string {
  return `${prefix}:${identity.provider}:${identity.credentialHash}`;
}
