#!/usr/bin/env node
// Peak memory of one delete whose answer is oversized (issue 10, item 5). Not a test: a
// measurement. Needs a build (`npm run build`), then:
//
//   node scripts/body-cap-rss.mjs
//
// Three answers from a local node:http server on 127.0.0.1, each to a fresh child process that
// makes one `deleteContact` call: a 128 MiB 200 body, a ~130 KB gzip bomb (128 MiB of zeros) and an
// endless 200 stream (that call gets `timeoutMs: 2000`, so code without a cap stops after 2 s;
// the others keep the default 30 s).
// The child reports its RSS after importing contactkit and its peak RSS (`resourceUsage().maxRSS`);
// the growth is what the call cost (compare with the control: a small 200 answer).
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const MiB = 1_048_576;

if (process.argv[2] === "--child") {
  const { createContactsClient } = await import("contactkit");
  const [url, timeoutMs] = process.argv.slice(3);
  const client = createContactsClient({
    provider: "close",
    apiKey: "k_measure_123456",
    baseUrl: url,
    maxRetries: 0,
    timeoutMs: Number(timeoutMs),
  });
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  let outcome;
  try {
    const result = await client.deleteContact("cont_1");
    outcome = `resolved: ${result.outcome}`;
  } catch (error) {
    outcome = `${error.code}, mayHaveApplied=${error.mayHaveApplied}`;
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ baseline, peak, ms: Math.round(performance.now() - started), outcome }));
  process.exit(0);
}

const bomb = gzipSync(Buffer.alloc(128 * MiB));
const chunk = Buffer.alloc(64 * 1024, 0x20);

/** Writes `total` bytes (Infinity: until the client hangs up) as fast as the client reads. */
function pump(res, total) {
  let sent = 0;
  const more = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", more);
    }
    if (!res.destroyed) res.end();
  };
  more();
}

const cases = [
  // The control: what one small delete costs (undici's first connection, buffers, JIT).
  { name: "control: 2 byte 200 body", handle: (res) => res.writeHead(200, { "content-type": "application/json" }).end("{}") },
  { name: "128 MiB 200 body", handle: (res) => (res.writeHead(200, { "content-type": "application/json" }), pump(res, 128 * MiB)) },
  {
    name: `gzip bomb (${Math.round(bomb.length / 1024)} KB → 128 MiB)`,
    handle: (res) => res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(bomb),
  },
  {
    name: "endless 200 stream",
    timeoutMs: 2000,
    handle: (res) => (res.writeHead(200, { "content-type": "application/json" }), pump(res, Infinity)),
  },
];

let current = cases[0];
const server = createServer((req, res) => {
  req.resume();
  current.handle(res);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}`;

const mb = (bytes) => `${(bytes / MiB).toFixed(1)} MB`;
console.log(`node ${process.version}; one child process per case\n`);
for (const c of cases) {
  current = c;
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", url, String(c.timeoutMs ?? 30_000)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (data) => (out += data));
  await new Promise((resolve) => child.on("close", resolve));
  const r = JSON.parse(out);
  console.log(
    `${c.name.padEnd(32)} RSS after import ${mb(r.baseline)}, peak ${mb(r.peak)}, growth ${mb(r.peak - r.baseline)}, ${r.ms} ms → ${r.outcome}`,
  );
}
server.closeAllConnections();
server.close();
