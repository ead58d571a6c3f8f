/**
 * Deadline slots over real HTTP on loopback (the built-in fetch, undici's own signal handling):
 * attempts that share a slot's signal never cut each other short (a body over the cap and a
 * redirect stop their own stream only), a timeout never fires early, one bulk run's abort stays in
 * that run, a long run on one clock window never warns about listeners, and the slot's timer keeps
 * a process alive exactly while an attempt is in flight (child processes on the built package).
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createContactsClient } from "../../src/index.js";
import { armedTimerCount, MAX_JOINS, SLOT_MS } from "../../src/transport/deadline-slots.js";
import { assertBuilt, cliEnv, root } from "../cli/helpers.js";
import { rejection } from "../helpers/rejection.js";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let server: Server;
let baseUrl: string;
let handler: Handler;
const pending = new Set<NodeJS.Timeout>();
/** A server-side delay, cleared at the end so nothing outlives the file. */
const later = (ms: number, run: () => void) => {
  const timer = setTimeout(() => (pending.delete(timer), run()), ms);
  pending.add(timer);
};

beforeAll(async () => {
  server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  for (const timer of pending) clearTimeout(timer);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (extra: Record<string, unknown> = {}) =>
  createContactsClient({ provider: "close", apiKey: "k3y-deadline-slots", baseUrl, maxRetries: 0, ...extra });
const json = { "content-type": "application/json" };

/** Waits (busy, a fraction of a ms at most) until a slot has just begun, so calls started now share it. */
function atSlotStart(timeoutMs: number): void {
  while ((performance.now() + timeoutMs) % SLOT_MS > 0.5) {
    // spin
  }
}

describe("deadline slots over HTTP", () => {
  it("a body over the cap and a redirect in a shared slot stop only themselves: a slow sibling still succeeds", async () => {
    handler = (request, response) => {
      seeTimers();
      if (request.url === "/api/v1/contact/cont_big/") {
        // Once its siblings are in flight.
        response.writeHead(200, json);
        later(50, () => response.end(Buffer.alloc(2 * 1_048_576, 0x20)));
      } else if (request.url === "/api/v1/contact/cont_moved/") {
        response.writeHead(307, { location: "/api/v1/contact/cont_moved", "content-type": "text/plain" }).end("moved there");
      } else if (request.url === "/api/v1/contact/cont_moved") {
        response.writeHead(200, json).end("{}");
      } else {
        // Headers now, the body once the other two have stopped.
        response.writeHead(200, json);
        response.write("{");
        later(200, () => response.end("}"));
      }
    };
    // Sharing is seen from the armed timers (one per busy slot): spying on `fetch` would turn it off.
    let peakTimers = 0;
    const seeTimers = () => (peakTimers = Math.max(peakTimers, armedTimerCount()));
    const timeoutMs = 30_000;
    const ck = client({ timeoutMs, maxResponseBytes: 65_536 });
    await ck.deleteContact("cont_moved", { verify: false }); // warm: a first call is slow enough to miss the slot
    let shared = false;
    // A run whose three first attempts straddle two slots proves nothing: try again (rare).
    for (let run = 0; run < 5 && !shared; run++) {
      const before = armedTimerCount();
      peakTimers = 0;
      atSlotStart(timeoutMs);
      const [big, moved, slow] = await Promise.all([
        rejection(ck.deleteContact("cont_big", { verify: false })),
        ck.deleteContact("cont_moved", { verify: false }),
        ck.deleteContact("cont_slow", { verify: false }),
      ]);
      expect(big).toMatchObject({ code: "invalid_response", status: 200 });
      expect(big.message).toContain("65536-byte limit");
      expect(moved).toMatchObject({ outcome: "deleted", status: 200 });
      expect(slow).toMatchObject({ outcome: "deleted", status: 200, attempts: 1 });
      // Three calls in flight at once on one armed timer: they shared a slot.
      shared = peakTimers === before + 1;
      expect(armedTimerCount()).toBe(before);
    }
    expect(shared).toBe(true);
  });

  it("a patched globalThis.fetch or a spied performance.now: each attempt gets a signal of its own", async () => {
    handler = (_request, response) => void response.writeHead(200, json).end("{}");
    const ck = client({ timeoutMs: 30_000 });
    const realFetch = globalThis.fetch;
    const signals: AbortSignal[] = [];
    // A tracing wrapper, as an interceptor would install it after contactkit loaded.
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      if (init?.signal) signals.push(init.signal);
      return realFetch(input, init);
    });
    atSlotStart(30_000);
    await Promise.all(["cont_1", "cont_2", "cont_3"].map((id) => ck.deleteContact(id, { verify: false })));
    expect(signals).toHaveLength(3);
    expect(new Set(signals).size).toBe(3);
    vi.restoreAllMocks();
    // A clock standing still would put every attempt in one slot, whatever its real start.
    const frozen = performance.now();
    vi.spyOn(performance, "now").mockReturnValue(frozen);
    const before = armedTimerCount();
    let peak = 0;
    handler = (_request, response) => {
      peak = Math.max(peak, armedTimerCount());
      response.writeHead(200, json).end("{}");
    };
    await Promise.all(["cont_4", "cont_5", "cont_6"].map((id) => ck.deleteContact(id, { verify: false })));
    // One armed timer per attempt in flight, not one for all three.
    expect(peak).toBeGreaterThan(before + 1);
  });

  it("a timeout never fires early, and attempts with different timeouts keep their own", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { ...json, "content-length": "100" });
      response.write('{"partial":');
    };
    const time = async (timeoutMs: number) => {
      const started = performance.now();
      const error = await rejection(client({ timeoutMs }).deleteContact("cont_1", { verify: false }));
      return { error, elapsed: performance.now() - started };
    };
    const [short, long] = await Promise.all([time(100), time(300)]);
    expect(short.error).toMatchObject({ code: "timeout", attempts: 1 });
    expect(short.error.message).toContain("no complete answer within 100 ms");
    expect(short.elapsed).toBeGreaterThanOrEqual(100);
    expect(long.error.message).toContain("no complete answer within 300 ms");
    expect(long.elapsed).toBeGreaterThanOrEqual(300);
  });

  it("aborting one bulk run leaves another run's attempts, and a run without a signal, alone", async () => {
    handler = (_request, response) => later(150, () => response.writeHead(200, json).end("{}"));
    const ck = client({ timeoutMs: 30_000 });
    const ids = ["cont_1", "cont_2", "cont_3", "cont_4"];
    const a = new AbortController();
    const b = new AbortController();
    setTimeout(() => a.abort(), 40);
    const [runA, runB, runC] = await Promise.all([
      ck.deleteContacts(ids, { concurrency: 4, rateLimit: false, verify: false, signal: a.signal }),
      ck.deleteContacts(ids, { concurrency: 4, rateLimit: false, verify: false, signal: b.signal }),
      ck.deleteContacts(ids, { concurrency: 4, rateLimit: false, verify: false }),
    ]);
    expect(runA.failed.map((f) => f.error.code)).toEqual(["aborted", "aborted", "aborted", "aborted"]);
    expect(runB.counts).toMatchObject({ total: 4, deleted: 4, failed: 0 });
    expect(runC.counts).toMatchObject({ total: 4, deleted: 4, failed: 0 });
  });

  it("2,000 calls within one clock window: no listener warning, slots of at most MAX_JOINS, few live slots", async () => {
    handler = (_request, response) => response.writeHead(200, json).end("{}");
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      // A frozen clock puts every attempt in one slot's window: only the join bound opens new ones.
      const frozen = performance.now();
      vi.spyOn(performance, "now").mockReturnValue(frozen);
      const ck = client({ timeoutMs: 30_000 });
      const before = armedTimerCount();
      let peak = before;
      for (let i = 0; i < 2000; i++) {
        await ck.deleteContact("cont_1", { verify: false });
        peak = Math.max(peak, armedTimerCount());
      }
      await new Promise((resolve) => setTimeout(resolve, 20)); // a warning is emitted on a later tick
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
      expect(peak).toBeLessThanOrEqual(before + 1);
      expect(2000 / MAX_JOINS).toBeGreaterThan(30); // the bound was crossed many times
    } finally {
      process.off("warning", onWarning);
    }
  }, 60_000);
});

