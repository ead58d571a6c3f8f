/**
 * `contactkit delete --missing-ok` and a 404 that is not about the contact (issue 10 item 2): a
 * wrong base URL or a mistyped Truto account must fail (exit 1, code endpoint_not_found, a hint
 * naming what to check), never count the ids as absent (exit 0). The built binary against a fake.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerNames } from "../../src/index.js";
import { startFakeProviders, type FakeProviders } from "../../src/testing/index.js";
import { assertBuilt, killChildren, providerEnvFor, runCli } from "./helpers.js";

beforeAll(assertBuilt);
afterAll(killChildren);

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(() => fake.close());

describe.concurrent("contactkit delete: a 404 that is not about the contact", () => {
  it.for(providerNames)(
    "%s: a wrong --base-url path with --missing-ok exits 1 with endpoint_not_found, nothing absent",
    async (provider) => {
      const id = fake.seeded[provider][0]!;
      const r = await runCli(["delete", provider, id, "--missing-ok", "--json", "--base-url", `${fake.url}/not-the-api`], {
        env: providerEnvFor(fake, provider),
      });
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ id, outcome: "failed", error: { code: "endpoint_not_found", status: 404 } });
      expect(fake.has(provider, id)).toBe(true);
    },
  );

  it("the hint names both places a base URL comes from (erase has no --base-url: it reads CLOSE_BASE_URL)", async () => {
    const id = fake.seeded.close[2]!;
    const env = { ...providerEnvFor(fake, "close"), CLOSE_BASE_URL: `${fake.url}/not-the-api` };
    const r = await runCli(["delete", "close", id], { env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/hint: .*check --base-url or CLOSE_BASE_URL/);
  });

  it("truto: a mistyped TRUTO_INTEGRATED_ACCOUNT_ID with --missing-ok exits 1 and names the variable", async () => {
    const id = fake.seeded.truto[1]!;
    const env = { ...providerEnvFor(fake, "truto"), TRUTO_INTEGRATED_ACCOUNT_ID: "00000000-0000-4000-8000-000000000000" };
    const r = await runCli(["delete", "truto", id, "--missing-ok", "--base-url", fake.url], { env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("endpoint_not_found");
    expect(r.stdout + r.stderr).toContain("TRUTO_INTEGRATED_ACCOUNT_ID");
    expect(r.stdout).toContain("0 deleted, 0 absent, 1 failed");
    expect(fake.has("truto", id)).toBe(true);
  });
});
