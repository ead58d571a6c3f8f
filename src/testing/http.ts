/** Writing the fake's answers: the request context, common headers, bodies and CORS preflights. */
import { Buffer } from "node:buffer";
import { STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import type { CompiledProvider } from "./compile.js";
import type { RecordedRequest } from "./types.js";

/** One request in flight. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  /** The request's number, the fake's request id. */
  n: number;
  rawId: string;
  query: string;
  entry: RecordedRequest | undefined;
}

export function genericBody(status: number, message: string): string {
  return JSON.stringify({ error: STATUS_CODES[status] ?? "Error", status, message });
}

/** Header values must be latin-1 without control characters. */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 300);
}

/** Headers every answer carries: the fake's request id (also in the provider's own request-id headers) and CORS. */
export function baseHeaders(ctx: Ctx, cors: boolean, p?: CompiledProvider): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { "x-request-id": `fake-${ctx.n}` };
  for (const name of p?.requestIdHeaders ?? []) headers[name] = `fake-${ctx.n}`;
  if (cors) {
    headers["access-control-allow-origin"] = "*";
    headers["access-control-expose-headers"] = "*";
  }
  return headers;
}

export function write(ctx: Ctx, status: number, headers: OutgoingHttpHeaders, body: string): void {
  const { res } = ctx;
  if (res.destroyed || res.headersSent) return;
  // A 204/304 has no body and no Content-Length (RFC 9110 §8.6); everything else says how long it is.
  if (status !== 204 && status !== 304) headers["content-length"] = Buffer.byteLength(body);
  res.writeHead(status, headers);
  res.end(body);
  if (ctx.entry) ctx.entry.status = status;
}

export function preflight(ctx: Ctx): void {
  const headers = baseHeaders(ctx, true);
  headers["access-control-allow-methods"] = "DELETE, GET";
  const requested = ctx.req.headers["access-control-request-headers"];
  if (requested) headers["access-control-allow-headers"] = requested;
  headers["access-control-max-age"] = "600";
  headers.vary = "Access-Control-Request-Headers";
  write(ctx, 204, headers, "");
}
