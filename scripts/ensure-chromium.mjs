#!/usr/bin/env node
// Make sure a headless-capable Chromium exists for the docs browser test (test/docs/*.test.ts).
//
// Idempotent: if the binary (CHROMIUM_PATH, default /usr/bin/chromium) is there, print its version and exit 0.
// Otherwise, when running as root on a machine with apt-get, install Debian's `chromium` package
// (apt-get update + apt-get install -y --no-install-recommends chromium). apt's ~150 lines go to a
// log file (artifacts/ensure-chromium.log), not the terminal: one line says where; a failure prints
// the log's tail and its path.
// If it cannot install, print a loud explanation and still exit 0: the browser test then FAILS with
// instructions (it never skips), so a missing browser is visible without aborting the rest of the run.
//
// Usage: node scripts/ensure-chromium.mjs
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Flags every browser test launches Chromium with. The background-networking, component-update and
 * sync flags matter: without them Chromium keeps dialling Google's hosts, which this machine's
 * closed network refuses (and tests must not talk to anything but 127.0.0.1). Playwright's launch()
 * adds a fresh temporary --user-data-dir itself.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where apt's output goes: the checkout's artifacts/ (git-ignored, next to the other run outputs). */
export const INSTALL_LOG = join(dirname(fileURLToPath(import.meta.url)), "..", "artifacts", "ensure-chromium.log");

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
}

function log(msg) {
  console.log(`[ensure-chromium] ${msg}`);
}

function loud(lines) {
  const bar = "!".repeat(78);
  console.error(["", bar, ...lines.map((l) => `!! ${l}`), bar, ""].join("\n"));
}

function version(bin) {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Runs a command with its stdout and stderr appended to `logFd` (the install log). */
function run(cmd, args, env, logFd) {
  writeSync(logFd, `\n$ ${cmd} ${args.join(" ")}\n`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", logFd, logFd], env: { ...process.env, ...env } });
    child.on("error", (err) => resolve({ ok: false, detail: err.message, ms: Date.now() - started }));
    child.on("exit", (code, signal) =>
      resolve({ ok: code === 0, detail: signal ? `signal ${signal}` : `exit code ${code}`, ms: Date.now() - started }),
    );
  });
}

function logTail(path, lines = 25) {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines);
  } catch {
    return ["(the log could not be read)"];
  }
}

function onPath(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

export async function ensureChromium() {
  const bin = chromiumPath();
  if (existsSync(bin)) {
    log(`found ${bin}: ${version(bin) ?? "(could not read --version)"}`);
    return { installed: false, ok: true, path: bin };
  }
  log(`${bin} not found`);

  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = onPath("apt-get");
  if (!isRoot || !hasApt) {
    loud(
      [
        `Chromium is missing (${bin}) and cannot be installed automatically:`,
        !isRoot ? "  - not running as root" : null,
        !hasApt ? "  - apt-get is not available" : null,
        "The docs browser test (test/docs/docs.browser.test.ts) WILL FAIL.",
        "Fix: as root on Debian, run `node scripts/ensure-chromium.mjs`",
        "     (= apt-get update && apt-get install -y --no-install-recommends chromium),",
        "     or point CHROMIUM_PATH at an existing Chromium/Chrome binary.",
      ].filter((l) => l !== null),
    );
    return { installed: false, ok: false, path: bin };
  }
  if (process.env.CHROMIUM_PATH && process.env.CHROMIUM_PATH !== DEFAULT_CHROMIUM_PATH) {
    log(`note: CHROMIUM_PATH=${process.env.CHROMIUM_PATH}; the Debian package installs ${DEFAULT_CHROMIUM_PATH}`);
  }

  const started = Date.now();
  const aptEnv = { DEBIAN_FRONTEND: "noninteractive" };
  mkdirSync(dirname(INSTALL_LOG), { recursive: true });
  const logFd = openSync(INSTALL_LOG, "w");
  log(`installing Debian package \`chromium\` with apt-get (output: ${INSTALL_LOG})`);
  const update = await run("apt-get", ["update"], aptEnv, logFd);
  const install = update.ok
    ? await run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], aptEnv, logFd)
    : { ok: false, detail: "skipped (apt-get update failed)", ms: 0 };
  closeSync(logFd);
  const total = ((Date.now() - started) / 1000).toFixed(1);

  if (install.ok && existsSync(bin)) {
    log(`installed ${bin} in ${total} s: ${version(bin) ?? "(could not read --version)"}`);
    return { installed: true, ok: true, path: bin };
  }
  loud([
    `Installing Chromium FAILED after ${total} s (apt-get update: ${update.detail}; install: ${install.detail}).`,
    install.ok ? `apt-get succeeded but ${bin} still does not exist (set CHROMIUM_PATH?).` : `Last lines of ${INSTALL_LOG}:`,
    ...(install.ok ? [] : logTail(INSTALL_LOG).map((line) => `  ${line}`)),
    `Full apt-get output: ${INSTALL_LOG}`,
    "The docs browser test (test/docs/docs.browser.test.ts) WILL FAIL.",
    "Retry: node scripts/ensure-chromium.mjs",
  ]);
  return { installed: false, ok: false, path: bin };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  // Always exit 0: the browser test is the place that fails (loudly) when Chromium is absent.
  await ensureChromium().catch((err) => {
    loud([`ensure-chromium crashed: ${err?.stack ?? err}`, "The docs browser test WILL FAIL."]);
  });
}
