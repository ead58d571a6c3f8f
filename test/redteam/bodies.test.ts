/**
 * Red team, response bodies, over real HTTP on 127.0.0.1: a body is read only up to
 * `maxResponseBytes` (default 1 MiB), counted after decompression. Past it the attempt ends with
 * `invalid_response`, `mayHaveApplied` for a 2xx. Before, a 128 MB body, a gzip bomb or an
 * endless stream was buffered whole (hundreds of MB) and a 2xx still counted as `deleted`.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import { rejection } from "../helpers/provider-unit-suite.js";
import { providers, sampleId, successExample, unitConfig, useScriptedServer, type Handler } from "./helpers.js";

const MiB = 1_048_576;
const BOMB = gzipSync(Buffer.alloc(16 * MiB, 0x20)); // ~16 KB on the wire, 16 MiB of spaces decoded

const server = useScriptedServer();

function fixedBody(status: number, body: Buffer | string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
}

/** Sends `total` bytes in chunks without a Content-Length (chunked), stopping if the client goes. */
function chunked(status: number, total: number): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
}

/** Never ends: writes as fast as the client reads, until the client hangs up. */
const endless: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const pump = () => {
    while (!res.destroyed) if (!res.write(chunk)) return void res.once("drain", pump);
  };
  pump();
};

/** The spec's success body with padding, so it stays a valid answer of `bytes` bytes or more. */
function paddedSuccess(provider: (typeof providers)[number], bytes: number): string {
  const body = successExample(provider).body;
  const base = body !== null && typeof body === "object" && !Array.isArray(body) ? body : {};
  return JSON.stringify({ ...base, padding: " ".repeat(bytes) });
}

describe.each(providers)("red team bodies: %s", (provider) => {
  const id = sampleId(provider);
  const client = (extra: object = {}) => createContactsClient({ ...unitConfig(provider), baseUrl: server.url, maxRetries: 0, ...extra });

  it.each([
    ["a 2 MiB 200 with Content-Length", () => fixedBody(200, Buffer.alloc(2 * MiB, 0x20))],
    ["a 2 MiB chunked 200", () => chunked(200, 2 * MiB)],
    ["a gzip bomb on a 200 (16 MiB decoded from ~16 KB)", () => fixedBody(200, BOMB, { "content-encoding": "gzip" })],
    ["an endless 200 stream", () => endless],
  ])("%s is invalid_response that may have applied, never deleted", async (_label, make) => {
    server.handler = make();
    const started = performance.now();
    const crm = client();
    const error = await rejection(crm.deleteContact(id));
    // The default read-back meets the same oversized answer: it cannot tell, so the delete's error
    // stands, with the read's own failure attached and its attempt counted.
    const reads = crm.canVerify ? 1 : 0;
    expect(error).toMatchObject({ code: "invalid_response", status: 200, mayHaveApplied: true, attempts: 1 + reads, retryable: false });
    expect(error.verification?.code ?? null).toBe(crm.canVerify ? "invalid_response" : null);
    expect(error.message).toContain("1048576");
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("an oversized 404 is invalid_response, not absent, even with missingOk", async () => {
    server.handler = chunked(404, 2 * MiB);
    const error = await rejection(client().deleteContact(id, { missingOk: true }));
    expect(error).toMatchObject({ code: "invalid_response", status: 404, mayHaveApplied: false });
  });

  it("an oversized 500 ends the attempt and may have applied", async () => {
    server.handler = chunked(500, 2 * MiB);
    const error = await rejection(client().deleteContact(id));
    expect(error).toMatchObject({ code: "invalid_response", status: 500, mayHaveApplied: true });
  });

  it("a per-call maxResponseBytes lowers the cap", async () => {
    server.handler = fixedBody(200, paddedSuccess(provider, 300));
    const error = await rejection(client().deleteContact(id, { maxResponseBytes: 200 }));
    expect(error).toMatchObject({ code: "invalid_response", status: 200, mayHaveApplied: true });
    expect(error.message).toContain("200-byte");
  });

  it("a client maxResponseBytes raises the cap: a 2 MiB valid answer is a delete", async () => {
    server.handler = fixedBody(200, paddedSuccess(provider, 2 * MiB));
    await expect(client({ maxResponseBytes: 4 * MiB }).deleteContact(id)).resolves.toMatchObject({ outcome: "deleted", status: 200 });
  });

  it("a body of exactly the cap is read (the cap is inclusive)", async () => {
    const body = paddedSuccess(provider, 100);
    server.handler = fixedBody(200, body);
    await expect(client().deleteContact(id, { maxResponseBytes: Buffer.byteLength(body) })).resolves.toMatchObject({ outcome: "deleted" });
  });

  it("a small gzip answer is decoded and counted decoded", async () => {
    const body = paddedSuccess(provider, 4000);
    server.handler = fixedBody(200, gzipSync(body), { "content-encoding": "gzip" });
    // ~100 bytes on the wire but over 4000 decoded: the decoded size is what counts.
    const error = await rejection(client().deleteContact(id, { maxResponseBytes: 1000 }));
    expect(error.code).toBe("invalid_response");
    await expect(client().deleteContact(id)).resolves.toMatchObject({ outcome: "deleted" });
  });
});
