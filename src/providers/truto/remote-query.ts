/**
 * Truto's `remote_query`: passed to the connected CRM untouched, nested objects and arrays
 * included, in the bracket form Truto's querying guide shows (`remote_query[foo][bar1][bar2]=baz2`,
 * arrays `remote_query[foo][]=bar`, an object in an array `remote_query[foo][][bar1]=baz1`).
 * openapi-fetch's deepObject serializer writes one level only, so this module checks and writes
 * the parameter itself. Keys go into the query unencoded, so every key at every level must pass
 * `queryKeyProblem` (a key must not open another parameter); values are URL-encoded.
 */
import type { SchemaTrutoRemoteQuery } from "../../../generated/truto.js";
import { isRecord } from "../../contact.js";
import { queryKeyProblem } from "../../query-keys.js";

export type TrutoRemoteQuery = SchemaTrutoRemoteQuery;

/** Levels of keys below `remote_query` (the spec's TrutoRemoteQuery → Level2 → Level3). */
const MAX_DEPTH = 3;
// encodeURIComponent throws on a lone surrogate: refuse it as input instead.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `remoteQuery` cannot be sent, or null. `path` names the place for the message. */
export function remoteQueryProblem(value: unknown, path = "remoteQuery", depth = 1): string | null {
  if (!isPlainObject(value)) return `\`${path}\` must be a plain object`;
  if (depth > MAX_DEPTH) return `\`${path}\` nests deeper than ${MAX_DEPTH} levels of keys`;
  const keyProblem = queryKeyProblem(path, value);
  if (keyProblem) return keyProblem;
  for (const [key, item] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (item === undefined) continue;
    const problem = Array.isArray(item)
      ? item.map((element, i) => (isRecord(element) ? remoteQueryProblem(element, `${at}[${i}]`, depth + 1) : scalarProblem(element, `${at}[${i}]`))).find((p) => p !== null) ?? null
      : isRecord(item)
        ? remoteQueryProblem(item, at, depth + 1)
        : scalarProblem(item, at);
    if (problem) return problem;
  }
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function scalarProblem(value: unknown, path: string): string | null {
  if (typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isFinite(value) ? null : `\`${path}\` must be a finite number`;
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? `\`${path}\` contains an unpaired surrogate` : null;
  return `\`${path}\` must be a string, number, boolean, array or object`;
}

/** `remote_query[a][b]=v&…` for a value `remoteQueryProblem` accepted ("" when there is nothing to send). */
export function serializeRemoteQuery(query: TrutoRemoteQuery | undefined, name = "remote_query"): string {
  if (query === undefined) return "";
  const pairs: string[] = [];
  const write = (prefix: string, value: unknown): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) for (const element of value) write(`${prefix}[]`, element);
    else if (isRecord(value)) for (const [key, item] of Object.entries(value)) write(`${prefix}[${key}]`, item);
    else pairs.push(`${prefix}=${encodeURIComponent(String(value))}`);
  };
  write(name, query);
  return pairs.join("&");
}
