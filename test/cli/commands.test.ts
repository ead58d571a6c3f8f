/** `contactkit demo` and `contactkit fake-server`, as child processes. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerEnv } from "../../src/cli/env.js";
import { providerNames } from "../../src/index.js";
import { assertBuilt, collect, killChildren, runCli, spawnCli } from "./helpers.js";

beforeAll(assertBuilt);
afterAll(killChildren);

describe.concurrent("contactkit demo", () => {
  it("needs no credentials, covers every provider, exits 0 well under 5 s", async () => {
    const r = await runCli(["demo"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.durationMs).toBeLessThan(5000);
    const table = r.stdout.split("\n");
    for (const provider of providerNames) {
      const rows = table.filter((line) => line.startsWith(`${provider} `));
      expect(rows).toHaveLength(4);
      expect(rows.filter((row) => /\bdeleted\s+20\d\b/.test(row))).toHaveLength(2);
      expect(rows.filter((row) => /\bnot_found\s+404\b/.test(row))).toHaveLength(1);
      expect(rows.filter((row) => /\babsent\s+404\b/.test(row))).toHaveLength(1);
      for (const row of rows) expect(row).toMatch(/fake-\d+\s+✓$/);
    }
    expect(r.stdout).toMatch(/provider\s+step\s+id\s+result\s+HTTP\s+attempts\s+request id/);
    expect(r.stdout).toContain(`✓ All ${providerNames.length} providers behaved as expected: ${2 * providerNames.length} contacts deleted`);
    expect(r.stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+/);
  });

  it("rejects arguments it does not take (exit 2)", async () => {
    const r = await runCli(["demo", "--fast"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option --fast");
  });
});

describe.concurrent("contactkit fake-server", () => {
  it("prints a working URL, seeded ids and export lines; DELETE works; SIGTERM stops it with exit 0", async (ctx) => {
    const started = Date.now();
    const child = spawnCli(["fake-server", "--seed-count", "3"]);
    ctx.onTestFinished(() => void child.kill("SIGKILL"));
    let stdout = "";
    child.stdout!.setEncoding("utf8");
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Press Ctrl-C" line within 5 s; got:\n${stdout}`)), 5000);
      child.stdout!.on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.includes("Press Ctrl-C to stop.")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => reject(new Error(`fake-server exited early with ${code}`)));
    });

    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(url).toBeDefined();
    const wethodIds = /wethod\s+DELETE \S+\n\s+ids: (.+)/.exec(stdout)?.[1]?.split(", ");
    expect(wethodIds).toHaveLength(3);
    const exported = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
    // The documented variables of the original providers are among them, and every provider's base URL points here.
    for (const name of [
      "CLOSE_API_KEY",
      "FEATUREBASE_API_KEY",
      "TRUTO_API_TOKEN",
      "TRUTO_INTEGRATED_ACCOUNT_ID",
      "USERAPI_TOKEN",
      "WETHOD_API_TOKEN",
      "WETHOD_COMPANY",
    ]) {
      expect(exported[name], name).toBeDefined();
    }
    for (const provider of providerNames) expect(exported[`${provider.toUpperCase()}_BASE_URL`], provider).toBe(url);
    // Each provider's block exports every required variable.
    for (const provider of providerNames) {
      for (const v of providerEnv[provider].filter((x) => x.required)) expect(exported[v.name], v.name).toBeDefined();
    }
    expect(stdout).toContain(`contactkit delete wethod ${wethodIds![0]} ${wethodIds![1]} --base-url ${url}`);

    // The printed URL and credentials work for a plain HTTP client.
    const headers = {
      Authorization: `Bearer ${exported.WETHOD_API_TOKEN}`,
      "Wethod-Company": exported.WETHOD_COMPANY!,
      "Wethod-Version": "2024-06-15",
    };
    const first = await fetch(`${url}/api/contact/${wethodIds![0]}`, { method: "DELETE", headers });
    expect(first.status).toBe(200);
    const second = await fetch(`${url}/api/contact/${wethodIds![0]}`, { method: "DELETE", headers });
    expect(second.status).toBe(404);

    const exit = collect(child, started);
    child.kill("SIGTERM");
    const r = await exit;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("SIGTERM: fake providers stopped.");
    await expect(fetch(`${url}/api/contact/${wethodIds![1]}`, { method: "DELETE", headers })).rejects.toThrow();
  });

  it("a port that is taken exits 2 with a hint", async () => {
    const { createServer } = await import("node:net");
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const port = (blocker.address() as { port: number }).port;
      const r = await runCli(["fake-server", "--port", String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${port} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
