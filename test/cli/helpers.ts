/**
 * Drives the built `contactkit` binary as a child process (no shell), with a controlled
 * environment: nothing from the developer's shell leaks in, so real credentials never reach a test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ProviderName } from "../../src/index.js";
import type { FakeProviders } from "../../src/testing/index.js";

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

/** The environment variables that configure `provider` against `fake` (the CLI's documented names). */
export function providerEnvFor(fake: FakeProviders, provider: ProviderName): Record<string, string> {
  const c = fake.credentials;
  switch (provider) {
    case "userapi":
      return { USERAPI_TOKEN: c.userapi.token, USERAPI_BASE_URL: fake.url };
    case "truto":
      return { TRUTO_API_TOKEN: c.truto.token, TRUTO_INTEGRATED_ACCOUNT_ID: c.truto.integratedAccountId };
    case "wethod":
      return { WETHOD_API_TOKEN: c.wethod.token, WETHOD_COMPANY: c.wethod.company };
    case "close":
      return { CLOSE_API_KEY: c.close.apiKey };
    case "featurebase":
      return { FEATUREBASE_API_KEY: c.featurebase.apiKey };
  }
}

/** The variable that holds `provider`'s secret (to plant a wrong, recognisable one). */
export const secretVar: Record<ProviderName, string> = {
  userapi: "USERAPI_TOKEN",
  truto: "TRUTO_API_TOKEN",
  wethod: "WETHOD_API_TOKEN",
  close: "CLOSE_API_KEY",
  featurebase: "FEATUREBASE_API_KEY",
};

/** Stdout lines that are not empty. */
export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}