/** Runs `code` (an ES module importing the built package) in a fresh node; its stdout, code and time. */
function runNode(code: string, killAfterMs: number): Promise<{ stdout: string; code: number | null; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
      cwd: root,
      env: cliEnv(),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const killer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.once("error", reject);
    child.once("close", (exit) => {
      clearTimeout(killer);
      resolve({ stdout, code: exit, ms: performance.now() - started });
    });
  });
}

describe("deadline slots and the process's life (built package)", () => {
  const entry = JSON.stringify(`${root}/dist/esm/src/index.js`);
  const setup = `import { createContactsClient } from ${entry};
const config = { provider: "close", apiKey: "k3y-child", baseUrl: "http://127.0.0.1:9", maxRetries: 0 };`;

  it("a finished call leaves no timer holding the process, though its slot's end is 30 s away", async () => {
    assertBuilt();
    const result = await runNode(
      `${setup}
const client = createContactsClient({ ...config, timeoutMs: 30000, fetch: async () => new Response("{}", { status: 200 }) });
const result = await client.deleteContact("cont_1", { verify: false });
console.log(result.outcome);`,
      15_000,
    );
    expect(result.stdout.trim()).toBe("deleted");
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(15_000);
  }, 20_000);

  it("a user fetch that never settles still times out with the process otherwise idle", async () => {
    assertBuilt();
    const result = await runNode(
      `${setup}
const client = createContactsClient({ ...config, timeoutMs: 300, fetch: () => new Promise(() => {}) });
try { await client.deleteContact("cont_1", { verify: false }); console.log("resolved"); }
catch (error) { console.log(error.code); }`,
      15_000,
    );
    expect(result.stdout.trim()).toBe("timeout");
    expect(result.code).toBe(0);
  }, 20_000);
});
