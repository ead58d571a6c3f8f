// The 30-line raw-fetch script section e compares the CLI with: read ids from a file, delete
// them with `concurrency` workers over the built-in fetch, one JSON line per id on stdout.
// Usage: node raw-cli.mjs <ids-file> <base-url> <concurrency>   (FEATUREBASE_API_KEY in the env)
import { readFileSync } from "node:fs";

const [file, baseUrl, concurrencyText] = process.argv.slice(2);
const ids = readFileSync(file, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "");
const headers = { Authorization: `Bearer ${process.env.FEATUREBASE_API_KEY}`, "Featurebase-Version": "2026-01-01.nova" };
let next = 0;
let failed = 0;
const worker = async () => {
  while (next < ids.length) {
    const id = ids[next++];
    try {
      const response = await fetch(`${baseUrl}/v2/contacts/${id}`, { method: "DELETE", headers });
      await response.text();
      if (response.status !== 200) failed += 1;
      process.stdout.write(`${JSON.stringify({ id, status: response.status })}\n`);
    } catch (error) {
      failed += 1;
      process.stdout.write(`${JSON.stringify({ id, error: String(error) })}\n`);
    }
  }
};
await Promise.all(Array.from({ length: Number(concurrencyText) }, worker));
process.exitCode = failed > 0 ? 1 : 0;
