/**
 * One journaled erasure run from the command line, shared by `erase --plan` and `delete --journal`:
 * credentials, the journal, Ctrl-C (first: finish what is in flight; second: abort it), output,
 * the report and the exit code.
 */
import { setMaxListeners } from "node:events";
import { writeFileSync } from "node:fs";
import { createContactsClient, isContactkitError, type ContactkitErrorCode, type ContactsClient, type ProviderName } from "../../index.js";
import { scrubText } from "../../redact.js";
import {
  buildReport,
  foldJournal,
  openFileJournal,
  renderReportHtml,
  reportExitCode,
  runErasure,
  type ErasurePlan,
  type OutcomeRecord,
  type ReportCounts,
} from "../../erasure/index.js";
import { configErrorHint, configFromEnv } from "../env.js";
import { CliError } from "../errors.js";
import { cliMessage, formatDuration, hintFor, humanLines, type IdOutcome } from "../format.js";
import { styleFor, type CliIO, type OutStream } from "../io.js";
import { progressReporter, type Reporter } from "../reporter.js";

export const EXIT_INTERRUPTED = 130;

export interface SessionSettings {
  plan: ErasurePlan;
  journalPath: string;
  resume: boolean;
  json: boolean;
  verify: boolean | undefined;
  reportPath: string | undefined;
  concurrency: number | undefined;
  missingOk: boolean;
  /** `--base-url` of `delete`: one provider, one host. */
  baseUrl?: string | undefined;
  maxRetries?: number | undefined;
  timeoutMs?: number | undefined;
}

/**
 * A provider's client config from the environment. The one place the erasure CLI reads provider
 * settings: `<PROVIDER>_BASE_URL` is honoured here until src/cli/env.ts reads it for every provider.
 */
function configFor(provider: ProviderName, env: CliIO["env"], settings: SessionSettings) {
  const baseUrl = settings.baseUrl ?? (env[`${provider.toUpperCase()}_BASE_URL`] || undefined);
  return configFromEnv(provider, env, { baseUrl, maxRetries: settings.maxRetries, timeoutMs: settings.timeoutMs });
}

/** Clients for the providers that still have rows to send; every credential problem at once, exit 2. */
function clientsFor(providers: ProviderName[], io: CliIO, settings: SessionSettings) {
  const clients: Partial<Record<ProviderName, ContactsClient<ProviderName>>> = {};
  const secrets: string[] = [];
  const problems: CliError[] = [];
  for (const provider of providers) {
    try {
      const { config, secrets: found } = configFor(provider, io.env, settings);
      secrets.push(...found);
      clients[provider] = createContactsClient(config);
    } catch (error) {
      if (error instanceof CliError) problems.push(error);
      else if (isContactkitError(error) && error.code === "config") {
        problems.push(new CliError(cliMessage(error), { hint: configErrorHint(provider, error.message) }));
      } else throw error;
    }
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) {
    throw new CliError(`${problems.length} providers are not configured; nothing was sent:\n  ${problems.map((p) => p.message).join("\n  ")}`, {
      hint: "set the variables named above (`contactkit --help` lists them), then run again.",
    });
  }
  return { clients, secrets };
}

