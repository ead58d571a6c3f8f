/**
 * The built-in fetch path (no `fetch` in the config), over real HTTP on loopback: each attempt
 * calls `fetch(url, init)` with a light request and no extra abort race, so these check that
 * the attempt's timeout and the caller's signal still cover the body, and that redirects and
 * credentials still behave. A user's `fetch`, by contrast, still receives a real `Request`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import { rejection } from "../helpers/provider-unit-suite.js";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let server: Server;
let baseUrl: string;
let handler: Handler;
const seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ method: request.method ?? "", url: request.url ?? "", authorization: request.headers.authorization });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  seen.length = 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (extra: Record<string, unknown> = {}) =>
  createContactsClient({ provider: "close", apiKey: "k3y-built-in-path", baseUrl, maxRetries: 0, ...extra });

describe("built-in fetch path", () => {
  it("deletes with the configured credentials and reads the body", async () => {
    handler = (_request, response) => response.writeHead(200, { "content-type": "application/json" }).end("{}");
    await expect(client().deleteContact("cont_1")).resolves.toMatchObject({ outcome: "deleted", status: 200, attempts: 1 });
    expect(seen).toEqual([{ method: "DELETE", url: "/api/v1/contact/cont_1/", authorization: expect.stringMatching(/^Basic /) }]);
  });

  // verify: false keeps this about the transport (the default would read back once and count that attempt).
  it("times out a body that stalls after the headers", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      response.write('{"partial":');
    };
    const started = performance.now();
    const error = await rejection(client({ timeoutMs: 300 }).deleteContact("cont_1", { verify: false }));
    expect(error).toMatchObject({ code: "timeout", attempts: 1, mayHaveApplied: true });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("a Content-Length that understates the body: the body is the declared bytes, never the rest", async () => {
    handler = (_request, response) => {
      // Raw, so Node's server cannot fix the framing: 2 MiB (over the 1 MiB cap) past the declared 2 bytes.
      const head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
      response.socket?.end(Buffer.concat([Buffer.from(head), Buffer.alloc(2 * 1_048_576, 0x20)]));
    };
    await expect(client().deleteContact("cont_1", { verify: false })).resolves.toMatchObject({ outcome: "deleted", raw: {} });
  });

  it("a Content-Length body that arrives in pieces is read whole (reading stops at the declared length, not before)", async () => {
    const text = JSON.stringify({ id: "cont_1", note: "é".repeat(3000) });
    const bytes = Buffer.from(text);
    handler = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": String(bytes.length) });
      // Three writes, apart in time, cutting through a two-byte character.
      const cuts = [0, 1001, 4001, bytes.length];
      const send = (i: number) => {
        if (i === cuts.length - 1) return void response.end();
        response.write(bytes.subarray(cuts[i], cuts[i + 1]));
        setTimeout(() => send(i + 1), 20);
      };
      send(0);
    };
    await expect(client().deleteContact("cont_1", { verify: false })).resolves.toMatchObject({ outcome: "deleted", raw: JSON.parse(text) });
  });

  it("calls after a body read to its Content-Length reuse the keep-alive connection", async () => {
    handler = (_request, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    const crm = client();
    await crm.deleteContact("cont_1", { verify: false }); // opens the connection (or reuses one)
    let opened = 0;
    const count = () => void opened++;
    server.on("connection", count);
    try {
      for (let i = 0; i < 5; i++)
        await expect(crm.deleteContact("cont_1", { verify: false })).resolves.toMatchObject({ outcome: "deleted" });
    } finally {
      server.off("connection", count);
    }
    expect(opened).toBe(0);
    expect(seen).toHaveLength(6);
  });

  it("a chunked body over the cap on the built-in path is refused while reading", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(Buffer.alloc(2 * 1_048_576, 0x20));
    };
    const error = await rejection(client({ maxResponseBytes: 65_536 }).deleteContact("cont_1", { verify: false }));
    expect(error).toMatchObject({ code: "invalid_response", status: 200, mayHaveApplied: true });
    expect(error.message).toContain("65536-byte limit");
  });

  it("the caller's signal stops a stalled body", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write("[");
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await rejection(client({ timeoutMs: 30_000 }).deleteContact("cont_1", { signal: controller.signal }));
    expect(error).toMatchObject({ code: "aborted", attempts: 1, mayHaveApplied: true });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("follows a same-path redirect with the credentials, and refuses another path", async () => {
    handler = (request, response) => {
      if (request.url === "/api/v1/contact/cont_1/") response.writeHead(307, { location: "/api/v1/contact/cont_1" }).end();
      else response.writeHead(200, { "content-type": "application/json" }).end("{}");
    };
    await expect(client().deleteContact("cont_1")).resolves.toMatchObject({ outcome: "deleted", status: 200 });
    expect(seen.map((r) => [r.method, r.url, r.authorization?.startsWith("Basic ")])).toEqual([
      ["DELETE", "/api/v1/contact/cont_1/", true],
      ["DELETE", "/api/v1/contact/cont_1", true],
    ]);

    seen.length = 0;
    handler = (_request, response) => response.writeHead(308, { location: "/api/v1/contact/" }).end();
    const error = await rejection(client().deleteContact("cont_1"));
    expect(error).toMatchObject({ code: "provider_error" });
    expect(error.message).toContain("never moved to another path");
    expect(seen).toHaveLength(1);
  });

  it("refuses a redirect loop on the built-in path after the URL's second request", async () => {
    handler = (request, response) => response.writeHead(307, { location: request.url ?? "/" }).end();
    const error = await rejection(client().deleteContact("cont_1"));
    expect(error.message).toContain("redirect loop");
    expect(seen).toHaveLength(2);
  });
});

describe("a user's fetch", () => {
  it("receives a real Request with the method, URL, credentials, signal and manual redirects", async () => {
    const received: unknown[] = [];
    const fetch = async (input: Request, init?: RequestInit) => {
      received.push(input, init);
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    };
    await expect(client({ fetch }).deleteContact("cont_1")).resolves.toMatchObject({ outcome: "deleted" });
    const [request, init] = received as [Request, RequestInit];
    expect(request).toBeInstanceOf(Request);
    expect(request.method).toBe("DELETE");
    expect(request.url).toBe(`${baseUrl}/api/v1/contact/cont_1/`);
    expect(request.headers.get("authorization")).toMatch(/^Basic /);
    expect(request.redirect).toBe("manual");
    expect(init.redirect).toBe("manual");
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(init.signal?.aborted).toBe(false);
    expect(seen).toEqual([]);
  });
});

describe("per-call options on the fast path", () => {
  it("no options uses the client's settings; bad options are still refused before any request", async () => {
    handler = (_request, response) => response.writeHead(200, { "content-type": "application/json" }).end("{}");
    const crm = client({ maxRetries: 0 });
    await expect(crm.deleteContact("cont_1")).resolves.toMatchObject({ outcome: "deleted" });
    await expect(crm.deleteContact("cont_1", null as never)).resolves.toMatchObject({ outcome: "deleted" });
    for (const bad of [0, "x", false, { maxRetries: -1 }, { nope: true }]) {
      const error = await rejection(crm.deleteContact("cont_1", bad as never));
      expect(error).toMatchObject({ code: "invalid_input" });
    }
    expect(seen).toHaveLength(2);
  });
});
