/**
 * `contactkit/erasure`: erasure runs across providers from one plan, with a crash-safe journal,
 * resume, and a report per subject. Node-only (the file journal and plan reader use node:fs); the
 * core `contactkit` entry does not import it.
 */
export { parsePlan, readPlanFile, formatForPath, MAX_RECORD_BYTES, type ErasurePlan, type PlanRow, type PlanFormat } from "./plan.js";
export {
  foldJournal,
  memoryJournal,
  type Journal,
  type JournalRecord,
  type JournalState,
  type OutcomeRecord,
  type PlanRecord,
  type RowOutcome,
  type SentRecord,
} from "./journal.js";
export { openFileJournal, type FileJournal, type FileJournalOptions } from "./file-journal.js";
export { runErasure, type ErasureRun, type RunErasureOptions } from "./run.js";
export {
  buildReport,
  reportExitCode,
  type ErasureReport,
  type ReportCounts,
  type ReportOutcome,
  type ReportRow,
  type ReportSubject,
} from "./report.js";
export { renderReportHtml } from "./report-html.js";