export async function runSession(settings: SessionSettings, io: CliIO): Promise<number> {
  const { plan } = settings;
  let secrets: string[] = [];
  const clean = (text: string) => scrubText(text, secrets);
  const write = (stream: OutStream, text: string) => void stream.write(clean(text));
  const journal = openFileJournal(settings.journalPath, { scrub: clean });

  const earlier = foldJournal(await journal.read());
  if (earlier.plan !== null && !settings.resume) {
    throw new CliError(`the journal ${JSON.stringify(settings.journalPath)} already exists; nothing was sent`, {
      hint: "pass --resume to continue that run, or --journal FILE for a new one.",
    });
  }
  const pending = plan.rows.filter((r) => r.problem === null && !earlier.outcomes.has(r.row));
  const providers = [...new Set(pending.map((r) => r.provider!))];
  const configured = clientsFor(providers, io, settings);
  secrets = configured.secrets;

  const out = settings.json ? io.stderr : io.stdout;
  write(io.stderr, `journal: ${settings.journalPath}\n`);
  if (earlier.plan !== null) {
    const replays = pending.filter((r) => earlier.firstSent.has(r.row)).length;
    write(io.stderr, `resuming: ${earlier.outcomes.size} rows done, ${replays} to replay (sent, no answer), ${pending.length - replays} to send\n`);
  }

  const reporter = chooseReporter(settings, io, pending.length, clean, write);
  const stop = new AbortController();
  const abort = new AbortController();
  // Every request in flight, across providers, listens to it: not a leak.
  setMaxListeners(0, abort.signal);
  let interrupts = 0;
  const inFlight = new Set<number>();
  const unsubscribe = io.onStopSignal((signal) => {
    interrupts += 1;
    const key = signal === "SIGINT" ? "Ctrl-C" : signal;
    if (interrupts === 1) {
      reporter.note(`${key}: no new rows are started; waiting for the ${inFlight.size} in flight (${key} again aborts them).`);
      stop.abort();
    } else if (interrupts === 2) {
      reporter.note(`${key} again: aborting requests in flight; they stay "sent" in the journal and --resume replays them.`);
      abort.abort();
    } else {
      reporter.finish();
      io.exit(EXIT_INTERRUPTED);
    }
  });

  const started = Date.now();
  let run;
  try {
    run = await runErasure(plan, {
      clients: configured.clients,
      journal: {
        read: journal.read,
        append: (record) => {
          if (record.event === "sent") inFlight.add(record.row);
          else if (record.event === "outcome") inFlight.delete(record.row);
          journal.append(record);
        },
        sync: journal.sync,
      },
      missingOk: settings.missingOk,
      stop: stop.signal,
      signal: abort.signal,
      ...(settings.verify !== undefined ? { verify: settings.verify } : {}),
      ...(settings.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
      onResult: (record) => reporter.item(record),
    });
  } finally {
    unsubscribe();
    reporter.finish();
    journal.close();
  }

  const report = buildReport(plan, run.state, settings.journalPath);
  if (settings.reportPath !== undefined) {
    const body = /\.html?$/i.test(settings.reportPath) ? renderReportHtml(report) : `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(settings.reportPath, clean(body));
  }
  write(out, `${summaryLine(report.counts, Date.now() - started)}\n`);
  write(out, `${subjectLine(report.counts, settings.reportPath)}\n`);
  for (const [provider, error] of Object.entries(run.stoppedProviders) as Array<[ProviderName, NonNullable<(typeof run.stoppedProviders)[ProviderName]>]>) {
    const left = plan.rows.filter((r) => r.provider === provider && !run.state.outcomes.has(r.row)).length;
    const hint = hintFor(provider, error) ?? "";
    write(io.stderr, `${provider}: stopped after ${error.code}${hint ? ` (${hint.replace(/\.$/, "")})` : ""}; ${left} ${provider} rows not attempted — fix it and resume with --resume.\n`);
  }
  const unsent = report.counts.not_attempted + report.counts.unanswered;
  if (run.interrupted && unsent > 0) write(io.stderr, `${unsent} rows not attempted — resume with --resume\n`);
  if (run.interrupted) return EXIT_INTERRUPTED;
  return reportExitCode(report.counts);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function summaryLine(c: ReportCounts, ms: number): string {
  const open = c.not_attempted + c.unanswered;
  return `Summary: ${c.deleted} deleted, ${c.absent} absent, ${c.failed} failed${open > 0 ? `, ${open} not attempted` : ""} (${plural(c.rows, "row")}) · ${formatDuration(ms)}`;
}

function subjectLine(c: ReportCounts, reportPath: string | undefined): string {
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
    requestId: record.requestId,
    error: record.error ? { code: record.error.code, message: cliMessage(record.error as { code: ContactkitErrorCode; message: string }), status: record.status, retryAfterMs: null } : null,
  };
}

interface OutcomeReporter {
  item(record: OutcomeRecord): void;
  note(text: string): void;
  finish(): void;
}

/** `--json`: one line per outcome. A terminal: a bar. Otherwise: one block per failure only. */
function chooseReporter(
  settings: SessionSettings,
  io: CliIO,
  total: number,
  clean: (text: string) => string,
  write: (stream: OutStream, text: string) => void,
): OutcomeReporter {
  const style = styleFor(io.stdout, io.env);
  const failureLines = (record: OutcomeRecord) =>
    record.provider === null
      ? [`${style.red("✗")} row ${record.row}  ${style.red("invalid_input")}`, `    ${record.error?.message ?? ""}`]
      : humanLines(idOutcome(record), style).map((line, i) => (i === 0 ? `${line}  ${style.dim(`[row ${record.row}, ${record.subject}]`)}` : line));
  if (settings.json) {
    return {
      item: (record) => write(io.stdout, `${JSON.stringify(record)}\n`),
      note: (text) => write(io.stderr, `${text}\n`),
      finish: () => {},
    };
  }
  if (io.stderr.isTTY === true && io.stdout.isTTY === true && total > 0) {
    const bar: Reporter = progressReporter(io.stderr, total, styleFor(io.stderr, io.env), clean);
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
