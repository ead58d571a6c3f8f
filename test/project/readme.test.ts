/**
 * The README's TypeScript samples must compile against the public API: each ```ts block becomes
 * a module in a temp folder, type-checked with `contactkit` mapped to src/ (no build needed).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = mkdtempSync(join(root, "node_modules", ".readme-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README", () => {
  it("has TypeScript samples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it("every TypeScript sample compiles against the public API", { timeout: 120_000 }, async () => {
    blocks.forEach((code, i) => writeFileSync(join(dir, `sample${i}.ts`), `${code}\nexport {};\n`));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
          typeRoots: [join(root, "node_modules", "@types")],
          lib: ["ES2022", "DOM"],
          baseUrl: root,
          paths: {
            contactkit: ["src/index.ts"],
            "contactkit/testing": ["src/testing/index.ts"],
            "contactkit/erasure": ["src/erasure/index.ts"],
            "contactkit/redis": ["src/redis/index.ts"],
            "contactkit/*": ["src/entries/*.ts"],
          },
        },
        include: ["*.ts"],
      }),
    );
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const out = await promisify(execFile)(process.execPath, [tsc, "-p", dir]).then(
      (r) => r.stdout,
      (e: { stdout: string }) => e.stdout,
    );
    expect(out).toBe("");
  });

  it("names only commands that exist in package.json", () => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts);
    const used = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(scripts, `npm run ${name}`).toContain(name);
  });
});
