import type { ProviderName } from "../providers/names.js";

/**
 * Deterministic contact ids in each provider's real format, so the same seed list comes back on
 * every run (tests, docs and the demo can print them) and an id copied from a log still looks like
 * one the provider would issue.
 */

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A small xorshift generator: stable across Node versions, unlike Math.random seeding tricks. */
function randomChars(seed: number, length: number, alphabet: string): string {
  let x = (seed * 2654435761) >>> 0 || 1;
  let out = "";
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

/** The n-th (0-based) generated id for a provider. */
export function generatedId(provider: ProviderName, n: number): string {
  switch (provider) {
    // A Dex-like personal CRM: the spec example is `contact_67890`.
    case "userapi":
      return `contact_${10001 + n}`;
    // Truto forwards the underlying CRM's id; its docs use numeric strings (`23423523`).
    case "truto":
      return String(31000001 + n);
    // Wethod ids are positive integers.
    case "wethod":
      return String(1001 + n);
    // Close object ids: type prefix + 43 base62 characters.
    case "close":
      return `cont_${randomChars(n + 1, 43, ALNUM)}`;
    // Featurebase ids are Mongo ObjectIds: 4-byte timestamp, then 8 bytes; keep it unique per n.
    case "featurebase":
      return `66a0c0de${(0xfb00000000000000n + BigInt(n)).toString(16).padStart(16, "0")}`;
  }
}

/**
 * The seed list: spec example ids first (so copy-pasting a spec example works), then generated
 * ones, skipping duplicates and anything `isValid` rejects, `count` in total.
 */
export function seedIds(
  provider: ProviderName,
  count: number,
  exampleIds: readonly string[],
  isValid: (id: string) => boolean,
): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (ids.length < count && !seen.has(id) && isValid(id)) {
      seen.add(id);
      ids.push(id);
    }
  };
  for (const id of exampleIds) add(id);
  // Bounded: generated ids are valid by construction, the margin only covers collisions.
  for (let n = 0; ids.length < count && n < count * 2 + 10; n++) add(generatedId(provider, n));
  return ids;
}
