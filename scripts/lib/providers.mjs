// The providers, as scripts see them without compiling TypeScript: one entry point per provider
// in src/entries/<name>.ts (the `contactkit/<name>` subpaths), each with its title from
// src/providers/<name>/adapter.ts. test/project/registry.test.ts proves this equals the registry.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Provider names, alphabetical (the registry decides the order users see). */
export function providerNamesFrom(root) {
  return readdirSync(join(root, "src", "entries"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** The human title the adapter gives itself (`title: "HubSpot"`), else the name. */
export function providerTitle(root, name) {
  const source = readFileSync(join(root, "src", "providers", name, "adapter.ts"), "utf8");
  return /\btitle:\s*"([^"]+)"/.exec(source)?.[1] ?? name;
}
