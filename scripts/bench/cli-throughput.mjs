// Section e: `contactkit delete featurebase --ids-file F --json` against the fake (child
// process) vs scripts/bench/raw-cli.mjs, at two concurrencies, each run a fresh process whose
// stdout goes to a file (the audit-log case). The fake allows a rate far beyond what either can
// reach and advertises it in X-RateLimit-* headers, so the CLI's default limiter learns it from
// the first answers: pacing is effectively off, its bookkeeping is still paid.
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { featurebaseId, median, repoRoot, startFakeChild } from "./lib.mjs";

const CLI = join(repoRoot, "dist", "esm", "src", "cli", "main.js");
const RAW = fileURLToPath(new URL("./raw-cli.mjs", import.meta.url));
const CPU_REPORT = fileURLToPath(new URL("./cpu-report.cjs", import.meta.url));

function runChild(args, env, outFile) {
  const out = openSync(outFile, "w");
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ["--require", CPU_REPORT, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", out, "pipe", "pipe"],
    });
    let stderr = "";
    let cpu = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdio[3].on("data", (chunk) => (cpu += chunk));
    child.once("error", reject);
    // "close", not "exit": the CPU report on fd 3 is read to its end.
    child.once("close", (code) => {
      closeSync(out);
      const usage = cpu ? JSON.parse(cpu) : { user: Number.NaN, system: Number.NaN };
      resolve({ code, ms: performance.now() - start, cpuUs: usage.user + usage.system, stderr });
    });
  });
}

export async function runCliThroughput({ ids, rounds, concurrencies }) {
  const fake = await startFakeChild({ contacts: "any", record: false, seedCount: 0, rateLimit: { perSecond: 1_000_000_000 } });
  const dir = mkdtempSync(join(tmpdir(), "contactkit-bench-cli-"));
  try {
    const { apiKey, baseUrl } = fake.configs.featurebase;
    const env = { FEATUREBASE_API_KEY: apiKey, NO_COLOR: "1" };
    let run = 0;
    const variants = concurrencies.flatMap((c) => [
      { name: `raw-fetch script, concurrency ${c}`, c, kind: "raw", args: (f) => [RAW, f, baseUrl, String(c)] },
      {
        name: `contactkit CLI --json, concurrency ${c}`,
        c,
        kind: "cli",
        args: (f) => [CLI, "delete", "featurebase", "--ids-file", f, "--base-url", baseUrl, "--concurrency", String(c), "--json"],
      },
    ]);
    const once = async (v, count = ids) => {
      const prefix = (0xe00000 + run++).toString(16); // distinct ids per run
      const idsFile = join(dir, `ids-${prefix}.txt`);
      writeFileSync(idsFile, `${Array.from({ length: count }, (_, i) => featurebaseId(prefix, i)).join("\n")}\n`);
      const outFile = join(dir, `out-${prefix}.jsonl`);
      const r = await runChild(v.args(idsFile), env, outFile);
      const output = readFileSync(outFile, "utf8");
      const lines = output.split("\n").filter(Boolean).length;
      const ok = v.kind === "raw" ? output.split('"status":200').length - 1 : output.split('"outcome":"deleted"').length - 1;
      rmSync(idsFile);
      rmSync(outFile);
      if (r.code !== 0 || lines !== count || ok !== count) {
        throw new Error(`${v.name}: exit ${r.code}, ${lines} lines, ${ok} ok of ${count}: ${r.stderr.slice(0, 500)}`);
      }
      return { rate: count / (r.ms / 1000), cpuPerId: r.cpuUs / count }; // ids/s from spawn to exit; the child's CPU µs per id
    };
    for (const v of variants) await once(v, Math.min(ids, 2000)); // warm-up: page cache, the fake's JIT
    const samples = new Map(variants.map((v) => [v.name, []]));
    for (let round = 0; round < rounds; round++) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length]);
      for (const v of order) samples.get(v.name).push(await once(v));
    }
    return concurrencies.map((c) => {
      const raw = samples.get(variants.find((v) => v.c === c && v.kind === "raw").name);
      const cli = samples.get(variants.find((v) => v.c === c && v.kind === "cli").name);
      const rates = (list) => list.map((x) => x.rate);
      const cpus = (list) => list.map((x) => x.cpuPerId);
      return {
        concurrency: c,
        raw: rates(raw),
        cli: rates(cli),
        rawMedian: median(rates(raw)),
        cliMedian: median(rates(cli)),
        ratio: median(cli.map((x, i) => x.rate / raw[i].rate)),
        rawCpu: median(cpus(raw)),
        cliCpu: median(cpus(cli)),
        cpuRatio: median(cli.map((x, i) => x.cpuPerId / raw[i].cpuPerId)),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await fake.close();
  }
}
