/** What one delete resolves to (its own module, so bulk and the facade share it without a cycle). */
import type { NormalizedContact } from "./contact.js";
import type { ProviderName } from "./providers/names.js";

/** What a successful (or harmlessly absent) delete resolves to. */
export interface DeleteResult<P extends ProviderName = ProviderName> {
  provider: P;
  /** The id as the caller passed it. */
  id: string;
  /** `deleted`: the provider confirmed it. `absent`: the provider says it does not exist (404). */
  outcome: "deleted" | "absent";
  /** The deleted record, normalized, when the provider returns it (userapi, Truto); else null. */
  contact: NormalizedContact | null;
  /** The provider's parsed response body (text if it was not JSON), null when empty. */
  raw: unknown;
  status: number;
  /** The provider's request-id header, if it sent one. */
  requestId: string | null;
  /** HTTP attempts made. */
  attempts: number;
  /**
   * True when an earlier attempt failed in a way that may have applied the delete (timeout,
   * dropped connection, 5xx) and a later one found the contact gone: `absent` then most likely
   * means "deleted by our own earlier attempt".
   */
  afterRetry: boolean;
  /**
   * True when a read-back (`verify`) found the contact gone: the provider's own "contact does not
   * exist" answer to a GET after the delete. False when no read-back was made (`verify: false`,
   * the default `"ambiguous"` on a clear answer, or a provider without a read endpoint).
   */
  verified: boolean;
}
