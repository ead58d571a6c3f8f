/**
 * `contactkit erase` end to end: the built binary as a child process against the fake providers
 * started in this process, each test with its own fake and its own files.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import type { ProviderName } from "../../src/index.js";
import { startFakeProviders, type FakeProviders, type FakeProvidersOptions } from "../../src/testing/index.js";
import type { ErasureReport, JournalRecord } from "../../src/erasure/index.js";
import { eraseEnv } from "./erase-helpers.js";
import { MAX_LINE } from "../../src/cli/ids.js";
import { assertBuilt, collect, killChildren, lines, providerEnvFor, runCli, spawnCli } from "./helpers.js";

beforeAll(assertBuilt);
afterAll(killChildren);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "contactkit-erase-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

let counter = 0;
/** A fresh directory per test, so journals never collide. */
async function dirFor(): Promise<string> {
  const dir = join(tmp, `t${++counter}`);
  await import("node:fs/promises").then((fs) => fs.mkdir(dir));
  return dir;
}

async function useFake(ctx: TestContext, options: FakeProvidersOptions = {}): Promise<FakeProviders> {
  const fake = await startFakeProviders({ seedCount: 6, ...options });
  ctx.onTestFinished(() => fake.close());
  return fake;
}

function csvPlan(fake: FakeProviders, providers: readonly ProviderName[], perProvider = 3): string {
  const rows = ["subject,provider,id"];
  for (const p of providers) fake.seeded[p].slice(0, perProvider).forEach((id, i) => rows.push(`person-${i},${p},${id}`));
  return `${rows.join("\n")}\n`;
}

