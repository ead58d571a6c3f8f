import { manifest } from "../../generated/manifest.js";
import { providerNames, type ProviderName } from "../providers/names.js";
import type { FakeProviders } from "./types.js";

/** What the CLI's `fake-server` command prints: where to point a client, and which ids exist. */
export interface FakeProvidersSummary {
  url: string;
  providers: Array<{
    provider: ProviderName;
    method: "DELETE";
    /** The spec's path template, e.g. `/api/v1/contact/{id}/`. */
    path: string;
    /** Seeded ids, in seed order, with whether each one still exists. */
    contacts: Array<{ id: string; exists: boolean }>;
  }>;
}

/** A JSON-friendly snapshot of a running fake (ids reflect deletions made so far). */
export function summarizeFakeProviders(fake: FakeProviders): FakeProvidersSummary {
  return {
    url: fake.url,
    providers: providerNames.map((provider) => ({
      provider,
      method: "DELETE" as const,
      path: manifest[provider].operation.path,
      contacts: fake.seeded[provider].map((id) => ({ id, exists: fake.has(provider, id) })),
    })),
  };
}

/** The same snapshot as plain text, one block per provider (deleted ids are marked). */
export function formatFakeProvidersSummary(fake: FakeProviders): string {
  const summary = summarizeFakeProviders(fake);
  const width = Math.max(...providerNames.map((name) => name.length));
  const lines = [`Fake providers listening on ${summary.url}`];
  for (const entry of summary.providers) {
    lines.push(`  ${entry.provider.padEnd(width)}  ${entry.method} ${summary.url}${entry.path}`);
    const ids = entry.contacts.map((c) => (c.exists ? c.id : `${c.id} (deleted)`));
    lines.push(`  ${"".padEnd(width)}  ids: ${ids.length > 0 ? ids.join(", ") : "(none seeded)"}`);
  }
  return lines.join("\n");
}
