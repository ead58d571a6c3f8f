/**
 * The report as one self-contained HTML page (no scripts, no external resources) that a person can
 * read and print: totals, then a table per subject, incomplete subjects and failed rows first.
 */
import type { ErasureReport, ReportRow, ReportSubject } from "./report.js";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#111}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.failed,.unanswered,.not_attempted{background:#fde8e8}.absent{background:#fff8e0}.deleted{background:#e8f6ea}
.badge{font-weight:600}.meta{color:#555}
@media print{body{margin:0}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}
`;

export function renderReportHtml(report: ErasureReport): string {
  const c = report.counts;
  const totals = [
    ["Subjects", `${c.subjects} (${c.subjectsComplete} erased everywhere, ${c.subjects - c.subjectsComplete} incomplete)`],
    ["Rows", String(c.rows)],
    ["Deleted", String(c.deleted)],
    ["Absent", String(c.absent)],
    ["Failed", String(c.failed)],
    ["Not attempted", String(c.not_attempted)],
    ["Sent, unanswered", String(c.unanswered)],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Erasure report: ${escapeHtml(report.plan.source)}</title>
<style>${STYLE}</style></head>
<body>
<h1>Erasure report</h1>
<p class="meta">Plan <code>${escapeHtml(report.plan.source)}</code> (<code>${escapeHtml(report.plan.hash)}</code>) · journal <code>${escapeHtml(report.journal)}</code><br>
Started ${escapeHtml(report.startedAt ?? "—")} · report written ${escapeHtml(report.finishedAt)}</p>
<table id="totals"><tbody>${totals.map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v!)}</td></tr>`).join("")}</tbody></table>
${report.subjects.map(subjectSection).join("\n")}
</body></html>
`;
}

function subjectSection(subject: ReportSubject): string {
  const state = subject.complete ? "erased everywhere" : "INCOMPLETE";
  return `<section class="subject" data-complete="${subject.complete}">
<h2>${escapeHtml(subject.subject)} <span class="badge">— ${state}</span></h2>
<table><thead><tr><th>Row</th><th>Provider</th><th>Contact id</th><th>Outcome</th><th>HTTP</th><th>Attempts</th><th>Verified</th><th>Request id</th><th>First sent</th><th>Answered</th><th>Error</th></tr></thead>
<tbody>${subject.rows.map(rowHtml).join("")}</tbody></table>
</section>`;
}

function rowHtml(row: ReportRow): string {
  const outcome = row.outcome.replace("_", " ") + (row.afterRetry ? " (after retry)" : "");
  const cells = [
    String(row.row),
    row.provider ?? "—",
    row.id,
    outcome,
    row.status === null ? "—" : String(row.status),
    String(row.attempts),
    row.verified ? "yes" : "no",
    row.requestId ?? "—",
    row.firstSentAt ?? "—",
    row.answeredAt ?? "—",
    row.error ? `${row.error.code}: ${row.error.message}` : "",
  ];
  return `<tr class="${row.outcome}">${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`;
}