async function readJournal(path: string): Promise<JournalRecord[]> {
  return (await readFile(path, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as JournalRecord);
}

const deletes = (fake: FakeProviders) => fake.requests.filter((r) => r.method === "DELETE").length;

describe.concurrent("contactkit erase", () => {
  it("erases a 3-provider plan: exit 0, journal next to the plan (path printed), summary by subject, JSON report", async (ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const plan = join(dir, "plan.csv");
    await writeFile(plan, csvPlan(fake, ["close", "featurebase", "truto"]));
    const report = join(dir, "report.json");
    const r = await runCli(["erase", "--plan", plan, "--report", report], { env: eraseEnv(fake) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`journal: ${plan}.journal.jsonl`);
    expect(r.stdout).toContain("Summary: 9 deleted, 0 absent, 0 failed (9 rows)");
    expect(r.stdout).toContain("3 subjects: 3 erased everywhere, 0 incomplete");
    // No per-row lines without --json when nothing failed.
    expect(lines(r.stdout)).toHaveLength(2);
    for (const p of ["close", "featurebase", "truto"] as const)
      for (const id of fake.seeded[p].slice(0, 3)) expect(fake.has(p, id)).toBe(false);
    const json = JSON.parse(await readFile(report, "utf8")) as ErasureReport;
    expect(json.counts).toMatchObject({ rows: 9, deleted: 9, subjects: 3, subjectsComplete: 3 });
    expect(Object.keys(json.subjects[0]!.rows[0]!).sort()).toEqual(
      ["afterRetry", "answeredAt", "attempts", "firstSentAt", "id", "outcome", "provider", "requestId", "row", "status", "verified"].sort(),
    );
    const records = await readJournal(`${plan}.journal.jsonl`);
    expect(records[0]).toMatchObject({ event: "plan", planHash: json.plan.hash });
    expect(Object.keys(records.find((x) => x.event === "outcome")!).sort()).toEqual(
      ["afterRetry", "at", "attempts", "event", "id", "outcome", "provider", "requestId", "row", "status", "subject", "verified"].sort(),
    );
  });

  it("--json prints one JSON line per outcome on stdout, the summary on stderr", async (ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const plan = join(dir, "plan.jsonl");
    await writeFile(
      plan,
      fake.seeded.close
        .slice(0, 4)
        .map((id, i) => JSON.stringify({ subject: `s${i % 2}`, provider: "close", id }))
        .join("\n"),
    );
    const r = await runCli(["erase", "--plan", plan, "--json"], { env: eraseEnv(fake, ["close"]) });
    expect(r.code).toBe(0);
    const out = lines(r.stdout).map((line) => JSON.parse(line) as { event: string; outcome: string; row: number });
    expect(out.map((o) => [o.event, o.outcome])).toEqual(Array(4).fill(["outcome", "deleted"]));
    expect(out.map((o) => o.row).sort()).toEqual([1, 2, 3, 4]);
    expect(r.stderr).toContain("2 subjects: 2 erased everywhere");
  });

  it.for([
    ["an empty file", "", /the plan is empty/],
    ["no header", "alice,close,cont_1\n", /line 1: no header/],
    ["an unknown provider", "subject,provider,id\na,close,cont_1\nb,closeio,cont_2\n", /line 3: unknown provider "closeio"/],
    ["duplicate rows", "subject,provider,id\na,close,cont_1\nb,close,cont_1\n", /line 3 repeats the contact of line 2/],
    ["binary junk", "\u0000\u0001PK\u0003\u0004\u0000\u0000garbage", /line 1: no header.*binary data/],
  ] as const)("a plan with %s exits 2 with the line, nothing sent, no journal", async ([, text, message], ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const plan = join(dir, "plan.csv");
    await writeFile(plan, text);
    const r = await runCli(["erase", "--plan", plan], { env: eraseEnv(fake) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/nothing was sent/i);
    expect(fake.requests).toHaveLength(0);
    expect(existsSync(`${plan}.journal.jsonl`)).toBe(false);
  });

  it("CRLF, a BOM and a malformed row: the good rows run, the bad row fails alone with its line (exit 1)", async (ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const plan = join(dir, "plan.csv");
    const [a, b] = fake.seeded.close as [string, string];
    await writeFile(plan, `\uFEFFsubject,provider,id\r\ns1,close,${a}\r\ns2,close\r\ns3,close,${b}\r\n`);
    const r = await runCli(["erase", "--plan", plan], { env: eraseEnv(fake, ["close"]) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ row 2 {2}invalid_input\n {4}line 3 has 2 fields/);
    expect(r.stdout).toContain("Summary: 2 deleted, 0 absent, 1 failed (3 rows)");
    expect(r.stdout).toContain("3 subjects: 2 erased everywhere, 1 incomplete");
    expect(deletes(fake)).toBe(2);
  });

  it("missing credentials for any provider of the plan stop the run before anything is sent (exit 2)", async (ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const plan = join(dir, "plan.csv");
    await writeFile(plan, csvPlan(fake, ["close", "truto", "featurebase"]));
    const env = eraseEnv(fake);
    delete env.TRUTO_API_TOKEN;
    delete env.FEATUREBASE_API_KEY;
    const r = await runCli(["erase", "--plan", plan], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("TRUTO_API_TOKEN");
    expect(r.stderr).toContain("FEATUREBASE_API_KEY");
    expect(fake.requests).toHaveLength(0);
  });

  it("an existing journal needs --resume; a journal of another plan is refused (exit 2, nothing sent)", async (ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const plan = join(dir, "plan.csv");
    await writeFile(plan, csvPlan(fake, ["close"], 2));
    expect((await runCli(["erase", "--plan", plan], { env: eraseEnv(fake) })).code).toBe(0);
    fake.requests.length = 0;
    const again = await runCli(["erase", "--plan", plan], { env: eraseEnv(fake) });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists.*\n.*--resume/);
    await writeFile(plan, csvPlan(fake, ["close"], 3));
    const other = await runCli(["erase", "--plan", plan, "--resume"], { env: eraseEnv(fake) });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/belongs to another plan/);
    expect(fake.requests).toHaveLength(0);
  });

  it("resuming a finished journal sends nothing and exits with the finished run's code", async (ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const plan = join(dir, "plan.csv");
    await writeFile(plan, `subject,provider,id\ns1,close,${fake.seeded.close[0]}\ns2,close,cont_neverexisted\n`);
    const first = await runCli(["erase", "--plan", plan], { env: eraseEnv(fake, ["close"]) });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/✗ cont_neverexisted {2}not_found/);
    fake.requests.length = 0;
    // No credentials needed: nothing is left to send.
    const again = await runCli(["erase", "--plan", plan, "--resume"], { env: {} });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("resuming: 2 rows done, 0 to replay (sent, no answer), 0 to send");
    expect(again.stdout).toContain("Summary: 1 deleted, 0 absent, 1 failed (2 rows)");
    expect(fake.requests).toHaveLength(0);
  });

  it("rejected credentials: one failure block, one line for that provider's unsent rows; the other providers finish", async (ctx) => {
    const fake = await useFake(ctx, { seedCount: 30 });
    const dir = await dirFor();
    const plan = join(dir, "plan.csv");
    await writeFile(plan, csvPlan(fake, ["close", "featurebase"], 30));
    const secret = "api_wrongkey_SEKRET_123";
    const r = await runCli(["erase", "--plan", plan, "--concurrency", "1", "--report", join(dir, "r.json")], {
      env: { ...eraseEnv(fake), CLOSE_API_KEY: secret },
    });
    expect(r.code).toBe(1);
    expect(lines(r.stdout).filter((line) => line.startsWith("✗ "))).toHaveLength(1);
    expect(
      lines(r.stderr).filter((line) =>
        /^close: stopped after unauthorized .*CLOSE_API_KEY.*; 29 close rows not attempted — fix it and resume with --resume\.$/.test(line),
      ),
    ).toHaveLength(1);
    expect(r.stdout).toContain("Summary: 30 deleted, 0 absent, 1 failed, 29 not attempted (60 rows)");
    for (const text of [r.stdout, r.stderr, await readFile(`${plan}.journal.jsonl`, "utf8"), await readFile(join(dir, "r.json"), "utf8")]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(`${secret}:`).toString("base64"));
    }
  });

  it("Ctrl-C: requests in flight end deleted (not aborted), exit 130, one line for the rest; --resume finishes them", async (ctx) => {
    const fake = await useFake(ctx, { seedCount: 40, answerDelayMs: 300 });
    const dir = await dirFor();
    const plan = join(dir, "plan.csv");
    await writeFile(plan, csvPlan(fake, ["close", "featurebase"], 40));
    const env = eraseEnv(fake);
    const child = spawnCli(["erase", "--plan", plan, "--concurrency", "3", "--json"], env);
    ctx.onTestFinished(() => void child.kill("SIGKILL"));
    const done = collect(child, Date.now(), undefined, 15_000);
    while (fake.requests.length < 6) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill("SIGINT");
    const r = await done;
    expect(r.code).toBe(130);
    const sentBeforeStop = deletes(fake);
    const records = await readJournal(`${plan}.journal.jsonl`);
    const sent = records.filter((x) => x.event === "sent");
    const outcomes = records.filter((x) => x.event === "outcome");
    expect(sent.length).toBe(sentBeforeStop);
    expect(outcomes.map((o) => (o as { outcome: string }).outcome)).toEqual(sent.map(() => "deleted"));
    expect(lines(r.stdout)).toHaveLength(sent.length);
    expect(r.stderr).toContain("Ctrl-C: no new rows are started");
    expect(lines(r.stderr).filter((line) => line === `${80 - sent.length} rows not attempted — resume with --resume`)).toHaveLength(1);

    const resumed = await runCli(["erase", "--plan", plan, "--resume", "--concurrency", "8"], { env, timeoutMs: 20_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("Summary: 80 deleted, 0 absent, 0 failed (80 rows)");
    expect(deletes(fake)).toBe(80);
    for (const p of ["close", "featurebase"] as const) expect(fake.seeded[p].every((id) => !fake.has(p, id))).toBe(true);
  });

  it("--report FILE.html writes a self-contained page, incomplete subjects and failures first", async (ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const plan = join(dir, "plan.csv");
    await writeFile(
      plan,
      `subject,provider,id\nalice,close,${fake.seeded.close[0]}\n"<bob>",close,cont_missing1\n"<bob>",close,${fake.seeded.close[1]}\n`,
    );
    const report = join(dir, "report.html");
    const r = await runCli(["erase", "--plan", plan, "--report", report], { env: eraseEnv(fake, ["close"]) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("2 subjects: 1 erased everywhere, 1 incomplete (see report)");
    const html = await readFile(report, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!127\.0\.0\.1)/);
    expect(html).toContain("&lt;bob&gt;");
    expect(html.indexOf("&lt;bob&gt;")).toBeLessThan(html.indexOf("alice"));
    const bob = html.slice(html.indexOf("&lt;bob&gt;"), html.indexOf("alice"));
    expect(bob.indexOf("not_found")).toBeLessThan(bob.indexOf(">deleted<"));
  });

  it("delete --journal/--resume: the ids as a one-provider plan, resumable", async (ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const journal = join(dir, "delete.jsonl");
    const [a, b, c] = fake.seeded.wethod as [string, string, string];
    const env = providerEnvFor(fake, "wethod");
    const first = await runCli(["delete", "wethod", a, b, "--journal", journal, "--base-url", fake.url], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Summary: 2 deleted, 0 absent, 0 failed (2 rows)");
    const records = await readJournal(journal);
    expect(records.filter((x) => x.event === "outcome").map((x) => [x.event === "outcome" && x.subject, (x as { id: string }).id])).toEqual(
      expect.arrayContaining([
        [a, a],
        [b, b],
      ]),
    );
    fake.requests.length = 0;
    const resumed = await runCli(["delete", "wethod", a, b, "--journal", journal, "--resume", "--base-url", fake.url], { env });
    expect(resumed.code).toBe(0);
    expect(fake.requests).toHaveLength(0);
    const other = await runCli(["delete", "wethod", a, b, c, "--journal", journal, "--resume", "--base-url", fake.url], { env });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/belongs to another plan/);
    const noJournal = await runCli(["delete", "wethod", a, "--resume"], { env });
    expect(noJournal.code).toBe(2);
    expect(noJournal.stderr).toContain("--resume needs --journal FILE");
  });

  it("delete --journal --ids-file -: a read error in stdin refuses the run (exit 2, nothing sent), as for a file", async (ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const [a, b] = fake.seeded.wethod as [string, string];
    const env = providerEnvFor(fake, "wethod");
    // Ids, a line no ids file has, then more ids: planning only the first ids would report a finished run.
    const input = `${a}\n${"x".repeat(3 * MAX_LINE)}\n${b}\n`;
    const journal = join(dir, "stdin.jsonl");
    const r = await runCli(["delete", "wethod", "--ids-file", "-", "--journal", journal, "--base-url", fake.url], { env, input });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read ids from stdin: a line is longer than .*nothing was sent/);
    expect(fake.requests).toHaveLength(0);
    expect(fake.has("wethod", a) && fake.has("wethod", b)).toBe(true);
  });

  it("usage errors exit 2: no --plan, --verify with --no-verify, a bad --concurrency", async () => {
    for (const args of [
      ["erase"],
      ["erase", "--plan", "p.csv", "--verify", "--no-verify"],
      ["erase", "--plan", "p.csv", "--concurrency", "0"],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/contactkit: /);
    }
    const help = await runCli(["erase", "--help"]);
    expect(help.code).toBe(0);
    for (const flag of [
      "--plan",
      "--journal",
      "--resume",
      "--json",
      "--verify",
      "--no-verify",
      "--report",
      "--concurrency",
      "--missing-ok",
      "--rate",
      "--redis",
      "--redis-fallback",
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });

  it("--rate paces every provider of the plan and says so per provider; a bad --rate or an unreachable --redis exit 2, nothing sent", async (ctx) => {
    const fake = await useFake(ctx);
    const dir = await dirFor();
    const plan = join(dir, "plan.csv");
    await writeFile(plan, csvPlan(fake, ["close", "featurebase"], 2));
    const r = await runCli(["erase", "--plan", plan, "--rate", "2000/min"], { env: eraseEnv(fake) });
    expect(r.code, r.stderr).toBe(0);
    for (const p of ["close", "featurebase"]) expect(r.stderr).toContain(`${p}: paced to at most 2,000/min: set by --rate`);
    expect(deletes(fake)).toBe(4);

    const bad = await runCli(["erase", "--plan", plan, "--journal", join(dir, "j2.jsonl"), "--rate", "fast"], { env: eraseEnv(fake) });
    expect(bad.code).toBe(2);
    // Port 1 on loopback: nothing listens there, so Redis is unreachable at once.
    const unreachable = await runCli(["erase", "--plan", plan, "--journal", join(dir, "j3.jsonl"), "--redis", "redis://127.0.0.1:1"], {
      env: eraseEnv(fake),
    });
    expect(unreachable.code, unreachable.stderr).toBe(2);
    expect(unreachable.stderr).toMatch(/redis/i);
    expect(deletes(fake)).toBe(4);
  });
});
