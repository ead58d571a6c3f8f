/*
 * The engine behind `startFakeProviders`. It takes the manifest as an argument (instead of
 * importing `generated/manifest.ts`) so everything the fake does is visibly derived from spec
 * data: routes, parameter rules, security alternatives and response bodies. The few things a spec
 * cannot express (which credential the account id must equal, a version cut-off, rate-limit header
 * formats) live in each provider's tooling (src/providers/<name>/tooling.ts, `fake.rules`).
 *
 * The rooms: compile.ts (manifest -> checks and prepared answers), decide.ts (one request's
 * outcome), state.ts (which contacts exist), faults.ts (the fault queue), rate-windows.ts (the
 * optional rate limit), http.ts (writing answers), options.ts (the options, checked). This file
 * routes requests and plays faults.
 */
import { Buffer } from "node:buffer";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isProviderName, providerNames, type ProviderName } from "../providers/names.js";
import { toolingRegistry } from "../tooling-registry.js";
import { compileProvider, type CompiledProvider, type FakeManifest } from "./compile.js";
import { decide } from "./decide.js";
import { FaultQueue } from "./faults.js";
import { baseHeaders, genericBody, headerSafe, preflight, write, type Ctx } from "./http.js";
import { readOptions, type FakeSettings } from "./options.js";
import { RateWindows } from "./rate-windows.js";
import { seedIds } from "./seeds.js";
import { ContactState } from "./state.js";
import type { FakeClientConfig, FakeCredentials, FakeFault, FakeProviders, FakeProvidersOptions, RecordedRequest } from "./types.js";

export type { FakeManifest, FakeManifestExample, FakeManifestParameter, FakeProviderManifest } from "./compile.js";
export { defaultFakeCredentials } from "./credentials.js";

/** Routing, the normal answer and fault playback, over the compiled providers and their state. */
class FakeEngine {
  readonly credentials: FakeCredentials;
  readonly compiled: CompiledProvider[];
  readonly byName: Map<ProviderName, CompiledProvider>;
  readonly seeded = {} as Record<ProviderName, string[]>;
  readonly state: ContactState;
  readonly faults = new FaultQueue();
  readonly windows: RateWindows;
  readonly requests: RecordedRequest[] = [];
  readonly timers = new Set<NodeJS.Timeout>();
  private counter = 0;
  private readonly cors: boolean;
  private readonly record: boolean;
  private readonly answerDelay: () => number;

  constructor(manifest: FakeManifest, settings: FakeSettings) {
    this.credentials = settings.credentials;
    this.cors = settings.cors;
    this.record = settings.record;
    this.answerDelay = settings.answerDelay;
    this.compiled = providerNames.map((name) => compileProvider(name, manifest[name], this.credentialsOf(name)));
    this.byName = new Map(this.compiled.map((p) => [p.name, p]));
    for (const p of this.compiled) {
      this.seeded[p.name] = seedIds(
        toolingRegistry[p.name].fake.generatedId,
        settings.seedCount,
        p.exampleIds,
        (id) => p.checkId(id) === null,
      );
    }
    this.state = new ContactState(this.seeded, settings.anyMode);
    this.windows = new RateWindows(settings.perSecond, settings.windowMs);
  }

  credentialsOf(name: ProviderName): Record<string, string> {
    return this.credentials[name] as unknown as Record<string, string>;
  }

  has(provider: ProviderName, id: string): boolean {
    const p = this.byName.get(provider);
    if (!p || p.checkId(id) !== null) return false;
    return this.state.exists(p.name, p.canonicalId(id));
  }

  /** Seeds back, faults and the request log cleared; delayed answers still pending never fire. */
  reset(): void {
    this.clearTimers();
    this.state.restore();
    this.windows.clear();
    this.faults.clear();
    this.requests.length = 0;
  }

  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** A prepared (spec example) answer for `status`, or a generic JSON body when the spec has none. */
  private sendPrepared(
    ctx: Ctx,
    p: CompiledProvider,
    status: number,
    reason: string,
    extra?: Record<string, string>,
    exampleName?: string,
  ) {
    const chosen = exampleName === undefined ? undefined : p.named.get(exampleName);
    const prepared = chosen?.status === status ? chosen : p.responses.get(status);
    const headers = baseHeaders(ctx, this.cors, p);
    if (prepared) Object.assign(headers, prepared.headers);
    if (extra) Object.assign(headers, extra);
    headers["x-fake-reason"] = headerSafe(reason);
    const body = prepared ? prepared.body : genericBody(status, reason);
    const contentType = prepared ? prepared.contentType : "application/json";
    if (contentType && body !== "") headers["content-type"] = contentType;
    this.answer(ctx, status, headers, body);
  }

