/** runErasure over real HTTP against the fake providers: accounting, resume, stops, verify. */
import { mkdtemp, readFileSync, rm } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { createContactsClient, isContactkitError, type ContactsClient, type ProviderName } from "../../src/index.js";
import { startFakeProviders, type FakeProviders, type FakeProvidersOptions } from "../../src/testing/index.js";
import {
  buildReport,
  memoryJournal,
  openFileJournal,
  parsePlan,
  renderReportHtml,
  runErasure,
  type ErasurePlan,
  type JournalRecord,
  type OutcomeRecord,
} from "../../src/erasure/index.js";

let dir: string;
beforeAll(async () => {
  dir = await promisify(mkdtemp)(join(tmpdir(), "contactkit-run-"));
});
afterAll(async () => {
  await promisify(rm)(dir, { recursive: true, force: true });
});

async function useFake(ctx: TestContext, options: FakeProvidersOptions = {}): Promise<FakeProviders> {
  const fake = await startFakeProviders({ seedCount: 6, ...options });
  ctx.onTestFinished(() => fake.close());
  return fake;
}

const fast = { backoff: { initialDelayMs: 5, jitter: false }, timeoutMs: 5000 };

function clientsFor(fake: FakeProviders, providers: ProviderName[]): Partial<Record<ProviderName, ContactsClient<ProviderName>>> {
  return Object.fromEntries(providers.map((p) => [p, createContactsClient({ ...fake.clientConfig(p), ...fast } as never)]));
}

async function planOf(rows: Array<[string, string, string]>, extra = ""): Promise<ErasurePlan> {
  const text = `subject,provider,id\n${rows.map((r) => r.join(",")).join("\n")}\n${extra}`;
  return parsePlan([new TextEncoder().encode(text)], { source: "plan.csv", format: "csv" });
}

const deletes = (fake: FakeProviders) => fake.requests.filter((r) => r.method === "DELETE");
const outcomes = (records: JournalRecord[]) => records.filter((r): r is OutcomeRecord => r.event === "outcome");

