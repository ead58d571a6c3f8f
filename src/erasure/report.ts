/**
 * The evidence of an erasure: built from the plan and the whole journal (every run so far), grouped
 * by subject. A subject is `complete` when every one of its rows ended `deleted` or `absent`.
 */
import type { JournalState, RowOutcome } from "./journal.js";
import type { ErasurePlan } from "./plan.js";

/** `not_attempted`: never sent. `unanswered`: sent, but its answer was never journaled (resume replays it). */
export type ReportOutcome = RowOutcome | "not_attempted" | "unanswered";

export interface ReportRow {
  row: number;
  provider: string | null;
  id: string;
  outcome: ReportOutcome;
  status: number | null;
  attempts: number;
  verified: boolean;
  requestId: string | null;
  afterRetry: boolean;
  error?: { code: string; message: string };
  firstSentAt: string | null;
  answeredAt: string | null;
}

export interface ReportSubject {
  subject: string;
  complete: boolean;
  rows: ReportRow[];
}

export interface ReportCounts {
  rows: number;
  deleted: number;
  absent: number;
  failed: number;
  not_attempted: number;
  unanswered: number;
  subjects: number;
  subjectsComplete: number;
}

export interface ErasureReport {
  plan: { source: string; hash: string; rows: number };
  journal: string;
  startedAt: string | null;
  finishedAt: string;
  counts: ReportCounts;
  /** Incomplete subjects first, then in plan order; within a subject, failures first. */
  subjects: ReportSubject[];
}

const ORDER: Record<ReportOutcome, number> = { failed: 0, unanswered: 1, not_attempted: 2, absent: 3, deleted: 4 };

export function buildReport(plan: ErasurePlan, state: JournalState, journal: string, finishedAt = new Date().toISOString()): ErasureReport {
  const counts: ReportCounts = {
    rows: plan.rows.length,
    deleted: 0,
    absent: 0,
    failed: 0,
    not_attempted: 0,
    unanswered: 0,
    subjects: 0,
    subjectsComplete: 0,
  };
  const bySubject = new Map<string, ReportRow[]>();
  for (const planned of plan.rows) {
    const outcome = state.outcomes.get(planned.row);
    const sent = state.firstSent.get(planned.row);
    const row: ReportRow = outcome
      ? {
          row: planned.row,
          provider: planned.provider,
          id: planned.id,
          outcome: outcome.outcome,
          status: outcome.status,
          attempts: outcome.attempts,
          verified: outcome.verified,
          requestId: outcome.requestId,
          afterRetry: outcome.afterRetry,
          ...(outcome.error ? { error: outcome.error } : {}),
          firstSentAt: sent?.at ?? null,
          answeredAt: outcome.at,
        }
      : {
          row: planned.row,
          provider: planned.provider,
          id: planned.id,
          outcome: sent ? "unanswered" : "not_attempted",
          status: null,
          attempts: 0,
          verified: false,
          requestId: null,
          afterRetry: false,
          firstSentAt: sent?.at ?? null,
          answeredAt: null,
        };
    counts[row.outcome] += 1;
    const list = bySubject.get(planned.subject) ?? [];
    list.push(row);
    bySubject.set(planned.subject, list);
  }
  const subjects: ReportSubject[] = [...bySubject].map(([subject, rows]) => ({
    subject,
    complete: rows.every((r) => r.outcome === "deleted" || r.outcome === "absent"),
    rows: rows.sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome] || a.row - b.row),
  }));
  counts.subjects = subjects.length;
  counts.subjectsComplete = subjects.filter((s) => s.complete).length;
  // Stable sort: incomplete subjects move up, each group keeps plan order.
  subjects.sort((a, b) => Number(a.complete) - Number(b.complete));
  return {
    plan: { source: plan.source, hash: plan.hash, rows: plan.rows.length },
    journal,
    startedAt: state.plan?.at ?? null,
    finishedAt,
    counts,
    subjects,
  };
}

/** 0: every row deleted or absent; 1: some row failed or was left undone (130 for an interruption is the caller's). */
export function reportExitCode(counts: ReportCounts): 0 | 1 {
  return counts.deleted + counts.absent === counts.rows ? 0 : 1;
}
