/**
 * Credentials and settings from environment variables, per provider, into a `ContactsClientConfig`.
 * The table below is the single source for the help text, the missing-variable messages, the
 * fake-server's `export` lines and the secrets the CLI scrubs from everything it prints.
 */
import type { ContactsClientConfig, ProviderName } from "../index.js";
import { secretForms } from "../redact.js";
import { CliError } from "./errors.js";

export interface EnvVar {
  name: string;
  /** The config field it fills (used to map a library `config` error back to the variable). */
  field: string;
  required: boolean;
  /** Never printed; scrubbed from all output. */
  secret: boolean;
  /** Set when this variable replaces another one rather than being optional. */
  insteadOf?: string;
  description: string;
}

export const providerEnv: Record<ProviderName, EnvVar[]> = {
  userapi: [
    { name: "USERAPI_TOKEN", field: "token", required: true, secret: true, description: "API token (Bearer)" },
    { name: "USERAPI_BASE_URL", field: "baseUrl", required: true, secret: false, description: "your API's base URL (or --base-url)" },
  ],
  truto: [
    { name: "TRUTO_API_TOKEN", field: "token", required: true, secret: true, description: "API token (Bearer)" },
    { name: "TRUTO_INTEGRATED_ACCOUNT_ID", field: "integratedAccountId", required: true, secret: false, description: "integrated account UUID" },
  ],
  wethod: [
    { name: "WETHOD_API_TOKEN", field: "token", required: true, secret: true, description: "personal API token (Bearer)" },
    { name: "WETHOD_COMPANY", field: "company", required: true, secret: false, description: "company slug, e.g. acme" },
    { name: "WETHOD_VERSION", field: "apiVersion", required: false, secret: false, description: "API version, default 2024-06-15" },
  ],
  close: [
    { name: "CLOSE_API_KEY", field: "apiKey", required: true, secret: true, description: "API key (HTTP Basic)" },
    {
      name: "CLOSE_ACCESS_TOKEN",
      field: "accessToken",
      required: false,
      secret: true,
      insteadOf: "CLOSE_API_KEY",
      description: "OAuth access token (Bearer), instead of CLOSE_API_KEY",
    },
  ],
  featurebase: [
    { name: "FEATUREBASE_API_KEY", field: "apiKey", required: true, secret: true, description: "API key (Bearer)" },
    { name: "FEATUREBASE_VERSION", field: "apiVersion", required: false, secret: false, description: "API version, default 2026-01-01.nova" },
  ],
};

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

  if (provider === "close") {
    if (values.apiKey !== undefined && values.accessToken !== undefined) {
      throw new CliError("both CLOSE_API_KEY and CLOSE_ACCESS_TOKEN are set", {
        hint: "set only one: CLOSE_API_KEY for an API key, CLOSE_ACCESS_TOKEN for an OAuth access token.",
      });
    }
    if (values.apiKey === undefined && values.accessToken === undefined) missing.push("CLOSE_API_KEY");
  } else {
    for (const v of vars) {
      if (!v.required || values[v.field] !== undefined) continue;
      if (v.field === "baseUrl" && overrides.baseUrl !== undefined) continue;
      missing.push(v.name);
    }
  }
  if (missing.length > 0) {
    const list = missing.join(", ");
    const alternative = provider === "close" ? " (or CLOSE_ACCESS_TOKEN for an OAuth token)" : "";
    throw new CliError(`${provider}: missing environment variable${missing.length > 1 ? "s" : ""} ${list}${alternative}`, {
      hint: `set ${missing.map((name) => `${name}=…`).join(" ")} in the environment${
        missing.includes("USERAPI_BASE_URL") ? " (or pass --base-url URL)" : ""
      }. Run \`contactkit --help\` for every provider's variables, or \`contactkit fake-server\` to get test values.`,
    });
  }

  const common = {
    ...(overrides.baseUrl !== undefined ? { baseUrl: overrides.baseUrl } : {}),
    ...(overrides.maxRetries !== undefined ? { maxRetries: overrides.maxRetries } : {}),
    ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
  };
  // The library validates every field; the casts only say "a string from the environment".
  const config = { ...values, ...common, provider } as unknown as ContactsClientConfig;
  return { config, secrets };
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
