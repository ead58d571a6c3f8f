/**
 * What the normal handler decides for one request, with no I/O (so a fault's `applyDelete` can
 * reuse it): auth, id, header and query parameters, the provider's extra rules, then the delete.
 */
import { parseQuery } from "./schema.js";
import { rulesOf, type CompiledProvider } from "./compile.js";
import type { Ctx } from "./http.js";
import type { ContactState } from "./state.js";

export interface Outcome {
  status: number;
  /** A specific spec example (by name) to answer with instead of the status's first one. */
  example?: string;
  /** Why an error status was chosen; sent as `x-fake-reason` to make failing tests readable. */
  reason?: string;
  id?: string;
}

const EMPTY_QUERY = new Map<string, string[]>();

/** `p` is the operation asked for: a DELETE removes the contact, a GET (the read) only looks. */
export function decide(ctx: Ctx, p: CompiledProvider, state: ContactState, credentials: Record<string, string>): Outcome {
  const { req } = ctx;
  let parsed: Map<string, string[]> | undefined | null = null;
  const query = () => (parsed === null ? (parsed = ctx.query === "" ? EMPTY_QUERY : parseQuery(ctx.query)) : parsed);

  const authorization = req.headers.authorization;
  if (p.security.length > 0 && !p.security.some((all) => all.every((check) => check(authorization, req, query)))) {
    return { status: 401, reason: authorization ? "credentials not accepted" : "missing credentials" };
  }

  let id: string;
  try {
    id = decodeURIComponent(ctx.rawId);
  } catch {
    return { status: 400, reason: "malformed percent-encoding in the id" };
  }
  const idError = p.checkId(id);
  if (idError) return { status: 400, reason: `id: ${idError}` };

  for (const h of p.headerParams) {
    const value = req.headers[h.key];
    if (value === undefined) {
      if (h.required) return { status: 400, reason: `missing header ${h.name}` };
      continue;
    }
    const error = h.check(Array.isArray(value) ? value.join(", ") : value);
    if (error) return { status: 400, reason: `${h.name}: ${error}` };
  }

  if (p.queryParams.length > 0 || ctx.query !== "") {
    const q = query();
    if (q === undefined) return { status: 400, reason: "malformed percent-encoding in the query" };
    for (const param of p.queryParams) {
      const value = param.read(q);
      if (value === undefined) {
        if (param.required) return { status: 400, reason: `missing query parameter ${param.name}` };
        continue;
      }
      const error = param.check(value);
      if (error) return { status: 400, reason: `${param.name}: ${error}` };
    }
  }

  const rules = rulesOf(p.name);
  if (rules.minVersion) {
    const version = req.headers[rules.minVersion.header];
    if (typeof version === "string" && version.slice(0, 10) < rules.minVersion.minimum) {
      return { status: 400, reason: `${rules.minVersion.header} ${version} predates this endpoint` };
    }
  }
  if (rules.account) {
    const { account } = rules;
    const given = account.in === "query" ? query()?.get(account.name)?.[0] : req.headers[account.name];
    if (given !== undefined && given !== account.expected(credentials)) {
      return {
        status: account.status,
        reason: `${account.name} does not match the configured account`,
        ...(account.example !== undefined ? { example: account.example } : {}),
      };
    }
  }

  const key = p.canonicalId(id);
  if (!state.exists(p.name, key)) return { status: 404, reason: "no such contact", id };
  if (p.method === "DELETE") state.remove(p.name, key);
  return { status: p.success.status, id };
}
