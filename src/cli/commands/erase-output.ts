/** What an erasure run prints: per-outcome output (JSON lines, a bar, or failures only), the summary lines. */
import type { ContactkitError, ContactkitErrorCode, ProviderName } from "../../index.js";
import type { ErasurePlan, ErasureRun, OutcomeRecord, ReportCounts } from "../../erasure/index.js";
import { cliMessage, formatDuration, hintFor, humanLines, type IdOutcome } from "../format.js";
import { styleFor, type CliIO, type OutStream } from "../io.js";
import { progressReporter, type Reporter } from "../reporter.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function summaryLine(c: ReportCounts, ms: number): string {
  const open = c.not_attempted + c.unanswered;
  return `Summary: ${c.deleted} deleted, ${c.absent} absent, ${c.failed} failed${open > 0 ? `, ${open} not attempted` : ""} (${plural(c.rows, "row")}) · ${formatDuration(ms)}`;
}

export function subjectLine(c: ReportCounts, reportPath: string | undefined): string {
  const incomplete = c.subjects - c.subjectsComplete;
  const see = incomplete > 0 ? (reportPath ? " (see report)" : " (see the journal, or pass --report FILE)") : "";
  return `${plural(c.subjects, "subject")}: ${c.subjectsComplete} erased everywhere, ${incomplete} incomplete${see}`;
}

/** The CLI's per-id view of a journaled outcome (for the human lines and the bar). */
function idOutcome(record: OutcomeRecord): IdOutcome {
  return {
    id: record.id,
    provider: record.provider!,
    outcome: record.outcome,
    status: record.status,
    attempts: record.attempts,
    afterRetry: record.afterRetry,
    mayHaveApplied: record.mayHaveApplied === true,
    verified: record.verified,
    requestId: record.requestId,
    error: record.error
      ? {
          code: record.error.code,
          message: cliMessage(record.error as { code: ContactkitErrorCode; message: string }),
          status: record.status,
          retryAfterMs: null,
        }
      : null,
  };
}

export interface OutcomeReporter {
  item(record: OutcomeRecord): void;
  note(text: string): void;
  finish(): void;
}

/** `--json`: one line per outcome. A terminal: a bar. Otherwise: one block per failure only. */
export async function chooseReporter(
  settings: { json: boolean },
  io: CliIO,
  total: number,
  clean: (text: string) => string,
  write: (stream: OutStream, text: string) => void,
): Promise<OutcomeReporter> {
  const style = styleFor(io.stdout, io.env);
  const failureLines = (record: OutcomeRecord) =>
    record.provider === null
      ? [`${style.red("✗")} row ${record.row}  ${style.red("invalid_input")}`, `    ${record.error?.message ?? ""}`]
      : humanLines(idOutcome(record), style).map((line, i) =>
          i === 0 ? `${line}  ${style.dim(`[row ${record.row}, ${record.subject}]`)}` : line,
        );
  if (settings.json) {
    return {
      item: (record) => write(io.stdout, `${JSON.stringify(record)}\n`),
      note: (text) => write(io.stderr, `${text}\n`),
      finish: () => {},
    };
  }
  if (io.stderr.isTTY === true && io.stdout.isTTY === true && total > 0) {
    const bar: Reporter = await progressReporter(io.stderr, total, styleFor(io.stderr, io.env), clean);
    return {
      // Malformed rows have no provider for the bar's hint: they are listed above the bar as text.
      item: (record) => (record.provider === null ? bar.note(failureLines(record).join("\n")) : bar.item(idOutcome(record))),
      note: (text) => bar.note(text),
      finish: () => bar.finish(),
    };
  }
  return {
    item: (record) => {
      if (record.outcome === "failed") write(io.stdout, `${failureLines(record).join("\n")}\n`);
    },
    note: (text) => write(io.stderr, `${text}\n`),
    finish: () => {},
  };
}

/** One line per provider that was stopped (a 401 or a wrong base URL), and one for the rows an interruption left. */
export function stopLines(plan: ErasurePlan, run: ErasureRun): string[] {
  const lines: string[] = [];
  for (const [provider, error] of Object.entries(run.stoppedProviders) as Array<[ProviderName, ContactkitError]>) {
    const left = plan.rows.filter((r) => r.provider === provider && !run.state.outcomes.has(r.row)).length;
    const hint = hintFor(provider, error) ?? "";
    lines.push(
      `${provider}: stopped after ${error.code}${hint ? ` (${hint.replace(/\.$/, "")})` : ""}; ${left} ${provider} rows not attempted — fix it and resume with --resume.`,
    );
  }
  const unsent = plan.rows.filter((r) => !run.state.outcomes.has(r.row)).length;
  if (run.interrupted && unsent > 0) lines.push(`${unsent} rows not attempted — resume with --resume`);
  return lines;
}