  /**
   * What the provider would answer: method, rate limit, the decision, then the success body (or
   * none). `p` is the operation the path and method asked for (the delete, or its read); a path
   * asked with a method it does not serve gets a 405 naming the ones it does.
   */
  normal(ctx: Ctx, p: CompiledProvider, allowed: readonly string[] = [p.method]): void {
    if (ctx.req.method !== p.method) {
      const allow = [...allowed, ...(this.cors ? ["OPTIONS"] : [])].join(", ");
      this.sendPrepared(ctx, p, 405, `${ctx.req.method} is not allowed here`, { allow });
      return;
    }
    const rate = this.windows.count(p);
    if (rate?.limited) {
      this.sendPrepared(ctx, p, 429, "rate limit exceeded", rate.headers);
      return;
    }
    const outcome = decide(ctx, p, this.state, this.credentialsOf(p.name));
    if (outcome.status !== p.success.status || outcome.id === undefined) {
      this.sendPrepared(ctx, p, outcome.status, outcome.reason ?? "", rate?.headers, outcome.example);
      return;
    }
    const { success } = p;
    const headers = baseHeaders(ctx, this.cors, p);
    Object.assign(headers, success.headers);
    if (rate) Object.assign(headers, rate.headers);
    let body: string;
    if (success.parts) {
      const idJson = success.idAsNumber && /^-?\d+$/.test(outcome.id) ? p.canonicalId(outcome.id) : JSON.stringify(outcome.id);
      body = success.parts.join(idJson);
    } else {
      // No id to put in: the spec's body as is, or none for a bodiless success (204).
      body = p.responses.get(success.status)?.body ?? "";
    }
    if (success.contentType && body !== "") headers["content-type"] = success.contentType;
    this.answer(ctx, success.status, headers, body);
  }

  private finishFault(ctx: Ctx, p: CompiledProvider, fault: FakeFault, allowed: readonly string[]): void {
    if (ctx.res.destroyed) return; // the client went away while we were waiting
    if (fault.drop) {
      ctx.req.socket.destroy();
      return;
    }
    const example = fault.example === undefined ? undefined : p.named.get(fault.example);
    if (example) {
      this.sendPrepared(ctx, p, example.status, `fault: example ${fault.example}`, fault.headers, fault.example);
      return;
    }
    if (fault.status === undefined) {
      this.normal(ctx, p, allowed);
      return;
    }
    const headers = baseHeaders(ctx, this.cors);
    let body = "";
    if (typeof fault.body === "string") {
      body = fault.body;
      headers["content-type"] = "text/plain; charset=utf-8";
    } else if (fault.body !== undefined) {
      body = JSON.stringify(fault.body);
      headers["content-type"] = "application/json";
    }
    // Given headers win over ours (they may replace content-type or x-request-id on purpose).
    for (const [name, value] of Object.entries(fault.headers ?? {})) {
      for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
      headers[name] = value;
    }
    this.answer(ctx, fault.status, headers, body);
  }

  private playFault(ctx: Ctx, p: CompiledProvider, fault: FakeFault, allowed: readonly string[]): void {
    // 1. The work happens (or is refused) exactly as the normal handler would decide it.
    if (fault.applyDelete && ctx.req.method === "DELETE" && p.method === "DELETE") decide(ctx, p, this.state, this.credentialsOf(p.name));
    // 2. Then the wait; 3. then drop / canned answer / normal handler.
    const delay = fault.delayMs ?? 0;
    if (delay <= 0) this.finishFault(ctx, p, fault, allowed);
    else this.later(ctx, delay, () => this.finishFault(ctx, p, fault, allowed));
  }

  /** Writes an answer, after the `answerDelayMs` option's delay (the decision has already happened). */
  private answer(ctx: Ctx, status: number, headers: OutgoingHttpHeaders, body: string): void {
    const delay = this.answerDelay();
    if (delay > 0) this.later(ctx, delay, () => write(ctx, status, headers, body));
    else write(ctx, status, headers, body);
  }

