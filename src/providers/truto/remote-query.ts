/**
 * Truto's `remote_query`: passed to the connected CRM untouched, nested objects and arrays
 * included, in the bracket form Truto's querying guide shows (`remote_query[foo][bar1][bar2]=baz2`,
 * arrays `remote_query[foo][]=bar`, an object in an array `remote_query[foo][][bar1]=baz1`).
 * openapi-fetch's deepObject serializer writes one level only, so this module checks and writes
 * the parameter itself, in one walk. Keys go into the query unencoded, so every key at every level
 * must pass `queryKeyProblem` (a key must not open another parameter); values are URL-encoded.
 */
import type { SchemaTrutoRemoteQuery } from "../../../generated/truto.js";
import { isRecord } from "../../contact.js";
import { queryKeyProblem } from "../../query-keys.js";

export type TrutoRemoteQuery = SchemaTrutoRemoteQuery;

/** Levels of keys below `remote_query` (the spec's TrutoRemoteQuery → Level2 → Level3). */
const MAX_DEPTH = 3;

/** The `remote_query[…]=value` pairs for `query`, or (a string) why it cannot be sent. */
export function remoteQueryPairs(query: unknown): string[] | string {
  const pairs: string[] = [];
  // One message for every shape the spec does not allow (an array in an array, a Date or Map —
  // which would silently send nothing —, null, NaN, a lone surrogate, a fourth level of keys).
  const bad = (path: string) =>
    `\`${path}\` must be a string, finite number, boolean, array or plain object, at most ${MAX_DEPTH} levels of keys deep`;
  const walk = (value: unknown, path: string, prefix: string, depth: number, inArray: boolean): string | null => {
    if (Array.isArray(value) && !inArray) {
      for (const [i, item] of value.entries()) {
        const problem = walk(item, `${path}[${i}]`, `${prefix}[]`, depth, true);
        if (problem) return problem;
      }
      return null;
    }
    if (isRecord(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value)) && depth < MAX_DEPTH) {
      const keyProblem = queryKeyProblem(path, value);
      if (keyProblem) return keyProblem;
      for (const [key, item] of Object.entries(value)) {
        const problem = item === undefined ? null : walk(item, `${path}.${key}`, `${prefix}[${key}]`, depth + 1, false);
        if (problem) return problem;
      }
      return null;
    }
    if (typeof value === "number" ? !Number.isFinite(value) : typeof value !== "string" && typeof value !== "boolean") return bad(path);
    try {
      pairs.push(`${prefix}=${encodeURIComponent(String(value))}`);
    } catch {
      return bad(path); // encodeURIComponent's URIError: an unpaired surrogate
    }
    return null;
  };
  return (isRecord(query) ? walk(query, "remoteQuery", "remote_query", 0, false) : bad("remoteQuery")) ?? pairs;
}
