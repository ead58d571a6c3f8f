/**
 * Keys of pass-through query objects (Truto's `remote_query[key]`). openapi-fetch writes such a
 * key into the query string as is, unencoded, so a key like `a]=1&integrated_account_id=…&b[`
 * would add a second account id (deleting in another CRM), `x]&truto_response_format=raw&y[`
 * would change the answer's shape, and `a#` would cut the query. Only plain names pass.
 */
const SAFE_QUERY_KEY = /^[A-Za-z0-9_.-]{1,128}$/;

/** Why one of `query`'s keys cannot be sent, or null when all are plain names. */
export function queryKeyProblem(name: string, query: Record<string, unknown>): string | null {
  const bad = Object.keys(query).find((key) => !SAFE_QUERY_KEY.test(key));
  if (bad === undefined) return null;
  return `\`${name}\` key ${JSON.stringify(bad.slice(0, 64))} must be 1-128 letters, digits, \`_\`, \`.\` or \`-\``;
}