  /** Runs `then` after `delay` ms, unless the client goes away first (no timer left behind). */
  private later(ctx: Ctx, delay: number, then: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      then();
    }, delay);
    this.timers.add(timer);
    ctx.res.once("close", () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  /**
   * The operation a request asks for: the provider whose delete or read path matches, and of its
   * operations on that path the one serving this method (else the first, which answers 405).
   */
  private route(
    path: string,
    method: string,
  ): { provider: CompiledProvider | undefined; operation: CompiledProvider | undefined; allowed: string[]; rawId: string } {
    for (const p of this.compiled) {
      const matches = [p, p.read].flatMap((op) => {
        const match = op?.route.exec(path);
        return op && match ? [{ op, rawId: match[1] ?? "" }] : [];
      });
      if (matches.length === 0) continue;
      const chosen = matches.find((m) => m.op.method === method) ?? matches[0]!;
      return { provider: p, operation: chosen.op, allowed: matches.map((m) => m.op.method), rawId: chosen.rawId };
    }
    return { provider: undefined, operation: undefined, allowed: [], rawId: "" };
  }

  private log(req: IncomingMessage, provider: CompiledProvider | undefined, path: string, query: string): RecordedRequest | undefined {
    if (!this.record) return undefined;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const entry: RecordedRequest = { provider: provider?.name ?? null, method: req.method ?? "", path, query, headers, status: null };
    this.requests.push(entry);
    return entry;
  }

  onRequest(req: IncomingMessage, res: ServerResponse): void {
    // DELETE bodies are meaningless here; drain them so the connection stays reusable.
    req.resume();
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? "" : url.slice(q + 1);
    const { provider, operation, allowed, rawId } = this.route(path, req.method ?? "");
    const ctx: Ctx = { req, res, n: ++this.counter, rawId, query, entry: this.log(req, provider, path, query) };

    if (this.cors && req.method === "OPTIONS") {
      preflight(ctx);
      return;
    }
    if (!provider || !operation) {
      const headers = baseHeaders(ctx, this.cors);
      // Plain text, as a web server answers an unknown path: it must never read as any provider's
      // "contact does not exist" (Close's and userapi's rule accept any JSON object).
      headers["content-type"] = "text/plain; charset=utf-8";
      this.answer(ctx, 404, headers, `contactkit fake: no route for ${req.method} ${path}\n`);
      return;
    }
    const fault = this.faults.size > 0 ? this.faults.take(provider.name, req.method ?? "") : undefined;
    if (fault) this.playFault(ctx, operation, fault, allowed);
    else this.normal(ctx, operation, allowed);
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

export async function startFakeProvidersWith(manifest: FakeManifest, options: FakeProvidersOptions = {}): Promise<FakeProviders> {
  const engine = new FakeEngine(manifest, readOptions(options));
  const server = createServer({ noDelay: true }, (req, res) => {
    try {
      engine.onRequest(req, res);
    } catch (error) {
      // A bug in the fake must surface as a 500 the test can see, not as a hung request.
      if (!res.headersSent && !res.destroyed) {
        const body = genericBody(500, `contactkit fake crashed: ${String(error)}`);
        res.writeHead(500, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      }
    }
  });
  // Keep-alive connections are the norm for clients here; keep them warm between test steps.
  server.keepAliveTimeout = 10_000;
  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url,
    port,
    server,
    credentials: engine.credentials,
    seeded: engine.seeded,
    requests: engine.requests,
    clientConfig<P extends ProviderName>(provider: P): FakeClientConfig<P> {
      if (!isProviderName(provider)) throw new TypeError(`unknown provider ${JSON.stringify(provider)}`);
      const fakeOf = toolingRegistry[provider].fake as { clientConfig(c: unknown): object };
      return { ...fakeOf.clientConfig(engine.credentials[provider]), baseUrl: url } as FakeClientConfig<P>;
    },
    queueFault: (fault) => {
      const named = engine.compiled.find((p) => p.name === fault?.provider)?.named;
      if (fault?.example !== undefined && named && !named.has(fault.example)) {
        throw new TypeError(
          `queueFault: ${fault.provider} has no response example ${JSON.stringify(fault.example)} (${[...named.keys()].join(", ")})`,
        );
      }
      engine.faults.push(fault);
    },
    has: (provider, id) => engine.has(provider, id),
    reset: () => engine.reset(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        engine.clearTimers();
        engine.faults.clear();
        server.close(() => resolve());
        // Idle keep-alive and in-flight (delayed) sockets alike: nothing may outlive close().
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
