/**
 * Per-id output is batched (src/cli/line-output.ts): these check, on the built binary, that every
 * finished id still gets its line however the run ends (normal end, Ctrl-C, a crash), that the
 * `--json` lines keep their exact shape, and in-process that a backed-up stdout holds back new ids.
 */
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO, OutStream } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { BIN, assertBuilt, cliEnv, collect, killChildren, lines, providerEnvFor, scratchDir, spawnCli, useFake } from "./helpers.js";

beforeAll(assertBuilt);
afterAll(killChildren);

const scratch = scratchDir("contactkit-output-");

async function idsFile(name: string, count: number): Promise<{ path: string; ids: string[] }> {
  const ids = Array.from({ length: count }, (_, i) => String(i + 1));
  const path = join(scratch(), name);
  await writeFile(path, `${ids.join("\n")}\n`);
  return { path, ids };
}

const KEY_ORDER = ["id", "provider", "outcome", "status", "attempts", "afterRetry", "mayHaveApplied", "verified", "requestId", "error"];

describe.concurrent("batched per-id output", () => {
  it("--json over 500 ids: one line per id, each in the documented key order and exactly as JSON.stringify writes it", async (ctx) => {
    const fake = await useFake(ctx, { contacts: "any" });
    const { path, ids } = await idsFile("many.txt", 500);
    const child = spawnCli(
      ["delete", "wethod", "--ids-file", path, "--json", "--concurrency", "8", "--rate", "off", "--base-url", fake.url],
      providerEnvFor(fake, "wethod"),
    );
    const r = await collect(child, Date.now(), undefined, 20_000);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(500);
    for (const line of out) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(KEY_ORDER);
      expect(JSON.stringify(parsed)).toBe(line);
      expect(parsed).toMatchObject({ provider: "wethod", outcome: "deleted", status: 200, error: null });
    }
    expect(new Set(out.map((line) => (JSON.parse(line) as { id: string }).id))).toEqual(new Set(ids));
    expect(r.stderr).toContain("Summary: 500 deleted, 0 absent, 0 failed (500 ids)");
  });

  it("Ctrl-C with --json: every call the provider answered has its line on stdout before the exit (130)", async (ctx) => {
    const fake = await useFake(ctx, { contacts: "any", answerDelayMs: 150 });
    const { path } = await idsFile("sigint.txt", 200);
    const child = spawnCli(
      ["delete", "wethod", "--ids-file", path, "--json", "--concurrency", "4", "--base-url", fake.url],
      providerEnvFor(fake, "wethod"),
    );
    ctx.onTestFinished(() => void child.kill("SIGKILL"));
    const done = collect(child, Date.now(), undefined, 20_000);
    while (fake.requests.length < 10) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGINT");
    const r = await done;
    expect(r.code).toBe(130);
    const out = lines(r.stdout).map((line) => JSON.parse(line) as { outcome: string });
    expect(out.length).toBeGreaterThanOrEqual(10);
    expect(out.length).toBe(fake.requests.length); // in-flight calls finished and were reported, nothing more was sent
    expect(out.every((o) => o.outcome === "deleted")).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`Summary: ${out.length} deleted, 0 absent, 0 failed`));
  });

  it("a crash (an uncaught error) still writes the lines of the ids already done, then exits non-zero", async (ctx) => {
    const fake = await useFake(ctx, { contacts: "any" });
    const { path } = await idsFile("crash.txt", 50);
    const fixture = join(import.meta.dirname, "fixtures", "crash-after-fetches.mjs");
    const child = spawn(
      process.execPath,
      ["--import", fixture, BIN, "delete", "wethod", "--ids-file", path, "--json", "--concurrency", "1", "--base-url", fake.url],
      { env: cliEnv({ ...providerEnvFor(fake, "wethod"), CRASH_AFTER_FETCHES: "7" }), stdio: ["pipe", "pipe", "pipe"] },
    );
    ctx.onTestFinished(() => void child.kill("SIGKILL"));
    const r = await collect(child, Date.now(), undefined, 20_000);
    expect(r.stderr).toContain("simulated crash");
    expect(r.code).not.toBe(0);
    const out = lines(r.stdout).map((line) => JSON.parse(line) as { id: string; outcome: string });
    // Seven requests were answered and their outcomes delivered before the crash: seven lines, the last one included.
    expect(out.map((o) => o.id)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(out.every((o) => o.outcome === "deleted")).toBe(true);
    expect(fake.requests).toHaveLength(7);
  });

  it("a stdout that is backed up holds back new ids until it drains (in-process, --rate off)", async (ctx) => {
    const fake = await useFake(ctx, { contacts: "any" });
    const { path } = await idsFile("backpressure.txt", 20);
    let full = true;
    const stdout = Object.assign(new EventEmitter(), {
      text: "",
      isTTY: false,
      write(chunk: string) {
        stdout.text += chunk;
        return !full;
      },
    });
    const stderr: OutStream & { text: string } = { text: "", write: (chunk: string) => ((stderr.text += chunk), true) };
    const io: CliIO = {
      stdout,
      stderr,
      stdin: Readable.from([]),
      env: { NO_COLOR: "1", ...providerEnvFor(fake, "wethod") },
      onStopSignal: () => () => {},
      exit: (code) => {
        throw new Error(`exit(${code}) called`);
      },
    };
    const running = run(
      ["delete", "wethod", "--ids-file", path, "--json", "--concurrency", "1", "--rate", "off", "--base-url", fake.url],
      io,
    );
    while (lines(stdout.text).length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The first write found the stream full. The id started in the same turn (before that write)
    // may still run; after it, nothing more until 'drain'.
    expect(fake.requests.length).toBeLessThanOrEqual(2);
    expect(lines(stdout.text).length).toBeLessThanOrEqual(2);
    full = false;
    stdout.emit("drain");
    expect(await running).toBe(0);
    expect(lines(stdout.text)).toHaveLength(20);
    expect(fake.requests).toHaveLength(20);
  });
});
