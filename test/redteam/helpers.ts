/**
 * Shared pieces of the red-team suite: the providers (from the registry, so a new provider joins
 * every case by itself), a client per provider with a scripted answer, and a real HTTP server on
 * 127.0.0.1 for what nock cannot fake faithfully (redirects, streaming, gzip, body sizes).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { registry } from "../../src/registry.js";
import type { ProviderName } from "../../src/providers/names.js";
import { sampleId, successExample, unitConfig, wirePath } from "../helpers/fixtures.js";

/** Every provider the library knows, read from the registry. */
export const providers = Object.keys(registry) as ProviderName[];

export interface Sent {
  method: string;
  url: string;
}

/** A client config for `provider` whose fetch records requests and answers 200 (nothing should be sent). */
export function recordingConfig(provider: ProviderName, sent: Sent[]): any {
  return {
    ...unitConfig(provider),
    maxRetries: 0,
    fetch: async (request: Request) => {
      sent.push({ method: request.method, url: request.url });
      return new Response(null, { status: 204 });
    },
  };
}

export interface LocalServer {
  url: string;
  origin: string;
  requests: Sent[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 with a free port; every request is recorded before `handle` runs. */
export async function startServer(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const requests: Sent[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "" });
    req.resume();
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local server whose answer each test sets through `handler`. */
export interface ScriptedServer extends LocalServer {
  handler: Handler;
}

/**
 * One scripted server for the calling test file: started before its tests, closed after them, its
 * request log cleared before each test.
 */
export function useScriptedServer(): ScriptedServer {
  let server: LocalServer | undefined;
  const started = (): LocalServer => {
    if (!server) throw new Error("the local server is not running (use it inside a test)");
    return server;
  };
  const scripted: ScriptedServer = {
    handler: (_req, res) => res.end(),
    get url() {
      return started().url;
    },
    get origin() {
      return started().origin;
    },
    get requests() {
      return started().requests;
    },
    close: () => started().close(),
  };
  beforeAll(async () => {
    server = await startServer((req, res) => scripted.handler(req, res));
  });
  afterAll(async () => server?.close());
  beforeEach(() => {
    if (server) server.requests.length = 0;
  });
  return scripted;
}

/** The DELETE path (with the query the provider always sends) a client of `provider` uses for `id`. */
export function deletePath(provider: ProviderName, id: string = sampleId(provider)): string {
  return wirePath(provider, id);
}

/** The spec's 2xx example, as the JSON text a server sends. */
export function successText(provider: ProviderName): string {
  const { body } = successExample(provider);
  return body === undefined || body === null ? "" : JSON.stringify(body);
}

export { sampleId, successExample, unitConfig };
