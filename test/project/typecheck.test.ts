import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

describe("type-check", () => {
  it("tsc --noEmit is clean under strict (src, generated, tests, type tests)", { timeout: 120_000 }, async () => {
    const result = await promisify(execFile)(process.execPath, [tsc, "--noEmit", "-p", "tsconfig.json"], { cwd: root }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    expect(result.out).toBe("");
    expect(result.code).toBe(0);
  });
});
