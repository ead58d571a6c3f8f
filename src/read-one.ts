/**
 * One read of a contact (`contactExists`, and the read-back of `verify`): the delete's id checks,
 * retry loop, timeouts and pacing, then the final status: 2xx with a JSON object → it exists, the
 * provider's own "contact does not exist" 404 → it does not, anything else → one ContactkitError
 * ("checking contact … failed"). A read never changes anything, so its errors never say
 * `mayHaveApplied`.
 */
import type { AnyAdapter } from "./adapter.js";
import { isRecord } from "./contact.js";
import { callSettings, keepRaw, newCallState, parseBody, readRequestId, type DeleteCall } from "./delete-one.js";
import { ContactkitError, classifyStatus, errorText, inputError, isContactkitError, reviseError } from "./errors.js";
import { assertUsableId, invalidId } from "./ids.js";
import { foreignNotFoundText, isContactNotFound } from "./not-found.js";
import type { ProviderName } from "./providers/names.js";
import { redactHeaders, scrubText } from "./redact.js";
import { createResilientFetch, type CallState } from "./transport/resilient-fetch.js";

/** The options a read takes: the time, retry and abort options of a delete, nothing provider-specific. */
const READ_KEYS = ["signal", "maxRetries", "timeoutMs", "totalTimeoutMs", "maxResponseBytes"];

/** What one read found, with what the caller needs to account for it. */
export interface ReadAnswer {
  exists: boolean;
  status: number;
  attempts: number;
  requestId: string | null;
  raw: unknown;
}

/** Reads one contact. Rejects with `invalid_input` (nothing sent) for a bad id or option, or a provider without a read. */
export async function readOne(call: DeleteCall): Promise<ReadAnswer> {
  const { adapter, client, prepared, baseFetch, id, options, extra } = call;
  const { read, title } = adapter;
  const provider = adapter.connection.name as ProviderName;
  if (read === null)
    throw inputError(provider, title, `checking a contact needs a read endpoint, and ${title} documents none (\`canVerify\` is false)`, id);
  assertUsableId(provider, id, title);
  const idProblem = adapter.checkId(id);
  if (idProblem) throw invalidId(provider, id, idProblem, title);
  // The provider's own delete options do not apply to a read, nor does `missingOk`: the shared time options only.
  const readView = {
    ...adapter,
    optionKeys: [],
    checkOptions: (given: object) => {
      const unknownKey = Object.keys(given).find((key) => !READ_KEYS.includes(key));
      return unknownKey ? `unknown option \`${unknownKey}\` for checking a contact` : null;
    },
  };
  const settings = { ...callSettings(provider, readView, call.settings, options), ...extra };

  const state = newCallState(adapter, prepared, id, options.signal as AbortSignal | undefined, "checking");
  let response: Response;
  try {
    ({ response } = await read({ client, id, prepared, fetch: createResilientFetch(baseFetch, settings, state) }));
  } catch (error) {
    // The loop counts a lost answer as "may have applied"; for a GET there is nothing to apply.
    if (isContactkitError(error)) throw error.mayHaveApplied ? reviseError(error, { mayHaveApplied: false }) : error;
    throw inputError(
      provider,
      title,
      `checking contact ${JSON.stringify(id)} failed: bad request: ${scrubText(errorText(error), prepared.secrets)}`,
      id,
    );
  }
  return interpretRead(adapter, response, state);
}

/** 2xx with a JSON object: exists; the read's own "no such contact" 404: does not; anything else: one error. */
function interpretRead(adapter: AnyAdapter, response: Response, state: CallState): ReadAnswer {
  const { provider, id, secrets, title } = state;
  const status = response.status;
  const body = parseBody(state.bodyText, response.headers);
  const requestId = readRequestId(response.headers, adapter.requestIdHeaders, secrets);
  const answer = { status, attempts: state.attempts, requestId, raw: keepRaw(body, secrets) };
  const json = body.kind === "json" ? body.value : undefined;
  if (status >= 200 && status < 300 && isRecord(json)) return { ...answer, exists: true };
  // The same rule as deletes, from the read's own 404 in the spec: any other 404 tells nothing.
  if (isContactNotFound({ notFound: adapter.readNotFound }, status, json)) return { ...answer, exists: false };

  const errorBase = {
    provider,
    contactId: id,
    status,
    requestId,
    attempts: state.attempts,
    raw: answer.raw,
    headers: redactHeaders(response.headers, secrets),
  };
  if (status >= 200 && status < 300) {
    // A login page or an undocumented `null` is no evidence either way.
    throw new ContactkitError({
      ...errorBase,
      code: "invalid_response",
      message: `${title}: checking contact ${JSON.stringify(id)} failed: HTTP ${status}, but the body is not a contact object.`,
    });
  }
  const foreign404 = status === 404;
  const { code, retryable } = foreign404 ? ({ code: "endpoint_not_found", retryable: false } as const) : classifyStatus(status);
  const providerMessage = json === undefined ? null : adapter.errorMessage(json);
  const detail = providerMessage ? `: ${providerMessage.replace(/\.+$/, "")}` : "";
  const notAbout = foreign404 ? foreignNotFoundText(adapter, json) : "";
  const wait = state.retryAfterMs === null ? "" : ` Retry after ${Math.ceil(state.retryAfterMs / 1000)} s.`;
  throw new ContactkitError({
    ...errorBase,
    code,
    retryable,
    retryAfterMs: state.retryAfterMs,
    message: scrubText(`${title}: checking contact ${JSON.stringify(id)} failed: HTTP ${status}${detail}.${wait}${notAbout}`, secrets),
  });
}
