/**
 * Erasure plans: which contact (provider + id) to delete for which subject. Read from CSV (a header
 * naming `subject,provider,id`, other columns ignored) or JSON Lines, streaming, with line numbers.
 *
 * A malformed row becomes a row with a `problem` (it fails alone, nothing is sent for it). What
 * makes the whole plan unusable — no rows, no header, an unknown provider, the same contact twice —
 * throws an `invalid_input` ContactkitError before anything is sent.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { ContactkitError, isProviderName, providerNames, type ProviderName } from "../index.js";
import { csvFields, decodeRecord, RecordSplitter, type RawRecord } from "./records.js";

export type PlanFormat = "csv" | "jsonl";

/** One data row. `row` is its 1-based number among the data rows; `line` where it starts in the file. */
export interface PlanRow {
  row: number;
  line: number;
  subject: string;
  /** Null only for a malformed row that names no provider. */
  provider: ProviderName | null;
  id: string;
  /** Why this row cannot be sent (it then fails alone); null for a usable row. */
  problem: string | null;
}

export interface ErasurePlan {
  /** Where the plan came from (a path), for messages and the journal. */
  source: string;
  format: PlanFormat;
  /** `sha256:<hex>` of the plan's bytes: a journal belongs to exactly one plan. */
  hash: string;
  rows: PlanRow[];
}

/** Longest record kept (64 KiB): plenty for three fields, and a 10 MB line is never held in memory. */
export const MAX_RECORD_BYTES = 64 * 1024;
const REQUIRED = ["subject", "provider", "id"] as const;
/** Plan-wide problems listed in one error before "and N more". */
const LISTED = 10;

/** Reads and checks a plan file; the format follows the extension (`.jsonl`/`.ndjson`, else CSV). */
export async function readPlanFile(path: string, format: PlanFormat = formatForPath(path)): Promise<ErasurePlan> {
  let stream;
  try {
    stream = createReadStream(path);
    return await parsePlan(stream as AsyncIterable<Uint8Array>, { source: path, format });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") {
      throw planError(path, [
        `cannot read it (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : "permission denied"})`,
      ]);
    }
    throw error;
  }
}

export function formatForPath(path: string): PlanFormat {
  return /\.(jsonl|ndjson)$/i.test(path) ? "jsonl" : "csv";
}

/** Parses a plan from byte chunks (a file stream, a fetch body, an array of buffers). */
export async function parsePlan(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { source: string; format: PlanFormat },
): Promise<ErasurePlan> {
  const hash = createHash("sha256");
  const splitter = new RecordSplitter(options.format === "csv", MAX_RECORD_BYTES);
  const builder = new PlanBuilder(options.format);
  for await (const chunk of chunks) {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    hash.update(bytes);
    for (const record of splitter.push(bytes)) builder.add(record);
  }
  for (const record of splitter.end()) builder.add(record);
  const rows = builder.finish(options.source);
  return { source: options.source, format: options.format, hash: `sha256:${hash.digest("hex")}`, rows };
}

/** Turns records into rows and collects the plan-wide problems. */
class PlanBuilder {
  private readonly rows: PlanRow[] = [];
  private readonly fatal: string[] = [];
  private columns: Record<(typeof REQUIRED)[number], number> | null = null;
  private seenAny = false;
  private readonly firstLine = new Map<string, number>();

  constructor(private readonly format: PlanFormat) {}

  add(record: RawRecord): void {
    const first = !this.seenAny;
    if (record.bytes !== null && record.length === 0) return; // blank line
    let decoded: { text: string } | { problem: string };
    if (record.bytes === null) decoded = { problem: `is ${record.length} bytes long, over the ${MAX_RECORD_BYTES}-byte limit for a row` };
    else if (record.unterminatedQuote) decoded = { problem: "opens a quoted field that is never closed" };
    else decoded = decodeRecord(record.bytes, first);
    if ("text" in decoded && decoded.text.trim() === "") return;
    this.seenAny = true;

    if (this.format === "csv" && this.columns === null) {
      this.readHeader(record.line, decoded);
      return;
    }
    if (first && "problem" in decoded) {
      // Junk on the very first line: this is not a plan at all, not a plan with one bad row.
      this.fatal.push(`line ${record.line} ${decoded.problem}; expected a CSV or JSON Lines plan`);
      return;
    }
    const row = this.rows.length + 1;
    const fields = "problem" in decoded ? decoded : this.format === "csv" ? this.csvRow(decoded.text) : jsonRow(decoded.text);
    if ("problem" in fields) {
      this.rows.push({ row, line: record.line, subject: "", provider: null, id: "", problem: `line ${record.line} ${fields.problem}` });
      return;
    }
    this.rows.push(this.checkRow(row, record.line, fields));
  }

