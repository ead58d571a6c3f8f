/**
 * The crash test of `contactkit erase`: a 3-provider plan of 1,500 rows against the fake, where
 * every delete is applied at once and answered 100–300 ms later (so at any moment many deletes are
 * done on the server but unknown to the client). The CLI is killed with SIGKILL at 22 random
 * moments and resumed after each, until it finishes. Then:
 * - every row has exactly one outcome, in the journal and in the report;
 * - the fake's state matches the report (every contact gone);
 * - DELETEs sent ≤ rows + kills × in-flight capacity;
 * - no row whose outcome was journaled before a kill was sent again afterwards.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderName } from "../../src/index.js";
import { startFakeProviders, type FakeProviders } from "../../src/testing/index.js";
import type { ErasureReport, JournalRecord, OutcomeRecord } from "../../src/erasure/index.js";
import { eraseEnv } from "../cli/erase-helpers.js";
import { assertBuilt, collect, killChildren, spawnCli } from "../cli/helpers.js";

const PROVIDERS: ProviderName[] = ["close", "featurebase", "truto"];
const PER_PROVIDER = 500;
const CONCURRENCY = 16;
const CAPACITY = CONCURRENCY * PROVIDERS.length;
const KILLS = 22;

let dir: string;
let fake: FakeProviders;
beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), "contactkit-crash-"));
  // The fake's rate-limit headers (a generous limit) let each client's pacing open up at once.
  fake = await startFakeProviders({ seedCount: PER_PROVIDER, answerDelayMs: { min: 100, max: 300 }, rateLimit: { perSecond: 5000 } });
});
afterAll(async () => {
  killChildren();
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The journal as a reader sees it after a crash: complete lines only. */
function journalNow(path: string): JournalRecord[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text
    .slice(0, text.lastIndexOf("\n") + 1)
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as JournalRecord);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const keyOf = (provider: string | null, id: string) => `${provider} ${id}`;

describe("erase survives kill -9 at random moments", () => {
  it("1,500 rows over 3 providers, 22 kills: exactly one outcome per row, no finished row resent, bounded resends", {
    timeout: 120_000,
  }, async () => {
    const plan = join(dir, "plan.csv");
    const journal = join(dir, "plan.journal.jsonl");
    const rows = ["subject,provider,id"];
    PROVIDERS.forEach((p) => fake.seeded[p].forEach((id, i) => rows.push(`person-${i},${p},${id}`)));
    await writeFile(plan, `${rows.join("\n")}\n`);
    const total = rows.length - 1;
    const idOf = (path: string) => decodeURIComponent(/\/contacts?\/([^/?]+)/.exec(path)?.[1] ?? "");

    let inFlight = 0;
    let maxInFlight = 0;
    fake.server.on("request", (_req, res) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      res.once("close", () => (inFlight -= 1));
    });

    const env = eraseEnv(fake, PROVIDERS);
    const args = (resume: boolean) => [
      "erase",
      "--plan",
      plan,
      "--journal",
      journal,
      "--concurrency",
      String(CONCURRENCY),
      ...(resume ? ["--resume"] : []),
    ];
    /** After each kill: the request-log position, and the rows the journal then had outcomes for. */
    const snapshots: Array<{ at: number; finished: Set<string> }> = [];
    let kills = 0;
    let runs = 0;
    let final: Awaited<ReturnType<typeof collect>> | null = null;

    while (final === null) {
      const child = spawnCli([...args(runs > 0), ...(kills >= KILLS ? ["--report", join(dir, "report.json")] : [])], env);
      runs += 1;
      const done = collect(child, Date.now(), undefined, 60_000);
      if (kills >= KILLS) {
        final = await done;
        break;
      }
      let stderr = "";
      child.stderr!.on("data", (chunk: string) => (stderr += chunk));
      while (!stderr.includes("journal:") && child.exitCode === null) await sleep(5);
      await sleep(20 + Math.random() * 380);
      if (child.exitCode !== null) {
        final = await done; // finished before we got to kill it
        break;
      }
      child.kill("SIGKILL");
      await done;
      kills += 1;
      await sleep(30); // requests the child wrote just before dying reach the server
      // What the journal says is finished now must never be sent again.
      const finished = new Set(
        journalNow(journal)
          .filter((r): r is OutcomeRecord => r.event === "outcome")
          .map((r) => keyOf(r.provider, r.id)),
      );
      snapshots.push({ at: fake.requests.length, finished });
    }

    // Replay the request log against the snapshots: after each kill, no finished row may appear.
    const resent: string[] = [];
    fake.requests.forEach((request, index) => {
      if (request.method !== "DELETE") return;
      const key = keyOf(request.provider, idOf(request.path));
      for (const snapshot of snapshots) if (index >= snapshot.at && snapshot.finished.has(key)) resent.push(`${key} (request ${index})`);
    });

    expect(final!.code, final!.stderr).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(resent).toEqual([]);

    const records = journalNow(journal);
    const outcomeCount = new Map<number, number>();
    for (const r of records) if (r.event === "outcome") outcomeCount.set(r.row, (outcomeCount.get(r.row) ?? 0) + 1);
    expect(outcomeCount.size).toBe(total);
    expect([...outcomeCount.values()].every((n) => n === 1)).toBe(true);

    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as ErasureReport;
    const reportRows = report.subjects.flatMap((s) => s.rows);
    expect(reportRows).toHaveLength(total);
    expect(new Set(reportRows.map((r) => r.row)).size).toBe(total);
    expect(report.counts).toMatchObject({ rows: total, failed: 0, not_attempted: 0, unanswered: 0 });
    expect(report.counts.deleted + report.counts.absent).toBe(total);
    // Every contact existed: an `absent` can only be a replay of a delete the server had applied.
    expect(reportRows.filter((r) => r.outcome === "absent").every((r) => r.afterRetry)).toBe(true);
    for (const r of reportRows) expect(fake.has(r.provider as ProviderName, r.id), `${r.provider} ${r.id}`).toBe(false);

    const sent = fake.requests.filter((r) => r.method === "DELETE").length;
    expect(sent).toBeGreaterThanOrEqual(total);
    expect(sent).toBeLessThanOrEqual(total + kills * CAPACITY);
    expect(maxInFlight).toBeLessThanOrEqual(CAPACITY);
    // The numbers the issue asks for, in the test log.
    console.log(
      `crash test: ${total} rows, ${kills} kills, ${runs} runs, ${sent} DELETEs sent (${sent - total} resends, bound ${kills * CAPACITY}), ` +
        `max in flight at the server ${maxInFlight} (capacity ${CAPACITY}), ${report.counts.deleted} deleted, ${report.counts.absent} absent after a replay`,
    );
  });
});
