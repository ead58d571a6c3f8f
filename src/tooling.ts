/**
 * The Node-side half of a provider module (src/providers/<name>/tooling.ts): what the CLI and the
 * fake providers need that the library core never does — environment variables, CLI hints, the
 * fake's credentials, auth and rate-limit header rules, and seed ids. Kept in its own file per
 * provider so the core bundle (`contactkit`) never carries it; the registry lists both halves.
 */

/** One environment variable the CLI reads into a config field. */
export interface EnvVar {
  readonly name: string;
  /** The config field it fills (used to map a library `config` error back to the variable). */
  readonly field: string;
  readonly required: boolean;
  /** Never printed; scrubbed from all output. */
  readonly secret: boolean;
  /** Set when this variable replaces another one rather than being optional (exactly one of the two). */
  readonly insteadOf?: string;
  readonly description: string;
}

/** One fixed rate-limit window of the fake, as a provider's headers describe it. */
export interface RateWindow {
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets, at least 1. */
  resetSeconds: number;
  /** Epoch seconds of the reset. */
  resetAt: number;
}

/** What the fake must know about a provider beyond its spec. */
export interface FakeRules<Credentials> {
  /** The bearer token / API key each bearer or apiKey security scheme must carry. */
  bearer(c: Credentials): string;
  /** The user and password an http basic scheme must carry. @default basic auth never passes */
  basic?(c: Credentials): { user: string; password: string };
  /** A parameter whose value must equal a configured credential, and the status when it doesn't. */
  account?: {
    in: "query" | "header";
    name: string;
    expected(c: Credentials): string;
    status: number;
    /** The spec example (by name) that describes this case, when there is one. */
    example?: string;
  };
  /** A header whose date-prefixed version must be at least `minimum` (the endpoint was added then). */
  minVersion?: { header: string; minimum: string };
  /** The provider's own rate-limit headers, on every answer and on the 429. @default none */
  rateHeaders?(w: RateWindow, limited: boolean, resetStyle: "seconds" | "epoch"): Record<string, string>;
}

export interface ProviderTooling<Credentials extends object, FakeConfig extends { provider: string }> {
  /** The CLI's environment variables (`<NAME>_BASE_URL` is added for every provider). */
  readonly env: readonly EnvVar[];
  /** CLI hints for failures whose cause is provider-specific. @default generic wording */
  readonly hints?: { readonly unauthorized?: string; readonly forbidden?: string; readonly endpointNotFound?: string };
  readonly fake: {
    /** Obviously fake, stable, distinct per provider so a mix-up fails auth. */
    readonly credentials: Credentials;
    /** A ready client config for these credentials (the fake adds `baseUrl`). */
    clientConfig(c: Credentials): FakeConfig;
    readonly rules: FakeRules<Credentials>;
    /** The n-th (0-based) seed id in the provider's real format, deterministic. */
    generatedId(n: number): string;
    /** An extra line for `contactkit fake-server` (e.g. an alternative credential). @default none */
    note?(c: Credentials, quote: (value: string) => string): string;
  };
}

/** Type-checks a tooling object (identity at run time). */
export function defineTooling<Credentials extends object, FakeConfig extends { provider: string }>(
  tooling: ProviderTooling<Credentials, FakeConfig>,
): ProviderTooling<Credentials, FakeConfig> {
  return tooling;
}

/** A small xorshift generator for seed ids: stable across Node versions. */
export function randomChars(seed: number, length: number, alphabet: string): string {
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