describe("runErasure", () => {
  it("runs a multi-provider plan: every row one sent and one outcome record, the plan record first", async (ctx) => {
    const fake = await useFake(ctx);
    const rows: Array<[string, string, string]> = [];
    for (const p of ["close", "featurebase", "truto"] as const) fake.seeded[p].forEach((id, i) => rows.push([`person-${i}`, p, id]));
    const plan = await planOf(rows);
    const journal = memoryJournal();
    const run = await runErasure(plan, { clients: clientsFor(fake, ["close", "featurebase", "truto"]), journal });
    expect(journal.records[0]).toMatchObject({ event: "plan", planHash: plan.hash, rows: 18 });
    expect(
      outcomes(journal.records)
        .map((o) => o.row)
        .sort((a, b) => a - b),
    ).toEqual(plan.rows.map((r) => r.row));
    expect(outcomes(journal.records).every((o) => o.outcome === "deleted" && o.status === 200 && o.verified === false)).toBe(true);
    expect(journal.records.filter((r) => r.event === "sent")).toHaveLength(18);
    for (const [, p, id] of rows) expect(fake.has(p as ProviderName, id)).toBe(false);
    expect(run).toMatchObject({ sent: 18, replayed: 0, interrupted: false, stoppedProviders: {} });

    const report = buildReport(plan, run.state, "memory");
    expect(report.counts).toMatchObject({ rows: 18, deleted: 18, subjects: 6, subjectsComplete: 6 });
    expect(report.subjects[0]!.rows.map((r) => r.provider)).toEqual(["close", "featurebase", "truto"]);
  });

  it("writes the sent record to the file before the request reaches the server", async (ctx) => {
    const fake = await useFake(ctx);
    const path = join(dir, "before.jsonl");
    const seenInJournal: boolean[] = [];
    // Runs in the server as each request arrives: the journal on disk must already announce it.
    fake.server.prependListener("request", (req) => {
      const id = decodeURIComponent(/contact\/([^/]+)\//.exec(req.url ?? "")?.[1] ?? "");
      seenInJournal.push(
        readFileSync(path, "utf8").includes(`"event":"sent","row":`) && readFileSync(path, "utf8").includes(`"id":"${id}"`),
      );
    });
    const plan = await planOf(fake.seeded.close.map((id, i) => [`s${i}`, "close", id]));
    const journal = openFileJournal(path);
    await runErasure(plan, { clients: clientsFor(fake, ["close"]), journal });
    journal.close();
    expect(seenInJournal).toEqual(fake.seeded.close.map(() => true));
  });

  it("runs providers at the same time, each with its own concurrency", async (ctx) => {
    const fake = await useFake(ctx, { seedCount: 12, answerDelayMs: 60 });
    let open = 0;
    let maxOpen = 0;
    fake.server.on("request", (_req, res) => {
      maxOpen = Math.max(maxOpen, ++open);
      res.once("close", () => (open -= 1));
    });
    const rows = (["close", "featurebase"] as const).flatMap((p) =>
      fake.seeded[p].map((id, i): [string, string, string] => [`s${i}`, p, id]),
    );
    const plan = await planOf(rows);
    await runErasure(plan, {
      clients: clientsFor(fake, ["close", "featurebase"]),
      journal: memoryJournal(),
      concurrency: { close: 2, featurebase: 3 },
    });
    expect(maxOpen).toBe(5);
  });

  it("resume: rows with an outcome are never resent, sent-but-unanswered rows are replayed (404 ⇒ absent, afterRetry), the rest are sent", async (ctx) => {
    const fake = await useFake(ctx);
    const [a, b, c, d] = fake.seeded.close as [string, string, string, string];
    const plan = await planOf([
      ["s1", "close", a],
      ["s2", "close", b],
      ["s3", "close", c],
      ["s4", "close", d],
    ]);
    // Row 1 was done in an earlier run; row 2 was applied by the server but its answer was lost.
    await createContactsClient({ ...fake.clientConfig("close"), ...fast }).deleteContacts([a, b], { rateLimit: false });
    fake.requests.length = 0;
    const at = new Date().toISOString();
    const earlier: JournalRecord[] = [
      { event: "plan", version: 1, planHash: plan.hash, plan: "plan.csv", rows: 4, at },
      { event: "sent", row: 1, subject: "s1", provider: "close", id: a, at },
      {
        event: "outcome",
        row: 1,
        subject: "s1",
        provider: "close",
        id: a,
        outcome: "deleted",
        status: 200,
        attempts: 1,
        verified: false,
        requestId: null,
        afterRetry: false,
        at,
      },
      { event: "sent", row: 2, subject: "s2", provider: "close", id: b, at },
    ];
    const journal = memoryJournal(earlier);
    const run = await runErasure(plan, { clients: clientsFor(fake, ["close"]), journal });
    expect(deletes(fake).map((r) => r.path)).not.toContain(`/api/v1/contact/${a}/`);
    expect(deletes(fake)).toHaveLength(3);
    const byRow = new Map(outcomes(journal.records).map((o) => [o.row, o]));
    expect(byRow.get(2)).toMatchObject({ outcome: "absent", status: 404, afterRetry: true });
    expect(byRow.get(3)).toMatchObject({ outcome: "deleted", afterRetry: false });
    expect(byRow.get(4)).toMatchObject({ outcome: "deleted" });
    expect(journal.records.find((r) => r.event === "sent" && r.row === 2 && r.replay === true)).toBeDefined();
    expect(run).toMatchObject({ sent: 3, replayed: 1 });
    expect([...run.state.outcomes.keys()].sort()).toEqual([1, 2, 3, 4]);

    // A finished journal: nothing more is sent.
    fake.requests.length = 0;
    const again = await runErasure(plan, { clients: clientsFor(fake, ["close"]), journal });
    expect(fake.requests).toHaveLength(0);
    expect(again.sent).toBe(0);
  });

  it("refuses a journal of another plan, before sending anything", async (ctx) => {
    const fake = await useFake(ctx);
    const plan = await planOf([["s1", "close", fake.seeded.close[0]!]]);
    const other = await planOf([["s1", "close", fake.seeded.close[1]!]]);
    const journal = memoryJournal();
    await runErasure(other, { clients: clientsFor(fake, ["close"]), journal });
    fake.requests.length = 0;
    const error = await runErasure(plan, { clients: clientsFor(fake, ["close"]), journal }).catch((e: unknown) => e);
    expect(isContactkitError(error) && error.code).toBe("invalid_input");
    expect((error as Error).message).toMatch(/belongs to another plan/);
    expect(fake.requests).toHaveLength(0);
  });

  it("a missing client is a config error before anything is sent", async (ctx) => {
    const fake = await useFake(ctx);
    const plan = await planOf([
      ["s1", "close", fake.seeded.close[0]!],
      ["s1", "truto", fake.seeded.truto[0]!],
    ]);
    const error = await runErasure(plan, { clients: clientsFor(fake, ["close"]), journal: memoryJournal() }).catch((e: unknown) => e);
    expect(isContactkitError(error) && error.code).toBe("config");
    expect((error as Error).message).toMatch(/no client for truto/);
    expect(fake.requests).toHaveLength(0);
  });

  it("malformed rows fail alone, journaled without a request", async (ctx) => {
    const fake = await useFake(ctx);
    const plan = await planOf([["s1", "close", fake.seeded.close[0]!]], "s2,close\n");
    const journal = memoryJournal();
    const run = await runErasure(plan, { clients: clientsFor(fake, ["close"]), journal });
    expect(deletes(fake)).toHaveLength(1);
    expect(run.state.outcomes.get(2)).toMatchObject({
      outcome: "failed",
      attempts: 0,
      error: { code: "invalid_input", message: expect.stringMatching(/^line 3 has 2 fields/) },
    });
    expect(journal.records.some((r) => r.event === "sent" && r.row === 2)).toBe(false);
  });

  it("a stop lets requests in flight finish (deleted, journaled) and starts nothing more", async (ctx) => {
    const fake = await useFake(ctx, { seedCount: 20, answerDelayMs: 150 });
    const plan = await planOf(fake.seeded.close.map((id, i) => [`s${i}`, "close", id]));
    const stop = new AbortController();
    const journal = memoryJournal();
    setTimeout(() => stop.abort(), 50);
    const run = await runErasure(plan, { clients: clientsFor(fake, ["close"]), journal, concurrency: 3, stop: stop.signal });
    expect(run.interrupted).toBe(true);
    const sentRows = journal.records.filter((r) => r.event === "sent").map((r) => (r as { row: number }).row);
    expect(sentRows).toHaveLength(3);
    expect(outcomes(journal.records).map((o) => [o.row, o.outcome])).toEqual(
      expect.arrayContaining(sentRows.map((row) => [row, "deleted"])),
    );
    expect(outcomes(journal.records)).toHaveLength(3);
    expect(deletes(fake)).toHaveLength(3);
  });

  it("an abort cuts requests in flight: they keep only their sent record, and a resume replays them", async (ctx) => {
    const fake = await useFake(ctx, { seedCount: 10, answerDelayMs: 300 });
    const plan = await planOf(fake.seeded.close.map((id, i) => [`s${i}`, "close", id]));
    const abort = new AbortController();
    const journal = memoryJournal();
    setTimeout(() => abort.abort(), 80);
    const run = await runErasure(plan, { clients: clientsFor(fake, ["close"]), journal, concurrency: 2, signal: abort.signal });
    expect(run.interrupted).toBe(true);
    expect(outcomes(journal.records)).toHaveLength(0);
    expect(journal.records.filter((r) => r.event === "sent")).toHaveLength(2);
    // The server applied both deletes: the resume's replays find them gone.
    const resumed = await runErasure(plan, { clients: clientsFor(fake, ["close"]), journal, concurrency: 2 });
    expect(resumed.replayed).toBe(2);
    const replayed = outcomes(journal.records).filter((o) => o.afterRetry);
    expect(replayed.map((o) => o.outcome)).toEqual(["absent", "absent"]);
    expect(outcomes(journal.records)).toHaveLength(10);
  });

  it("rejected credentials stop that provider's rows only; the others go on", async (ctx) => {
    const fake = await useFake(ctx);
    const rows = (["close", "truto"] as const).flatMap((p) => fake.seeded[p].map((id, i): [string, string, string] => [`s${i}`, p, id]));
    const plan = await planOf(rows);
    const clients = {
      ...clientsFor(fake, ["truto"]),
      close: createContactsClient({ ...fake.clientConfig("close"), apiKey: "api_wrong_000000", ...fast }),
    };
    const journal = memoryJournal();
    const run = await runErasure(plan, { clients, journal, concurrency: 1 });
    expect(run.stoppedProviders.close?.code).toBe("unauthorized");
    expect(
      outcomes(journal.records)
        .filter((o) => o.provider === "truto")
        .every((o) => o.outcome === "deleted"),
    ).toBe(true);
    expect(outcomes(journal.records).filter((o) => o.provider === "close")).toHaveLength(1);
    const report = buildReport(plan, run.state, "memory");
    expect(report.counts).toMatchObject({ deleted: 6, failed: 1, not_attempted: 5 });
    // Failures first, incomplete subjects first.
    expect(report.subjects[0]!.complete).toBe(false);
    expect(report.subjects[0]!.rows[0]!.outcome).toBe("failed");
  });

  it("a wrong base URL (endpoint_not_found) stops that provider too: one failed row, the rest not attempted", async (ctx) => {
    const fake = await useFake(ctx);
    const rows = (["close", "truto"] as const).flatMap((p) => fake.seeded[p].map((id, i): [string, string, string] => [`s${i}`, p, id]));
    const plan = await planOf(rows);
    const clients = {
      ...clientsFor(fake, ["truto"]),
      close: createContactsClient({ ...fake.clientConfig("close"), baseUrl: `${fake.url}/not-the-api`, ...fast }),
    };
    const journal = memoryJournal();
    const run = await runErasure(plan, { clients, journal, concurrency: 1 });
    expect(run.stoppedProviders.close?.code).toBe("endpoint_not_found");
    expect(run.stoppedProviders.truto).toBeUndefined();
    expect(outcomes(journal.records).filter((o) => o.provider === "close")).toHaveLength(1);
    expect(buildReport(plan, run.state, "memory").counts).toMatchObject({ deleted: 6, failed: 1, not_attempted: 5 });
    // Nothing was deleted at close: the wrong path never reached a contact.
    expect(fake.seeded.close.every((id) => fake.has("close", id))).toBe(true);
  });

  it("verify: passed to clients that take it, `verified` from the result; refused up front by clients that cannot", async (ctx) => {
    const fake = await useFake(ctx);
    const plan = await planOf([["s1", "close", fake.seeded.close[0]!]]);
    const close = createContactsClient({ ...fake.clientConfig("close"), ...fast });
    const journal = memoryJournal();
    await runErasure(plan, { clients: { close }, journal, verify: true });
    // The real read-back: the delete, then a GET answered with Close's "not found".
    expect(outcomes(journal.records)[0]).toMatchObject({ outcome: "deleted", verified: true });
    expect(fake.requests.map((r) => r.method)).toEqual(["DELETE", "GET"]);

    // userapi documents no read endpoint: --verify is refused before anything is sent.
    const other = await planOf([["s1", "userapi", fake.seeded.userapi[0]!]]);
    const userapi = createContactsClient({ ...fake.clientConfig("userapi"), ...fast });
    fake.requests.length = 0;
    const error = await runErasure(other, { clients: { userapi }, journal: memoryJournal(), verify: true }).catch((e: unknown) => e);
    expect(isContactkitError(error) && error.code).toBe("config");
    expect(fake.requests).toHaveLength(0);
    // --no-verify with such a client: nothing to turn off, the run goes on.
    const off = memoryJournal();
    await runErasure(other, { clients: { userapi }, journal: off, verify: false });
    expect(outcomes(off.records)[0]).toMatchObject({ outcome: "deleted", verified: false });
  });

  it("the HTML report escapes what it shows and lists incomplete subjects first", async (ctx) => {
    const fake = await useFake(ctx);
    const plan = await planOf([
      ["<b>alice</b>", "close", fake.seeded.close[0]!],
      ["bob", "close", "cont_doesnotexist"],
    ]);
    const run = await runErasure(plan, { clients: clientsFor(fake, ["close"]), journal: memoryJournal() });
    const html = renderReportHtml(buildReport(plan, run.state, "j.jsonl"));
    expect(html).toContain("&lt;b&gt;alice&lt;/b&gt;");
    expect(html).not.toContain("<b>alice");
    expect(html.indexOf("bob")).toBeLessThan(html.indexOf("alice"));
    expect(html).toMatch(/not_found/);
    expect(html).not.toMatch(/<script|<link|src=/);
  });
});

describe("runErasure option checks", () => {
  it("a bad concurrency fails the whole run before anything is sent", async (ctx) => {
    const fake = await useFake(ctx);
    const plan = await planOf([
      ["s1", "close", fake.seeded.close[0]!],
      ["s1", "truto", fake.seeded.truto[0]!],
    ]);
    const journal = memoryJournal();
    const error = await runErasure(plan, {
      clients: clientsFor(fake, ["close", "truto"]),
      journal,
      concurrency: { close: 2, truto: 999 },
    }).catch((e: unknown) => e);
    expect(isContactkitError(error) && error.code).toBe("invalid_input");
    expect((error as Error).message).toMatch(/concurrency/);
    expect(fake.requests).toHaveLength(0);
    expect(journal.records).toEqual([]); // not even the plan record: nothing to resume
  });
});
