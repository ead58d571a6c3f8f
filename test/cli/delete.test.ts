/**
 * `contactkit delete` end to end: the built binary as a child process against the fake providers
 * started in this process. Every test has its own fake, so the tests run concurrently.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerNames, type ProviderName } from "../../src/index.js";
import type { FakeProviders } from "../../src/testing/index.js";
import { assertBuilt, collect, killChildren, lines, providerEnvFor, runCli, scratchDir, secretVar, spawnCli, useFake } from "./helpers.js";

beforeAll(assertBuilt);
afterAll(killChildren);

const scratch = scratchDir("contactkit-cli-");

/** `contactkit delete <provider> …args --base-url <fake>` with the provider's variables set. */
function del(fake: FakeProviders, provider: ProviderName, args: string[], extra: { env?: Record<string, string>; input?: string } = {}) {
  return runCli(["delete", provider, ...args, "--base-url", fake.url], {
    env: { ...providerEnvFor(fake, provider), ...extra.env },
    ...(extra.input !== undefined ? { input: extra.input } : {}),
  });
}

const JSON_KEYS = ["afterRetry", "attempts", "error", "id", "mayHaveApplied", "outcome", "provider", "requestId", "status", "verified"];

describe.concurrent("contactkit delete", () => {
  it.for(providerNames)(
    "%s: deletes several ids (exit 0), a repeat fails with not_found (exit 1), --missing-ok makes it absent (exit 0)",
    async (provider, ctx) => {
      const fake = await useFake(ctx);
      const [a, b, c] = fake.seeded[provider] as [string, string, string];

      const first = await del(fake, provider, [a, b, c]);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      for (const id of [a, b, c]) {
        expect(first.stdout).toMatch(new RegExp(`✓ ${id} +deleted  \\(HTTP 2\\d\\d`));
        expect(fake.has(provider, id)).toBe(false);
      }
      expect(first.stdout).toMatch(
        /Summary: 3 deleted, 0 absent, 0 failed \(3 ids\) · 3 attempts · 0 rate-limited \(429\) · (\d+ ms|[\d.]+ s)/,
      );

      const again = await del(fake, provider, [a]);
      expect(again.code).toBe(1);
      expect(again.stdout).toContain(`✗ ${a}  not_found  (HTTP 404`);
      expect(again.stdout).toMatch(/HTTP 404: .*not found/i); // the provider's own message
      expect(again.stdout).toContain("hint: the contact does not exist (already deleted?); pass --missing-ok");
      expect(again.stdout).not.toContain("missingOk"); // library advice is replaced by the CLI's
      expect(again.stdout).toContain("Summary: 0 deleted, 0 absent, 1 failed (1 id)");

      const ok = await del(fake, provider, [a, "--missing-ok"]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(`– ${a}  absent   (HTTP 404`);
      expect(ok.stdout).toMatch(/\) {2}not found, counted as done$/m);
      expect(ok.stdout).toContain("Summary: 0 deleted, 1 absent, 0 failed (1 id)");
    },
  );

  it("--json prints one parseable line per id with the outcome, and nothing else on stdout", async (ctx) => {
    const fake = await useFake(ctx);
    const [a, b] = fake.seeded.featurebase as [string, string];
    const missing = "0123456789abcdef01234567";
    const r = await del(fake, "featurebase", [a, b, missing, "not-an-object-id", "--json"]);
    expect(r.code).toBe(1);
    const records = lines(r.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(4);
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(JSON_KEYS);
      expect(record.provider).toBe("featurebase");
    }
    const byId = new Map(records.map((record) => [record.id, record]));
    expect(byId.get(a)).toMatchObject({
      outcome: "deleted",
      status: 200,
      attempts: 1,
      afterRetry: false,
      mayHaveApplied: false,
      error: null,
    });
    expect(byId.get(a)!.requestId).toMatch(/^fake-\d+$/);
    expect(byId.get(b)).toMatchObject({ outcome: "deleted", error: null });
    expect(byId.get(missing)).toMatchObject({
      outcome: "failed",
      status: 404,
      attempts: 1,
      error: { code: "not_found", status: 404, retryAfterMs: null },
    });
    expect((byId.get(missing)!.error as { message: string }).message).toContain("Contact not found");
    // Rejected before sending: no status, no attempt.
    expect(byId.get("not-an-object-id")).toMatchObject({ outcome: "failed", status: null, attempts: 0, error: { code: "invalid_input" } });
    // The summary is on stderr in JSON mode.
    expect(r.stderr).toContain("Summary: 2 deleted, 0 absent, 2 failed (4 ids)");
  });

  it("--verify reads each contact back (`verified` in the JSON lines); --no-verify never does; both is a usage error", async (ctx) => {
    const fake = await useFake(ctx);
    const [a, b] = fake.seeded.close as [string, string];
    const on = await del(fake, "close", [a, "--json", "--verify"]);
    expect(on.code).toBe(0);
    expect(JSON.parse(lines(on.stdout)[0]!)).toMatchObject({ id: a, outcome: "deleted", verified: true, attempts: 2 });
    expect(fake.requests.map((r) => r.method)).toEqual(["DELETE", "GET"]);
    const off = await del(fake, "close", [b, "--json", "--no-verify"]);
    expect(JSON.parse(lines(off.stdout)[0]!)).toMatchObject({ id: b, outcome: "deleted", verified: false, attempts: 1 });
    expect(fake.requests.map((r) => r.method)).toEqual(["DELETE", "GET", "DELETE"]);
    expect((await del(fake, "close", [b, "--verify", "--no-verify"])).code).toBe(2);
    // userapi documents no read endpoint: --verify is refused before anything is sent.
    const userapi = await del(fake, "userapi", [fake.seeded.userapi[0]!, "--verify"]);
    expect(userapi.code).toBe(2);
    expect(userapi.stderr).toContain("read endpoint");
    expect(fake.requests).toHaveLength(3);
  });

  it("--json with --missing-ok reports absent ids and exits 0", async (ctx) => {
    const fake = await useFake(ctx);
    const [a] = fake.seeded.close as [string];
    const r = await del(fake, "close", [a, "cont_doesnotexist", "--json", "--missing-ok"]);
    expect(r.code).toBe(0);
    const outcomes = Object.fromEntries(
      lines(r.stdout)
        .map((line) => JSON.parse(line) as { id: string; outcome: string })
        .map((x) => [x.id, x.outcome]),
    );
    expect(outcomes).toEqual({ [a]: "deleted", cont_doesnotexist: "absent" });
  });

  it("result lines are columns: ids of different lengths, outcomes and HTTP facts start at the same place", async (ctx) => {
    const fake = await useFake(ctx);
    const [a, b] = fake.seeded.wethod as [string, string];
    const ids = ["7", a, "123456789012345", b];
    const r = await del(fake, "wethod", [...ids, "--missing-ok", "--concurrency", "1"]);
    expect(r.code).toBe(0);
    const rows = lines(r.stdout).filter((line) => /^[✓–] /.test(line));
    expect(rows).toHaveLength(4);
    const column = (re: RegExp) => new Set(rows.map((row) => row.search(re)));
    // The outcome word starts after the widest id, the facts after the widest outcome word.
    expect(column(/ (deleted|absent) /)).toEqual(new Set([2 + Math.max(...ids.map((id) => id.length)) + 1]));
    expect(column(/\(HTTP/).size).toBe(1);
  });

  it("--ids-file reads a file (blank lines, CRLF and surrounding whitespace ignored), one line per id without a TTY", async (ctx) => {
    const fake = await useFake(ctx, { seedCount: 8 });
    const ids = fake.seeded.wethod;
    const file = join(scratch(), `ids-${Date.now()}-${Math.random()}.txt`);
    await writeFile(
      file,
      `\uFEFF${ids
        .slice(0, 4)
        .map((id) => `  ${id}  `)
        .join("\r\n")}\n\n   \n${ids.slice(4).join("\n")}`,
    );
    const r = await del(fake, "wethod", ["--ids-file", file, "--concurrency", "3"]);
    expect(r.code).toBe(0);
    // 8 ids and stderr is a pipe: one line per id, no progress bar.
    expect(lines(r.stdout).filter((line) => line.startsWith("✓ "))).toHaveLength(8);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("Summary: 8 deleted, 0 absent, 0 failed (8 ids)");
    for (const id of ids) expect(fake.has("wethod", id)).toBe(false);
  });

  it("--ids-file - reads the ids from stdin", async (ctx) => {
    const fake = await useFake(ctx);
    const [a, b] = fake.seeded.truto as [string, string];
    const r = await del(fake, "truto", ["--ids-file", "-"], { input: `${a}\n\n${b}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`✓ ${a}  deleted`);
    expect(r.stdout).toContain(`✓ ${b}  deleted`);
    expect(r.stdout).toContain("Summary: 2 deleted, 0 absent, 0 failed (2 ids)");
  });

  it("a reader that closes the pipe early (| head -n1) makes the run fail (exit 1), not succeed", async (ctx) => {
    const fake = await useFake(ctx, { contacts: "any" });
    const file = join(scratch(), "many.txt");
    await writeFile(file, Array.from({ length: 400 }, (_, i) => String(i + 1)).join("\n"));
    const child = spawnCli(
      ["delete", "wethod", "--ids-file", file, "--json", "--concurrency", "1", "--base-url", fake.url],
      providerEnvFor(fake, "wethod"),
    );
    child.stdin!.end();
    // Read the first line, then close our end like `head -n1` does.
    const firstLine = await new Promise<string>((resolve) => {
      let buffered = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        if (buffered.includes("\n")) {
          child.stdout!.destroy();
          resolve(buffered.split("\n")[0]!);
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(JSON.parse(firstLine)).toMatchObject({ provider: "wethod" });
    expect(code).toBe(1);
  });

  it("an ids file with no ids exits 2", async (ctx) => {
    const fake = await useFake(ctx);
    const r = await del(fake, "truto", ["--ids-file", "-"], { input: "\n   \n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no ids in stdin");
    expect(fake.requests).toHaveLength(0);
  });

  it("--max-retries and --timeout-ms reach the client: a slow provider times out once, then the retry succeeds", async (ctx) => {
    const fake = await useFake(ctx);
    const [a] = fake.seeded.userapi as [string];
    // 1.5 s: long enough for a normal attempt on a loaded CI machine, far below the fault's delay.
    fake.queueFault({ provider: "userapi", delayMs: 6000 });
    const r = await del(fake, "userapi", [a, "--timeout-ms", "1500", "--max-retries", "1", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: a, outcome: "deleted", attempts: 2 });
    const none = await del(fake, "userapi", [fake.seeded.userapi[1]!, "--timeout-ms", "1500", "--max-retries", "0", "--json"], {});
    expect(none.code).toBe(0); // no fault queued this time: proves the flags do not break a normal call
  });

  it.for(providerNames)("%s: a wrong token fails with unauthorized (exit 1) and the secret never appears", async (provider, ctx) => {
    const fake = await useFake(ctx);
    const secret = `SEKRET-${provider}-do-not-print-4242`;
    const [a] = fake.seeded[provider] as [string];
    for (const json of [false, true]) {
      const r = await del(fake, provider, [a, ...(json ? ["--json"] : [])], { env: { [secretVar[provider]]: secret } });
      expect(r.code).toBe(1);
      const all = r.stdout + r.stderr;
      expect(all).toContain("unauthorized");
      expect(all).toContain(secretVar[provider]); // the hint names the variable to check
      expect(all).not.toContain(secret);
      expect(all).not.toContain(Buffer.from(`${secret}:`).toString("base64"));
      expect(all).not.toMatch(/authorization:|Bearer |Basic /i);
      expect(fake.has(provider, a)).toBe(true);
    }
  });

  it("stops after the credentials are rejected instead of sending every id (exit 1)", async (ctx) => {
    const fake = await useFake(ctx);
    const ids = fake.seeded.close;
    const r = await del(fake, "close", [...ids, "--concurrency", "1"], { env: { CLOSE_API_KEY: "api_wrongkey_SEKRET" } });
    expect(r.code).toBe(1);
    expect(fake.requests).toHaveLength(1);
    expect(r.stderr).toContain("close rejected the credentials");
    // One block for the id that failed, one line for the rest (never one block per unsent id).
    expect(lines(r.stdout).filter((line) => line.startsWith("✗ "))).toHaveLength(1);
    expect(r.stdout).toContain("Summary: 0 deleted, 0 absent, 1 failed (1 id)");
    expect(lines(r.stderr).filter((line) => line.includes(`${ids.length - 1} ids not attempted`))).toHaveLength(1);
    expect(r.stdout + r.stderr).not.toContain("api_wrongkey_SEKRET");
  });

  it("Ctrl-C (SIGINT) lets the calls in flight finish (deleted, not aborted), starts no more, and exits 130", async (ctx) => {
    const fake = await useFake(ctx, { seedCount: 6, answerDelayMs: 400 });
    const started = Date.now();
    const child = spawnCli(
      ["delete", "wethod", ...fake.seeded.wethod, "--concurrency", "2", "--base-url", fake.url],
      providerEnvFor(fake, "wethod"),
    );
    ctx.onTestFinished(() => void child.kill("SIGKILL"));
    const done = collect(child, started);
    while (fake.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGINT");
    const r = await done;
    expect(r.code).toBe(130);
    expect(lines(r.stdout).filter((line) => /^✓ \d+ +deleted/.test(line))).toHaveLength(2);
    expect(r.stdout).toContain("Summary: 2 deleted, 0 absent, 0 failed (2 ids)");
    expect(lines(r.stderr).filter((line) => line.includes("4 ids not attempted"))).toHaveLength(1);
    expect(fake.requests).toHaveLength(2); // ids not yet started were never sent
    expect(fake.seeded.wethod.filter((id) => !fake.has("wethod", id))).toHaveLength(2);
  });

  it("a second Ctrl-C aborts the calls in flight, reports them, and exits 130", async (ctx) => {
    const fake = await useFake(ctx, { seedCount: 6 });
    // Every request hangs: the run can only end by being interrupted.
    fake.queueFault({ provider: "wethod", delayMs: 30_000, times: Infinity });
    const started = Date.now();
    const child = spawnCli(
      ["delete", "wethod", ...fake.seeded.wethod, "--concurrency", "2", "--base-url", fake.url],
      providerEnvFor(fake, "wethod"),
    );
    ctx.onTestFinished(() => void child.kill("SIGKILL"));
    const done = collect(child, started);
    let stderr = "";
    child.stderr!.on("data", (chunk: string) => (stderr += chunk));
    while (fake.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGINT");
    while (!stderr.includes("no new ids are started")) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGINT");
    const r = await done;
    expect(r.code).toBe(130);
    expect(lines(r.stdout).filter((line) => /^✗ \d+ +aborted/.test(line))).toHaveLength(2);
    expect(r.stdout).toContain("Summary: 0 deleted, 0 absent, 2 failed (2 ids) · 2 attempts");
    expect(r.stderr).toMatch(/Interrupted: 2 calls were aborted in flight \(reported as failed\); 4 ids not attempted/);
    expect(fake.requests).toHaveLength(2);
  });

  it("userapi takes its base URL from USERAPI_BASE_URL when --base-url is not given", async (ctx) => {
    const fake = await useFake(ctx);
    const [a] = fake.seeded.userapi as [string];
    const r = await runCli(["delete", "userapi", a], { env: providerEnvFor(fake, "userapi") });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`✓ ${a}  deleted`);
  });

  it("close works with an OAuth token in CLOSE_ACCESS_TOKEN instead of an API key", async (ctx) => {
    const fake = await useFake(ctx);
    const [a] = fake.seeded.close as [string];
    const r = await runCli(["delete", "close", a, "--base-url", fake.url], {
      env: { CLOSE_ACCESS_TOKEN: fake.credentials.close.accessToken },
    });
    expect(r.code).toBe(0);
    expect(fake.requests[0]!.headers.authorization).toMatch(/^Bearer /);
  });

  it("the summary counts retries and 429 answers", async (ctx) => {
    const fake = await useFake(ctx);
    const [a, b] = fake.seeded.truto as [string, string];
    fake.queueFault({ provider: "truto", status: 429, headers: { "retry-after": "0" }, body: { message: "slow down" } });
    const r = await del(fake, "truto", [a, b, "--concurrency", "1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Summary: 2 deleted, 0 absent, 0 failed \(2 ids\) · 3 attempts · 1 rate-limited \(429\)/);
    expect(r.stdout).toMatch(/✓ \S+ {2}deleted {2}\(HTTP 200, 2 attempts, request fake-\d+\)/);
  });
});
