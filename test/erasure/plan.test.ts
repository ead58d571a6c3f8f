/** Plan parsing: CSV (RFC 4180) and JSON Lines, and every way a plan can be unusable. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isContactkitError } from "../../src/index.js";
import { MAX_RECORD_BYTES, parsePlan, readPlanFile, type ErasurePlan } from "../../src/erasure/index.js";

const enc = (text: string) => new TextEncoder().encode(text);
const csv = (text: string) => parsePlan([enc(text)], { source: "plan.csv", format: "csv" });
const jsonl = (text: string) => parsePlan([enc(text)], { source: "plan.jsonl", format: "jsonl" });

/** The plan-wide error a parse rejects with (it must be an invalid_input ContactkitError). */
async function planError(promise: Promise<ErasurePlan>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isContactkitError(error), `expected a ContactkitError, got ${String(error)}`).toBe(true);
  if (!isContactkitError(error)) throw error;
  expect(error.code).toBe("invalid_input");
  expect(error.message).toMatch(/nothing was sent/i);
  return error.message;
}

const usable = (plan: ErasurePlan) => plan.rows.filter((r) => r.problem === null).map((r) => [r.row, r.subject, r.provider, r.id]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "contactkit-plan-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("CSV plans", () => {
  it("reads subject, provider and id by header name, ignoring other columns, with RFC 4180 quoting", async () => {
    const plan = await csv(
      "ticket,ID,Provider,Subject\n" +
        "T-1,cont_1,close,alice@example.com\n" +
        '"T-2, urgent",cont_2,close,"bob ""the builder"""\n' +
        '"T-3\nmultiline",42,wethod,carol\n',
    );
    expect(usable(plan)).toEqual([
      [1, "alice@example.com", "close", "cont_1"],
      [2, 'bob "the builder"', "close", "cont_2"],
      [3, "carol", "wethod", "42"],
    ]);
    // Line numbers follow the file, also after a field that spans lines.
    expect(plan.rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(plan.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("handles CRLF line ends and a UTF-8 BOM (as Excel writes them)", async () => {
    const plan = await csv("\uFEFFsubject,provider,id\r\ns1,close,cont_1\r\ns2,featurebase,507f1f77bcf86cd799439011\r\n");
    expect(usable(plan)).toEqual([
      [1, "s1", "close", "cont_1"],
      [2, "s2", "featurebase", "507f1f77bcf86cd799439011"],
    ]);
  });

  it("the same bytes give the same hash; any change gives another", async () => {
    const a = await csv("subject,provider,id\ns1,close,cont_1\n");
    const b = await parsePlan([enc("subject,provider,"), enc("id\ns1,close,cont_1\n")], { source: "x", format: "csv" });
    const c = await csv("subject,provider,id\ns1,close,cont_2\n");
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
  });

  it("a malformed row fails alone, with its line number; the others stay usable", async () => {
    const plan = await csv('subject,provider,id\ns1,close,cont_1\ns2,close\ns3,close,"cont_3\ns4,,cont_4\n\ns5,close,cont_5');
    const bad = plan.rows.filter((r) => r.problem !== null);
    expect(bad.map((r) => [r.line, r.problem])).toEqual([
      [3, expect.stringMatching(/^line 3 has 2 fields/)],
      [4, expect.stringMatching(/^line 4 opens a quoted field that is never closed/)],
    ]);
    expect(usable(plan)).toEqual([[1, "s1", "close", "cont_1"]]);
  });

  it("blank lines are not rows; rows are numbered among data rows", async () => {
    const plan = await csv("subject,provider,id\n\ns1,close,cont_1\n   \ns2,close,cont_2\n");
    expect(plan.rows.map((r) => [r.row, r.line])).toEqual([
      [1, 3],
      [2, 5],
    ]);
  });

  it("a row with an empty subject, provider or id fails alone", async () => {
    const plan = await csv("subject,provider,id\n,close,cont_1\ns2,,cont_2\ns3,close,\ns4,close,cont_4\n");
    expect(plan.rows.map((r) => r.problem)).toEqual([
      "line 2 has no subject",
      "line 3 has no provider",
      "line 4 has no id (a non-empty string)",
      null,
    ]);
  });
});

describe("unusable plans: a whole-plan error before anything is sent", () => {
  it("an empty file", async () => {
    expect(await planError(csv(""))).toMatch(/the plan is empty/);
    expect(await planError(csv("\n\r\n  \n"))).toMatch(/the plan is empty/);
  });

  it("a header but no rows", async () => {
    expect(await planError(csv("subject,provider,id\n"))).toMatch(/no rows after its header/);
  });

  it("no header (the first row lacks subject, provider or id)", async () => {
    const message = await planError(csv("alice,close,cont_1\nbob,close,cont_2\n"));
    expect(message).toMatch(/line 1: no header: the first row must name the columns subject, provider and id/);
    expect(await planError(csv("subject,id\ns,1\n"))).toMatch(/line 1: no header/);
  });

  it("an unknown provider, naming its line and the known providers", async () => {
    const message = await planError(csv("subject,provider,id\ns1,close,cont_1\ns2,hubspott,123\n"));
    expect(message).toMatch(/line 3: unknown provider "hubspott": expected one of userapi, truto/);
  });

  it("the same contact twice, naming both lines", async () => {
    const message = await planError(csv("subject,provider,id\ns1,close,cont_1\ns2,close,cont_2\ns3,close,cont_1\n"));
    expect(message).toMatch(/line 4 repeats the contact of line 2 \(close "cont_1"\)/);
  });

  it("lists several problems, and caps the list", async () => {
    const rows = Array.from({ length: 15 }, (_, i) => `s${i},nope,${i}`).join("\n");
    const message = await planError(csv(`subject,provider,id\n${rows}\n`));
    expect(message).toMatch(/has 15 problems/);
    expect(message).toMatch(/… and 5 more/);
  });

  it("binary junk on the first line is not a plan", async () => {
    const junk = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]);
    const message = await planError(parsePlan([junk], { source: "image.png", format: "csv" }));
    expect(message).toMatch(/line 1: no header/);
    expect(message).toMatch(/binary data/);
    const jl = await planError(parsePlan([junk], { source: "x.jsonl", format: "jsonl" }));
    expect(jl).toMatch(/line 1 .*(NUL|UTF-8).*expected a CSV or JSON Lines plan/);
  });

  it("a file that does not exist", async () => {
    expect(await planError(readPlanFile(join(dir, "missing.csv")))).toMatch(/cannot read it \(no such file\)/);
  });
});

describe("binary and oversized rows fail alone", () => {
  it("a row with NUL bytes or invalid UTF-8", async () => {
    const bytes = new Uint8Array([
      ...enc("subject,provider,id\ns1,close,cont_1\n"),
      0x73,
      0x00,
      0x01,
      0x0a,
      0xc3,
      0x28,
      0x0a,
      ...enc("s4,close,cont_4\n"),
    ]);
    const plan = await parsePlan([bytes], { source: "p.csv", format: "csv" });
    expect(plan.rows.map((r) => r.problem)).toEqual([
      null,
      "line 3 contains NUL bytes: binary data, not text",
      "line 4 is not valid UTF-8 text (binary data?)",
      null,
    ]);
  });

  it("a 10 MB line is measured, never held, and fails alone with its line number", async () => {
    const path = join(dir, "huge.csv");
    const huge = "x".repeat(10 * 1024 * 1024);
    await writeFile(path, `subject,provider,id\ns1,close,cont_1\ns2,close,${huge}\ns3,close,cont_3\n`);
    const plan = await readPlanFile(path);
    expect(plan.rows.map((r) => [r.line, r.problem])).toEqual([
      [2, null],
      [3, `line 3 is ${huge.length + "s2,close,".length} bytes long, over the ${MAX_RECORD_BYTES}-byte limit for a row`],
      [4, null],
    ]);
  });
});

describe("JSON Lines plans", () => {
  it("reads objects with subject, provider and id (.jsonl / .ndjson by extension)", async () => {
    const path = join(dir, "plan.ndjson");
    await writeFile(
      path,
      '{"subject":"s1","provider":"close","id":"cont_1","extra":true}\r\n\n{"subject":"s2","provider":"wethod","id":42}\n',
    );
    const plan = await readPlanFile(path);
    expect(plan.format).toBe("jsonl");
    expect(usable(plan)).toEqual([
      [1, "s1", "close", "cont_1"],
      [2, "s2", "wethod", "42"],
    ]);
    expect(plan.rows.map((r) => r.line)).toEqual([1, 3]);
  });

  it("a line that is not JSON, or not an object, fails alone", async () => {
    const plan = await jsonl(
      '{"subject":"s1","provider":"close","id":"cont_1"}\n{nope\n[1,2]\n{"subject":"s4","provider":"close","id":"cont_4"}\n',
    );
    expect(plan.rows.map((r) => r.problem?.replace(/\(.*\)/, "(…)") ?? null)).toEqual([
      null,
      "line 2 is not valid JSON (…)",
      "line 3 is not a JSON object with subject, provider and id",
      null,
    ]);
  });

  it("quotes do not span lines in JSON Lines", async () => {
    const plan = await jsonl('{"subject":"a\n{"subject":"s2","provider":"close","id":"cont_2"}\n');
    expect(plan.rows.map((r) => r.line)).toEqual([1, 2]);
    expect(usable(plan)).toEqual([[2, "s2", "close", "cont_2"]]);
  });
});
