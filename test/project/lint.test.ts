/**
 * The tree is lint-clean and formatted (Biome: `npm run lint`; `npm run format` fixes). A vitest
 * test, so `npm test` counts it like every other check.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

describe("lint", () => {
  it("biome check finds no lint or format problem", { timeout: 60_000 }, () => {
    const bin = join(root, "node_modules", "@biomejs", "biome", "bin", "biome");
    const r = spawnSync(process.execPath, [bin, "check", "--colors=off"], { cwd: root, encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect(`${r.stdout}\n${r.stderr}`, "run `npm run format`, then fix what remains").toMatch(/Checked \d+ files/);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
