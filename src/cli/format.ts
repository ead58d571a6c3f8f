/**
 * How one id's outcome, a run's summary and errors are written: the JSON Lines audit record,
 * the human line, hints phrased for the command line (flags and variables, not API options),
 * and the aligned tables the demo prints.
 */
import type { BulkItem, BulkReport, ContactkitError, ProviderName } from "../index.js";
import { toolingRegistry } from "../tooling-registry.js";
import { providerEnv } from "./env.js";
import type { Style } from "./io.js";

/** One id's outcome, as `--json` prints it (one object per line) and the human view reads it. */
export interface IdOutcome {
  id: string;
  provider: ProviderName;
  outcome: "deleted" | "absent" | "failed";
  status: number | null;
  attempts: number;
  /** An absent outcome that followed an attempt which may have applied the delete. */
  afterRetry: boolean;
  /** A failure after which the delete may still have happened (check before retrying). */
  mayHaveApplied: boolean;
  /** A read-back found the contact gone (`--verify`, or after an ambiguous failure by default). */
  verified: boolean;
  requestId: string | null;
  /** For failures: the library's error code, its message (CLI phrasing), status and wait hint. */
  error: { code: string; message: string; status: number | null; retryAfterMs: number | null } | null;
}

export function outcomeOf(provider: ProviderName, item: BulkItem): IdOutcome {
  if (item.ok) {
    const r = item.result;
    return {
      id: item.id,
      provider,
      outcome: r.outcome,
      status: r.status,
      attempts: r.attempts,
      afterRetry: r.afterRetry,
      mayHaveApplied: false,
      verified: r.verified,
      requestId: r.requestId,
      error: null,
    };
  }
  const e = item.error;
  return {
    id: item.id,
    provider,
    outcome: "failed",
    status: e.status,
    attempts: e.attempts,
    afterRetry: false,
    mayHaveApplied: e.mayHaveApplied,
    verified: false,
    requestId: e.requestId,
    error: { code: e.code, message: cliMessage(e), status: e.status, retryAfterMs: e.retryAfterMs },
  };
}

/**
 * The library ends its not_found / unauthorized / forbidden messages with advice for library
 * users (`missingOk: true`, "check the credentials"); the CLI gives its own hint in command-line
 * terms, so that last sentence is dropped. Matched loosely (the wording may change), and only for
 * those codes, whose last sentence is always the library's advice.
 */
const ADVISED_CODES = new Set(["not_found", "unauthorized", "forbidden"]);
const LIBRARY_ADVICE = /missingOk|credential/i;

export function cliMessage(error: Pick<ContactkitError, "message" | "code">): string {
  let message = error.message;
  if (ADVISED_CODES.has(error.code)) {
    const cut = message.lastIndexOf(". ", message.length - 2);
    if (cut >= 0 && LIBRARY_ADVICE.test(message.slice(cut + 1))) message = message.slice(0, cut + 1);
  }
  // Provider texts often end with a period already ("Contact not found.."): keep one.
  return message.replace(/(?<!\.)\.\.(?=\s|$)/g, ".");
}

/** What the user can do about a failed id, in CLI terms; null when there is nothing useful to say. */
export function hintFor(provider: ProviderName, error: { code: string; retryAfterMs: number | null }): string | null {
  const secretVars = providerEnv[provider].filter((v) => v.secret).map((v) => v.name);
  const hints = toolingRegistry[provider].hints ?? {};
  switch (error.code) {
    case "not_found":
      return "the contact does not exist (already deleted?); pass --missing-ok to count it as done.";
    case "endpoint_not_found":
      return (
        hints.endpointNotFound ??
        `that 404 was not the provider's "no such contact" answer (a wrong host or a proxy?): check --base-url or ${provider.toUpperCase()}_BASE_URL; the contact's state is unknown.`
      );
    case "unauthorized":
      return hints.unauthorized ?? `the provider rejected the credentials: check ${secretVars.join(" / ")}.`;
    case "forbidden":
      return hints.forbidden ?? "the credentials lack permission to delete contacts.";
    case "rate_limited":
      return error.retryAfterMs !== null
        ? `the provider asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s; run again later, or lower --concurrency.`
        : "rate limited; run again later, or lower --concurrency.";
    case "timeout":
      return "no answer in time; raise --timeout-ms or --max-retries, or try again later.";
    case "network":
      return "could not reach the provider; check the network and --base-url.";
    case "invalid_input":
      return "nothing was sent for this id; check its format.";
    case "validation_failed":
      return "the provider rejected the request as invalid; check the id and the provider settings.";
    case "conflict":
    case "precondition_failed":
      return "the provider refused the delete in the contact's current state; check it in the provider's app.";
    case "provider_error":
      return "the provider failed; try again later.";
    case "invalid_response":
      return "the delete may or may not have happened; check the contact in the provider's app.";
    case "aborted":
      return "the run was stopped before this id finished; run it again for the remaining ids.";
    default:
      return null;
  }
}

