/**
 * Credentials and settings from environment variables, per provider, into a `ContactsClientConfig`.
 * The table below is the single source for the help text, the missing-variable messages, the
 * fake-server's `export` lines and the secrets the CLI scrubs from everything it prints.
 */
import type { ContactsClientConfig } from "../client.js";
import type { ProviderName } from "../providers/names.js";
import { secretForms } from "../redact.js";
import { providerNames, toolingRegistry } from "../tooling-registry.js";
import type { EnvVar } from "../tooling.js";
import { CliError } from "./errors.js";

export type { EnvVar };

/** A provider's variables: its tooling's, plus `<NAME>_BASE_URL` (read by `delete`, below --base-url). */
function envOf(provider: ProviderName): readonly EnvVar[] {
  const own = toolingRegistry[provider].env;
  if (own.some((v) => v.field === "baseUrl")) return own;
  const baseUrl: EnvVar = {
    name: `${provider.toUpperCase()}_BASE_URL`,
    field: "baseUrl",
    required: false,
    secret: false,
    description: "another base URL (proxy, the fake server); --base-url wins",
  };
  return [...own, baseUrl];
}

/** Every provider's environment variables, from the registry. */
export const providerEnv = Object.fromEntries(providerNames.map((p) => [p, envOf(p)])) as Record<ProviderName, readonly EnvVar[]>;

export interface ClientOverrides {
  baseUrl?: string | undefined;
  maxRetries?: number | undefined;
  timeoutMs?: number | undefined;
}

export interface EnvConfig {
  config: ContactsClientConfig;
  /** Every credential value read, to scrub from output. */
  secrets: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value; unset and empty are both "missing" (an empty token is never meant). */
function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Builds the provider's client config from `env`. Throws a `CliError` (exit 2) naming every
 * missing variable. Values are passed on untrimmed: the library rejects stray whitespace with a
 * `config` error, which `configErrorHint` maps back to the variable.
 */
export function configFromEnv(provider: ProviderName, env: Env, overrides: ClientOverrides = {}): EnvConfig {
  const vars = providerEnv[provider];
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const v of vars) {
    const value = read(env, v.name);
    if (value !== undefined) values[v.field] = value;
  }
  // Every form a credential may be echoed in (as sent, Basic/Base64, URL-encoded), as the library scrubs them.
  const secrets = secretForms(vars.filter((v) => v.secret && read(env, v.name) !== undefined).map((v) => read(env, v.name)!));

  // A variable that stands in for another (`insteadOf`): exactly one of the two.
  for (const alt of vars.filter((v) => v.insteadOf !== undefined)) {
    const main = vars.find((v) => v.name === alt.insteadOf);
    if (main && values[main.field] !== undefined && values[alt.field] !== undefined) {
      throw new CliError(`both ${main.name} and ${alt.name} are set`, {
        hint: `set only one: ${main.name} for ${describe(main)}, ${alt.name} for ${describe(alt)}.`,
      });
    }
  }
  const alternatives: string[] = [];
  for (const v of vars) {
    if (!v.required || values[v.field] !== undefined) continue;
    if (v.field === "baseUrl" && overrides.baseUrl !== undefined) continue;
    const alt = vars.find((a) => a.insteadOf === v.name);
    if (alt && values[alt.field] !== undefined) continue;
    missing.push(v.name);
    if (alt) alternatives.push(`${alt.name} for ${describe(alt)}`);
  }
  if (missing.length > 0) {
    const list = missing.join(", ");
    const alternative = alternatives.length > 0 ? ` (or ${alternatives.join(", ")})` : "";
    const flag = missing.some((name) => vars.find((v) => v.name === name)?.field === "baseUrl") ? " (or pass --base-url URL)" : "";
    throw new CliError(`${provider}: missing environment variable${missing.length > 1 ? "s" : ""} ${list}${alternative}`, {
      hint: `set ${missing.map((name) => `${name}=…`).join(" ")} in the environment${flag}. Run \`contactkit --help\` for every provider's variables, or \`contactkit fake-server\` to get test values.`,
    });
  }

  // --base-url wins over <NAME>_BASE_URL.
  if (overrides.baseUrl !== undefined) delete values.baseUrl;
  const common = {
    ...(overrides.baseUrl !== undefined ? { baseUrl: overrides.baseUrl } : {}),
    ...(overrides.maxRetries !== undefined ? { maxRetries: overrides.maxRetries } : {}),
    ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
  };
  // The library validates every field; the casts only say "a string from the environment".
  const config = { ...values, ...common, provider } as unknown as ContactsClientConfig;
  return { config, secrets };
}

/** A variable's description without its parenthesised remarks, for hints ("an OAuth access token"). */
function describe(v: EnvVar): string {
  return v.description.replace(/\s*\(.*$|,.*$/, "");
}

/**
 * A hint for a library `config` error: which variable or flag holds the field it complains about
 * (the library speaks in config fields such as `integratedAccountId`).
 */
export function configErrorHint(provider: ProviderName | null, message: string): string {
  const fields = [...message.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]);
  const names = new Set<string>();
  for (const field of fields) {
    if (field === "baseUrl") names.add("--base-url");
    for (const v of provider ? providerEnv[provider] : []) if (v.field === field) names.add(v.name);
  }
  if (names.size === 0) return "check the provider's environment variables (see `contactkit --help`).";
  return `check ${[...names].join(" / ")}.`;
}
