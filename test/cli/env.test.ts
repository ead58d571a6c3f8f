/** The CLI's environment handling, for every provider in the registry (no process spawned). */
import { describe, expect, it } from "vitest";
import { configErrorHint, configFromEnv, providerEnv } from "../../src/cli/env.js";
import { providerNames } from "../../src/index.js";

/** Every required variable of a provider with a plausible value. */
function fullEnv(provider: (typeof providerNames)[number]): Record<string, string> {
  return Object.fromEntries(
    providerEnv[provider].filter((v) => v.required).map((v) => [v.name, v.field === "baseUrl" ? "https://env.example" : "value_1"]),
  );
}

describe.each(providerNames.map((p) => [p]))("%s", (provider) => {
  const baseVar = `${provider.toUpperCase()}_BASE_URL`;

  it(`reads ${"<NAME>"}_BASE_URL into baseUrl`, () => {
    const { config } = configFromEnv(provider, { ...fullEnv(provider), [baseVar]: "http://127.0.0.1:9" });
    expect(config).toMatchObject({ provider, baseUrl: "http://127.0.0.1:9" });
  });

  it("--base-url wins over the variable", () => {
    const { config } = configFromEnv(
      provider,
      { ...fullEnv(provider), [baseVar]: "http://127.0.0.1:9" },
      { baseUrl: "http://127.0.0.1:10" },
    );
    expect(config.baseUrl).toBe("http://127.0.0.1:10");
  });

  it("without it, the base URL is the provider's own (unless the provider requires one)", () => {
    const required = providerEnv[provider].some((v) => v.field === "baseUrl" && v.required);
    const { config } = configFromEnv(provider, fullEnv(provider));
    expect(config.baseUrl).toBe(required ? "https://env.example" : undefined);
  });

  it("collects every secret it read, to scrub from output", () => {
    const env = fullEnv(provider);
    const { secrets } = configFromEnv(provider, env);
    for (const v of providerEnv[provider].filter((x) => x.secret && x.required)) expect(secrets).toContain(env[v.name]);
  });

  it("maps a library complaint about baseUrl back to the flag and the variable", () => {
    expect(configErrorHint(provider, "`baseUrl` is not a URL")).toContain("--base-url");
    expect(configErrorHint(provider, "`baseUrl` is not a URL")).toContain(baseVar);
  });
});