  finish(source: string): PlanRow[] {
    if (!this.seenAny) this.fatal.push("the plan is empty");
    else if (this.fatal.length === 0 && this.rows.length === 0) this.fatal.push("the plan has no rows after its header");
    if (this.fatal.length > 0) throw planError(source, this.fatal);
    return this.rows;
  }

  private readHeader(line: number, decoded: { text: string } | { problem: string }): void {
    const parsed = "problem" in decoded ? decoded : csvFields(decoded.text);
    const names = "fields" in parsed ? parsed.fields.map((f) => f.trim().toLowerCase()) : [];
    const missing = REQUIRED.filter((name) => !names.includes(name));
    if ("problem" in parsed || missing.length > 0) {
      const found = "problem" in parsed ? parsed.problem : `found ${JSON.stringify(names.slice(0, 6).join(",").slice(0, 80))}`;
      this.fatal.push(`line ${line}: no header: the first row must name the columns subject, provider and id (${found})`);
      // Nothing after a missing header can be read correctly; count the rest as one problem.
      this.columns = { subject: -1, provider: -1, id: -1 };
      return;
    }
    this.columns = { subject: names.indexOf("subject"), provider: names.indexOf("provider"), id: names.indexOf("id") };
  }

  private csvRow(text: string): { subject: unknown; provider: unknown; id: unknown } | { problem: string } {
    const columns = this.columns!;
    if (columns.id < 0) return { problem: "cannot be read without a header" };
    const parsed = csvFields(text);
    if ("problem" in parsed) return { problem: `is not valid CSV: ${parsed.problem}` };
    const needed = Math.max(columns.subject, columns.provider, columns.id) + 1;
    if (parsed.fields.length < needed) return { problem: `has ${parsed.fields.length} fields, the header needs at least ${needed}` };
    return { subject: parsed.fields[columns.subject], provider: parsed.fields[columns.provider], id: parsed.fields[columns.id] };
  }

  private checkRow(row: number, line: number, fields: { subject: unknown; provider: unknown; id: unknown }): PlanRow {
    const subject = typeof fields.subject === "string" ? fields.subject.trim() : "";
    const providerText = typeof fields.provider === "string" ? fields.provider.trim() : "";
    // Ids are kept exactly as written: the library rejects stray whitespace rather than guessing.
    const id =
      typeof fields.id === "string" ? fields.id : typeof fields.id === "number" && Number.isSafeInteger(fields.id) ? String(fields.id) : "";
    const problem =
      subject === "" ? "has no subject" : providerText === "" ? "has no provider" : id === "" ? "has no id (a non-empty string)" : null;
    if (problem !== null) {
      return { row, line, subject, provider: isProviderName(providerText) ? providerText : null, id, problem: `line ${line} ${problem}` };
    }
    if (!isProviderName(providerText)) {
      this.fatal.push(
        `line ${line}: unknown provider ${JSON.stringify(providerText.slice(0, 40))}: expected one of ${providerNames.join(", ")}`,
      );
      return { row, line, subject, provider: null, id, problem: "unknown provider" };
    }
    const key = `${providerText}\u0000${id}`;
    const earlier = this.firstLine.get(key);
    if (earlier !== undefined) {
      this.fatal.push(
        `line ${line} repeats the contact of line ${earlier} (${providerText} ${JSON.stringify(id.slice(0, 60))}): list each contact once`,
      );
    } else this.firstLine.set(key, line);
    return { row, line, subject, provider: providerText, id, problem: null };
  }
}

function jsonRow(text: string): { subject: unknown; provider: unknown; id: unknown } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `is not valid JSON (${error instanceof Error ? error.message.slice(0, 100) : "parse error"})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problem: "is not a JSON object with subject, provider and id" };
  }
  const record = value as Record<string, unknown>;
  return { subject: record.subject, provider: record.provider, id: record.id };
}

function planError(source: string, problems: string[]): ContactkitError {
  const listed = problems.slice(0, LISTED);
  const more = problems.length > LISTED ? `\n  … and ${problems.length - LISTED} more` : "";
  const message =
    problems.length === 1
      ? `plan ${JSON.stringify(source)}: ${problems[0]}. Nothing was sent.`
      : `plan ${JSON.stringify(source)} has ${problems.length} problems; nothing was sent:\n  ${listed.join("\n  ")}${more}`;
  return new ContactkitError({ code: "invalid_input", message });
}
