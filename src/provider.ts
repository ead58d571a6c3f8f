/**
 * `defineProvider`: how a provider module describes its facade adapter (its connection is made
 * by `defineConnection` in raw-client.ts). The spec's
 * facts (generated/<provider>.facts.ts) supply the name, base URL, id rules and the wire path;
 * the module adds only what a spec cannot say. Every optional hook has a default here, so a
 * provider that needs nothing special (HubSpot) writes almost nothing.
 */
import type { OperationFacts, ProviderAdapter, ProviderConnection, ReadContext, SendContext } from "./adapter.js";
import { isRecord } from "./contact.js";
import { firstMessage } from "./providers/shared.js";
import { BASE_URL_HINT, type NotFoundRule } from "./not-found.js";
import { idParameter, sendById } from "./send-by-id.js";

/** `{ [every option key]: true }`: listing a key the options interface lacks, or leaving one out, is a compile error. */
export type OptionKeys<Options> = { readonly [K in keyof Required<Options>]: true };

/** What a provider module writes; everything marked optional has a default below. */
export interface ProviderDefinition<
  Name extends string,
  Config extends { provider: Name },
  Options extends object,
  Settings extends object,
  Paths extends {},
> {
  readonly connection: ProviderConnection<Name, Config, Settings>;
  /** The spec's delete operation (facts.operations.deleteContact): id rules and wire path. */
  readonly operation: OperationFacts;
  /** The delete's 404 rule from the spec (`facts.deleteContactNotFound`): which 404 is "contact does not exist". */
  readonly notFound: NotFoundRule;
  /** Human name for messages and tables. */
  readonly title: string;
  /** The documented request budget bulk runs start pacing from (headers refine it). */
  readonly rateLimit: { limit: number; windowMs: number };
  /** The provider's own `deleteContact` options. @default none */
  readonly options?: OptionKeys<Options>;
  /** Checks the provider's own options; a string explains the rejection. @default accepts all */
  checkOptions?(options: Options): string | null;
  /** A rule beyond the spec's id schema. @default none (the spec's pattern/type/minimum always apply) */
  checkId?(id: string): string | null;
  /** Sends the typed request. @default DELETE on the spec's path with the id, no query */
  send?(call: SendContext<Paths, Options, Settings>): Promise<{ response: Response }>;
  /**
   * The spec's read-one-contact operation and its 404 rule (`facts.getContact`,
   * `facts.getContactNotFound`), for `contactExists` and `verify`.
   * @default none: the provider cannot verify (`canVerify: false`)
   */
  readonly read?: { readonly operation: OperationFacts; readonly notFound: NotFoundRule };
  /** Sends the typed read. @default GET on `read.operation`'s path with the id, no query */
  sendRead?(call: ReadContext<Paths, Settings>): Promise<{ response: Response }>;
  /** Whether a 2xx may carry a non-JSON text body. @default false */
  readonly successMayBeText?: boolean;
  /** Checks a parsed 2xx body and normalizes the contact. @default any JSON, no contact */
  parseSuccess?(body: unknown, id: string): { contact: import("./contact.js").NormalizedContact | null } | { invalid: string };
  /** The provider's message in an error body. @default `message`, then `error` */
  errorMessage?(body: unknown): string | null;
  /** A wait hint headers cannot carry (e.g. in the body). @default none */
  retryHint?(response: Response, bodyText: string): number | null;
  /** Response headers that carry the provider's request id, before the common ones. @default none */
  readonly requestIdHeaders?: readonly string[];
  /** What to check when a 404 is not the provider's "contact does not exist". @default the base URL */
  foreignNotFoundHint?(body: unknown): string;
}

/** Fills the defaults in; the facade only ever sees complete adapters. */
export function defineProvider<
  Name extends string,
  Config extends { provider: Name },
  Options extends object = {},
  Settings extends object = {},
  Paths extends {} = {},
>(definition: ProviderDefinition<Name, Config, Options, Settings, Paths>): ProviderAdapter<Name, Config, Options, Settings, Paths> {
  const { operation, read } = definition;
  // scripts/generate.mjs refuses a delete without exactly one path parameter, so this finds the id.
  const idRule = specIdRule(idParameter(operation).schema);
  const extraIdRule = definition.checkId;
  return {
    ...HOOK_DEFAULTS,
    ...definition,
    optionKeys: Object.keys(definition.options ?? {}),
    checkId: (id) => idRule(id) ?? extraIdRule?.(id) ?? null,
    send: definition.send ?? sendById(operation),
    read: read ? (definition.sendRead ?? sendById(read.operation)) : null,
    readNotFound: read?.notFound ?? null,
  };
}

/** What an adapter that leaves a hook out gets (a definition never sets one to `undefined`). */
const HOOK_DEFAULTS = {
  checkOptions: () => null,
  successMayBeText: false,
  parseSuccess: () => ({ contact: null }),
  errorMessage: (body: unknown) => (isRecord(body) ? firstMessage(body.message, body.error) : null),
  retryHint: () => null,
  requestIdHeaders: [],
  foreignNotFoundHint: () => BASE_URL_HINT,
};

/**
 * The id rules the spec states for the path parameter (integer type and minimum, pattern, minimum
 * length), as a check built once per operation: a `RegExp` compiled per id cost ~1.5 µs of every call.
 */
export function specIdRule(schema: OperationFacts["parameters"][string]["schema"]): (id: string) => string | null {
  const { type, minimum: min, pattern, minLength } = schema;
  const integerShape = type !== "integer" ? null : min !== undefined && min >= 0 ? /^(0|[1-9]\d*)$/ : /^-?(0|[1-9]\d*)$/;
  const patternRule = pattern === undefined ? null : new RegExp(pattern);
  return (id) => {
    if (integerShape !== null) {
      const ok = integerShape.test(id) && Number.isSafeInteger(Number(id)) && (min === undefined || Number(id) >= min);
      if (!ok) return min === 1 ? "not a positive integer" : `not an integer${min === undefined ? "" : ` ≥ ${min}`}`;
    }
    if (patternRule !== null && !patternRule.test(id)) return `does not match the spec's pattern ${pattern}`;
    // (A maxLength would go here; no spec sets one, and ids.ts caps every id at 512 characters.)
    if (minLength !== undefined && id.length < minLength) return `shorter than ${minLength} characters`;
    return null;
  };
}
