/**
 * Drives the built `contactkit` binary as a child process (no shell), with a controlled
 * environment: nothing from the developer's shell leaks in, so real credentials never reach a test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, type TestContext } from "vitest";
import { providerEnv } from "../../src/cli/env.js";
import { providerNames, type ProviderName } from "../../src/index.js";
import { startFakeProviders, type FakeProviders, type FakeProvidersOptions } from "../../src/testing/index.js";

export const root = join(import.meta.dirname, "..", "..");
export const BIN = join(root, "dist", "esm", "src", "cli", "main.js");

/** Fails (never skips) with an actionable message when dist/ has not been built. */
export function assertBuilt(): void {
  if (!existsSync(BIN)) {
    throw new Error(`The contactkit binary is missing (${BIN}). Run \`npm run build\` first (\`npm test\` builds it for you).`);
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

const children = new Set<ChildProcess>();

/** Kills every child a test left running (call from afterEach/afterAll). */
export function killChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
}

/** A minimal, credential-free environment plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { NO_COLOR: "1", ...(process.env.PATH ? { PATH: process.env.PATH } : {}), ...extra };
}

export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(env), stdio: ["pipe", "pipe", "pipe"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Runs the binary to completion. `input` is written to stdin (stdin is always closed). */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const started = Date.now();
  const child = spawnCli(args, options.env);
  return collect(child, started, options.input, options.timeoutMs ?? 8000);
}

export function collect(child: ChildProcess, started: number, input?: string, timeoutMs = 8000): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin!.on("error", () => {}); // the child may exit before reading stdin
  child.stdin!.end(input ?? "");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`contactkit did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}

/** The environment variables that configure `provider` against `fake`: the lines `fake-server` prints. */
export function providerEnvFor(fake: FakeProviders, provider: ProviderName): Record<string, string> {
  const config = fake.clientConfig(provider) as Record<string, unknown>;
  const env: Record<string, string> = {};
  // Tests pass --base-url themselves where they mean to; only a required base URL variable is set.
  for (const v of providerEnv[provider]) {
    if (typeof config[v.field] === "string" && (v.field !== "baseUrl" || v.required)) env[v.name] = config[v.field] as string;
  }
  return env;
}

/** The variable that holds `provider`'s secret (to plant a wrong, recognisable one). */
export const secretVar = Object.fromEntries(
  providerNames.map((p) => [p, providerEnv[p].find((v) => v.secret && v.required)!.name]),
) as Record<ProviderName, string>;

/** Stdout lines that are not empty. */
export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

/** Fake providers for one test, closed when it ends. */
export async function useFake(ctx: TestContext, options: FakeProvidersOptions = {}): Promise<FakeProviders> {
  const fake = await startFakeProviders(options);
  ctx.onTestFinished(() => fake.close());
  return fake;
}

/** A temporary directory for a test file: made before its tests, removed after them. Call the result for the path. */
export function scratchDir(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => dir!;
}
