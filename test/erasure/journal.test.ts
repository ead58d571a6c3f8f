/** The file journal: append-only JSON Lines, read back, torn writes, and foreign files. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isContactkitError } from "../../src/index.js";
import { foldJournal, memoryJournal, openFileJournal, type JournalRecord } from "../../src/erasure/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "contactkit-journal-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = "2026-01-01T00:00:00.000Z";
const plan: JournalRecord = { event: "plan", version: 1, planHash: "sha256:abc", plan: "p.csv", rows: 2, at };
const sent = (row: number): JournalRecord => ({ event: "sent", row, subject: "s", provider: "close", id: `cont_${row}`, at });
const outcome = (row: number): JournalRecord => ({
  event: "outcome",
  row,
  subject: "s",
  provider: "close",
  id: `cont_${row}`,
  outcome: "deleted",
  status: 200,
  attempts: 1,
  verified: false,
  requestId: null,
  afterRetry: false,
  at,
});

describe("file journal", () => {
  it("appends one JSON line per record, readable at once by another reader (written through, not buffered)", async () => {
    const path = join(dir, "a.jsonl");
    const journal = openFileJournal(path);
    journal.append(plan);
    journal.append(sent(1));
    // Nothing closed or flushed by us: the line is already in the file.
    const text = await readFile(path, "utf8");
    expect(text.split("\n")).toEqual([JSON.stringify(plan), JSON.stringify(sent(1)), ""]);
    journal.append(outcome(1));
    journal.close();
    expect(await openFileJournal(path).read()).toEqual([plan, sent(1), outcome(1)]);
  });

  it("ignores a last line cut short by a crash, and starts the next record on a new line", async () => {
    const path = join(dir, "torn.jsonl");
    await writeFile(path, `${JSON.stringify(plan)}\n${JSON.stringify(sent(1)).slice(0, 20)}`);
    const journal = openFileJournal(path);
    expect(await journal.read()).toEqual([plan]);
    journal.append(sent(2));
    journal.close();
    expect(await openFileJournal(path).read()).toEqual([plan, sent(2)]);
  });

  it("refuses a file that is not a journal, naming the line", async () => {
    const path = join(dir, "foreign.jsonl");
    await writeFile(path, `${JSON.stringify(plan)}\nhello world\n${JSON.stringify(sent(1))}\n`);
    const error = await openFileJournal(path)
      .read()
      .catch((e: unknown) => e);
    expect(isContactkitError(error) && error.code).toBe("invalid_input");
    expect((error as Error).message).toMatch(/line 2 is not a journal record/);
  });

  it("scrubs every line it writes", async () => {
    const path = join(dir, "scrub.jsonl");
    const journal = openFileJournal(path, { scrub: (line) => line.replaceAll("SEKRET", "[redacted]") });
    journal.append({ ...outcome(1), error: { code: "unauthorized", message: "token SEKRET rejected" } } as JournalRecord);
    journal.close();
    const text = await readFile(path, "utf8");
    expect(text).not.toContain("SEKRET");
    expect(text).toContain("token [redacted] rejected");
  });

  it("a missing file reads as an empty journal and is created on the first append", async () => {
    const path = join(dir, "new.jsonl");
    const journal = openFileJournal(path);
    expect(journal.hasRecords()).toBe(false);
    expect(await journal.read()).toEqual([]);
    journal.append(plan);
    expect(journal.hasRecords()).toBe(true);
    journal.close();
  });
});

describe("foldJournal", () => {
  it("keeps the first sent record and the outcome of each row, and reports repeated outcomes", () => {
    const later = { ...sent(1), at: "2026-01-02T00:00:00.000Z", replay: true } as JournalRecord;
    const state = foldJournal([plan, sent(1), later, outcome(1), sent(2), outcome(1)]);
    expect(state.plan).toEqual(plan);
    expect(state.firstSent.get(1)).toEqual(sent(1));
    expect([...state.outcomes.keys()]).toEqual([1]);
    expect(state.firstSent.has(2)).toBe(true);
    expect(state.repeatedOutcomes).toEqual([1]);
  });

  it("memoryJournal keeps copies of what was appended", async () => {
    const journal = memoryJournal();
    const record = sent(1);
    await journal.append(record);
    (record as { id: string }).id = "changed";
    expect(await journal.read()).toEqual([sent(1)]);
  });
});
