// Shared helpers for scripts/bench.mjs, scripts/soak.mjs and their child processes.
import { fork } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Starts the fake providers in a child process; resolves to `{ url, configs, stats(), resetStats(), close() }`. */
export function startFakeChild(options) {
  const child = fork(fileURLToPath(new URL("./fake-child.mjs", import.meta.url)), [JSON.stringify(options)], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`fake child exited early (code ${code})`));
    child.once("exit", onExit);
    child.once("error", reject);
    child.once("message", (message) => {
      if (message?.type !== "ready") return reject(new Error(`fake child: unexpected message ${JSON.stringify(message)}`));
      child.off("exit", onExit);
      let closed;
      resolve({
        pid: child.pid,
        url: message.url,
        configs: message.configs,
        stats: () =>
          new Promise((done) => {
            const onMessage = (m) => {
              if (m?.type !== "stats") return;
              child.off("message", onMessage);
              done(m.stats);
            };
            child.on("message", onMessage);
            child.send({ type: "stats" });
          }),
        resetStats: () => child.send({ type: "reset-stats" }),
        close: () =>
          (closed ??= new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
            child.once("exit", () => {
              clearTimeout(timer);
              done();
            });
            child.send({ type: "close" });
          })),
      });
    });
  });
}

/** Featurebase ids are 24-hex ObjectIds: a 6-hex prefix per variant/run plus an 18-hex counter. */
export function featurebaseId(prefix, n) {
  return prefix + n.toString(16).padStart(24 - prefix.length, "0");
}

/**
 * Runs `fn` (which does `n` items) and returns wall and this process's CPU time per item, in µs.
 * CPU time counts only this process (the fake runs in a child), so it moves less than wall time
 * when neighbours load the machine.
 */
export async function timeItems(n, fn) {
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const wallUs = Number(process.hrtime.bigint() - start) / 1000 / n;
  const cpu = process.cpuUsage(cpu0);
  return { wallUs, cpuUs: (cpu.user + cpu.system) / n };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? "unknown",
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memGB: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** A forced GC, whether or not the process was started with --expose-gc. */
export function gcFunction() {
  if (typeof globalThis.gc === "function") return globalThis.gc;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc");
}

export const MB = 2 ** 20;
export const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;

/** A plain-text table with right-aligned numeric-looking cells. */
export function textTable(header, rows) {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const numeric = (s) => /^[-+≤≥<>~]?[\d.,]+(\s*(µs|ms|s|MB|×|%|\/s))?$/.test(s);
  // Right-align a column only when every body cell in it is a number (mixed columns read better left-aligned).
  const right = header.map((_, i) => i > 0 && all.length > 1 && all.slice(1).every((row) => numeric(row[i])));
  const line = (row) =>
    row
      .map((cell, i) => (right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(all[0]), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)].join("\n");
}

export function markdownTable(header, rows) {
  const esc = (s) => String(s).replace(/\|/g, "\\|");
  return [
    `| ${header.map(esc).join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(esc).join(" | ")} |`),
  ].join("\n");
}

/** Small, fast, seedable PRNG (mulberry32). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const fmt = {
  int: (n) => Math.round(n).toLocaleString("en-US"),
  f1: (n) => n.toFixed(1),
  f2: (n) => n.toFixed(2),
  ratio: (n) => `${n.toFixed(2)}×`,
  pct: (n) => `${(n * 100).toFixed(2)}%`,
};
