// Starts a throwaway redis-server for tests and benchmarks: a free loopback port, no persistence,
// its own temporary directory; resolves once it accepts connections. Throws (never skips) when
// the binary is missing or the server does not come up.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redisServerPath } from "../ensure-redis.mjs";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** PING over a raw socket: true when the server answers +PONG. */
function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    const done = (ok) => (socket.destroy(), resolve(ok));
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
    socket.once("connect", () => socket.write("PING\r\n"));
  });
}

export async function startRedisServer({ port: wanted, readyTimeoutMs = 10_000 } = {}) {
  const bin = redisServerPath();
  if (!bin)
    throw new Error(
      "redis-server not found: run `node scripts/ensure-redis.mjs` (installs Debian's redis-server) or set REDIS_SERVER_PATH",
    );
  const port = wanted ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), "contactkit-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"];
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let gone = false;
  exited.then(() => (gone = true));
  const deadline = Date.now() + readyTimeoutMs;
  while (!(await ping(port))) {
    if (gone || Date.now() > deadline) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start on 127.0.0.1:${port}${gone ? " (it exited)" : ""}:\n${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const stop = async (signal = "SIGTERM") => {
    if (!gone) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    /** Ends the server abruptly, as a crash would (SIGKILL). */
    kill: () => stop("SIGKILL"),
    stop: () => stop("SIGTERM"),
  };
}
