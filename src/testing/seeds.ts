/**
 * The seed list: deterministic contact ids in each provider's real format (its tooling's
 * `generatedId`), so the same seeds come back on every run (tests, docs and the demo can print
 * them) and an id copied from a log still looks like one the provider would issue.
 */

/**
 * Spec example ids first (so copy-pasting a spec example works), then generated ones, skipping
 * duplicates and anything `isValid` rejects, `count` in total.
 */
export function seedIds(
  generatedId: (n: number) => string,
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
  for (let n = 0; ids.length < count && n < count * 2 + 10; n++) add(generatedId(n));
  return ids;
}