// Control characters, and whitespace that would make an id ambiguous on a line, are shown escaped.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\s]/;

/** An id as it is safe to put on a terminal line (quoted and escaped when it needs it, capped). */
export function displayId(id: string, max = 100): string {
  const shown = id.length > max ? `${id.slice(0, max)}…` : id;
  return UNSAFE.test(shown) || shown === "" ? JSON.stringify(shown) : shown;
}

/** Shortens long ids in the middle for tables (`cont_nsxnX5W0H…JavSr1D4`). */
export function shortId(id: string, max = 26): string {
  if (id.length <= max) return id;
  const keep = max - 1;
  return `${id.slice(0, Math.ceil(keep / 2))}…${id.slice(id.length - Math.floor(keep / 2))}`;
}

const MARK = { deleted: "✓", absent: "–", failed: "✗" } as const;

/** Outcome words are padded to this, so the facts after `deleted` and `absent` line up. */
const OUTCOME_WIDTH = "deleted".length;

/**
 * The human line(s) for one id, in columns: mark, id (padded to `idWidth`), outcome, facts, then
 * the message and hint for a failure.
 */
export function humanLines(o: IdOutcome, style: Style, idWidth = 0): string[] {
  const facts: string[] = [];
  if (o.status !== null) facts.push(`HTTP ${o.status}`);
  if (o.attempts > 1) facts.push(`${o.attempts} attempts`);
  if (o.requestId) facts.push(`request ${o.requestId}`);
  const tail = facts.length > 0 ? style.dim(`  (${facts.join(", ")})`) : "";
  const shown = displayId(o.id);
  const id = shown + " ".repeat(Math.max(0, idWidth - [...shown].length));
  const word = (text: string) => text + " ".repeat(Math.max(0, OUTCOME_WIDTH - text.length));
  if (o.outcome === "deleted") return [`${style.green(MARK.deleted)} ${id}  ${word("deleted")}${tail}`];
  if (o.outcome === "absent") {
    const why = o.afterRetry ? "gone after a retry, most likely deleted by the earlier attempt" : "not found, counted as done";
    return [`${style.yellow(MARK.absent)} ${id}  ${word("absent")}${tail}  ${why}`];
  }
  const error = o.error!;
  const lines = [`${style.red(MARK.failed)} ${id}  ${style.red(word(error.code))}${tail}`, `    ${error.message}`];
  if (o.mayHaveApplied && error.code !== "invalid_response") {
    lines.push(`    note: the delete may have been applied anyway; check the contact before assuming it still exists.`);
  }
  const hint = hintFor(o.provider, error);
  if (hint) lines.push(style.dim(`    hint: ${hint}`));
  return lines;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The one-line summary of a bulk run. */
export function summaryLine(report: BulkReport): string {
  const c = report.counts;
  return (
    `Summary: ${c.deleted} deleted, ${c.absent} absent, ${c.failed} failed (${plural(c.total, "id")}) · ` +
    `${plural(report.attempts, "attempt")} · ${report.rateLimitedResponses} rate-limited (429) · ${formatDuration(report.durationMs)}`
  );
}

/** Left-aligned text columns, right-aligned where `right[i]`; two spaces between columns. */
export function table(rows: string[][], right: boolean[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = " ".repeat((widths[i] ?? 0) - [...cell].length);
        return right[i] ? pad + cell : i === row.length - 1 ? cell : cell + pad;
      })
      .join("  ")
      .trimEnd(),
  );
}
