/**
 * The journal: what an erasure run did, row by row, as append-only records. `runErasure` writes a
 * `sent` record before a row's request goes out and an `outcome` record when its answer is known,
 * so a run stopped at any moment (even `kill -9`) can be resumed without losing or repeating an
 * outcome. `Journal` is the storage seam: the file journal is one implementation; keep it in a
 * database or object store by implementing `read` and `append`.
 */
import type { ProviderName } from "../index.js";

/** The first record: which plan this journal belongs to. */
export interface PlanRecord {
  event: "plan";
  version: 1;
  planHash: string;
  plan: string;
  rows: number;
  at: string;
}

/** Written (and handed to the OS) before the row's request is sent. */
export interface SentRecord {
  event: "sent";
  row: number;
  subject: string;
  provider: ProviderName;
  id: string;
  at: string;
  /** True when the row had been sent before without an answer (a resume replays it). */
  replay?: boolean;
}

export type RowOutcome = "deleted" | "absent" | "failed";

/** Written once per row, when its answer (or its failure) is known. */
export interface OutcomeRecord {
  event: "outcome";
  row: number;
  subject: string;
  provider: ProviderName | null;
  id: string;
  outcome: RowOutcome;
  status: number | null;
  attempts: number;
  /** Whether a read-back confirmed the contact is gone (`verify`, where the library supports it). */
  verified: boolean;
  requestId: string | null;
  /** An `absent` after an earlier attempt (or an earlier, unanswered run) may have applied the delete. */
  afterRetry: boolean;
  /** A failure after which the delete may have happened anyway. */
  mayHaveApplied?: boolean;
  error?: { code: string; message: string };
  at: string;
}

export type JournalRecord = PlanRecord | SentRecord | OutcomeRecord;

export interface Journal {
  /** Every record appended so far (by this or earlier runs), in order. */
  read(): Promise<JournalRecord[]>;
  /**
   * Appends one record. When it returns (or its promise resolves) the record must survive the
   * process being killed: `runErasure` sends a row's request only after its `sent` record is in.
   */
  append(record: JournalRecord): void | Promise<void>;
  /** Makes everything appended durable (the file journal: fsync). Called at the end of a run. */
  sync?(): void | Promise<void>;
}

/** A journal kept in memory (tests, or a caller that persists `records` itself). */
export function memoryJournal(initial: readonly JournalRecord[] = []): Journal & { readonly records: JournalRecord[] } {
  const records = [...initial];
  return {
    records,
    read: async () => [...records],
    append: (record) => void records.push(structuredClone(record)),
  };
}

/** What a journal says about each row. */
export interface JournalState {
  plan: PlanRecord | null;
  /** The first `sent` record of each row. */
  firstSent: Map<number, SentRecord>;
  outcomes: Map<number, OutcomeRecord>;
  /** Rows with more than one outcome record: never written by runErasure; reported, not hidden. */
  repeatedOutcomes: number[];
}

export function foldJournal(records: readonly JournalRecord[]): JournalState {
  const state: JournalState = { plan: null, firstSent: new Map(), outcomes: new Map(), repeatedOutcomes: [] };
  for (const record of records) {
    if (record.event === "plan") state.plan ??= record;
    else if (record.event === "sent") {
      if (!state.firstSent.has(record.row)) state.firstSent.set(record.row, record);
    } else if (record.event === "outcome") {
      if (state.outcomes.has(record.row)) state.repeatedOutcomes.push(record.row);
      else state.outcomes.set(record.row, record);
    }
  }
  return state;
}

/** True when `value` has the shape of a journal record (used when reading one back). */
export function isJournalRecord(value: unknown): value is JournalRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  if (r.event === "plan") return typeof r.planHash === "string";
  if (r.event === "sent" || r.event === "outcome") return Number.isSafeInteger(r.row) && typeof r.id === "string";
  return false;
}
