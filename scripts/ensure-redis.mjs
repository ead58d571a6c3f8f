#!/usr/bin/env node
// Make sure Debian's `redis-server` exists for the Redis pacing tests (test/redis/*.test.ts), which
// start their own server on a free loopback port.
//
// Idempotent: if the binary (REDIS_SERVER_PATH, default: `redis-server` on PATH, else
// /usr/bin/redis-server) is there, print one line and exit 0. Otherwise, as root with apt-get,
// install the `redis-server` package quietly (apt-get's output goes to a log file) and print one
// line. If it cannot install, print a loud explanation and still exit 0: the Redis tests then FAIL
// with instructions (they never skip).
//
// Usage: node scripts/ensure-redis.mjs
import { spawnSync } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_REDIS_SERVER_PATH = "/usr/bin/redis-server";

/** The redis-server binary to use, or null when there is none. */
export function redisServerPath() {
  if (process.env.REDIS_SERVER_PATH) return process.env.REDIS_SERVER_PATH;
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  return existsSync(DEFAULT_REDIS_SERVER_PATH) ? DEFAULT_REDIS_SERVER_PATH : null;
}

function version(bin) {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 10_000 });
  return r.status === 0
    ? (r.stdout
        .trim()
        .split(" ")
        .find((part) => part.startsWith("v="))
        ?.slice(2) ?? r.stdout.trim())
    : null;
}

function loud(lines) {
  const bar = "!".repeat(78);
  console.error(["", bar, ...lines.map((l) => `!! ${l}`), bar, ""].join("\n"));
}

export function ensureRedis() {
  const existing = redisServerPath();
  if (existing && existsSync(existing)) {
    console.log(`[ensure-redis] found ${existing} (redis ${version(existing) ?? "version unknown"})`);
    return { installed: false, ok: true, path: existing };
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (!isRoot || !hasApt) {
    loud(
      [
        "redis-server is missing and cannot be installed automatically:",
        !isRoot ? "  - not running as root" : null,
        !hasApt ? "  - apt-get is not available" : null,
        "The Redis pacing tests (test/redis/*.test.ts) WILL FAIL.",
        "Fix: as root on Debian, run `node scripts/ensure-redis.mjs` (= apt-get install -y redis-server),",
        "     or point REDIS_SERVER_PATH at an existing redis-server binary.",
      ].filter((l) => l !== null),
    );
    return { installed: false, ok: false, path: null };
  }
  const log = join(tmpdir(), "contactkit-ensure-redis.log");
  const fd = openSync(log, "a");
  const started = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const apt = (args) => spawnSync("apt-get", args, { stdio: ["ignore", fd, fd], env }).status === 0;
  // The package's own service is never started here: tests run their own server on a free port.
  const ok = apt(["update"]) && apt(["install", "-y", "--no-install-recommends", "redis-server"]);
  closeSync(fd);
  const bin = redisServerPath();
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (ok && bin && existsSync(bin)) {
    console.log(`[ensure-redis] installed ${bin} (redis ${version(bin) ?? "version unknown"}) in ${secs} s; apt log: ${log}`);
    return { installed: true, ok: true, path: bin };
  }
  loud([
    `Installing redis-server FAILED after ${secs} s; apt-get output is in ${log}.`,
    "The Redis pacing tests (test/redis/*.test.ts) WILL FAIL.",
    "Retry: node scripts/ensure-redis.mjs",
  ]);
  return { installed: false, ok: false, path: null };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  // Always exit 0: the Redis tests are the place that fails (loudly) when the server is absent.
  try {
    ensureRedis();
  } catch (err) {
    loud([`ensure-redis crashed: ${err?.stack ?? err}`, "The Redis pacing tests WILL FAIL."]);
  }
}
