/**
 * Per-provider wire expectations the shared suites need, written by hand (independently of src/)
 * in each provider's own test folder: test/providers/<name>.wire.ts. Loaded for every provider in
 * the registry; a provider without one fails loudly instead of being skipped.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { providerNames, type ProviderName } from "../../src/index.js";
import type { FakeProviders } from "../../src/testing/index.js";

export interface ProviderWire {
  /** Every header a valid raw request to the fake needs (auth included), from the fake's credentials. */
  validHeaders(fake: FakeProviders): Record<string, string>;
  /** The query a valid raw request needs (no leading `?`), "" when none. */
  validQuery(fake: FakeProviders): string;
  /** How the provider says "wait" on a 429 in its own words (headers/body), and the wait that means; null when it has none. */
  rateHint: { headers?: Record<string, string>; body?: unknown; waitMs: number } | null;
  /** The statuses the spec documents for the delete (or, for an undocumented API, assumes). */
  documentedStatuses: number[];
  /** The response headers the spec documents on a 429, in spec order. */
  rateLimitHeaders: string[];
  /** What the fake's generated seed ids look like (the provider's real id format). */
  idFormat: RegExp;
  /** The end-to-end case: options to pass, the exact query they must produce, whether a contact comes back. */
  endToEnd: { options: Record<string, unknown>; query(fake: FakeProviders): string; normalizes: boolean };
  /** Ids the spec's own rules reject (beyond the shared unusable ones). */
  invalidIds: string[];
}

export const wires = {} as Record<ProviderName, ProviderWire>;
for (const provider of providerNames) {
  const file = join(import.meta.dirname, "..", "providers", `${provider}.wire.ts`);
  if (!existsSync(file))
    throw new Error(`test/providers/${provider}.wire.ts is missing: every provider in the registry needs its wire expectations`);
  wires[provider] = ((await import(pathToFileURL(file).href)) as { wire: ProviderWire }).wire;
}
