/**
 * One journaled erasure run from the command line, shared by `erase --plan` and `delete --journal`:
 * credentials, the journal, Ctrl-C (first: finish what is in flight; second: abort it), output,
 * the report and the exit code.
 */
import { setMaxListeners } from "node:events";
import { writeFileSync } from "node:fs";
import {
  createContactsClient,
  isContactkitError,
  type ContactsClient,
  type ContactsClientConfig,
  type ProviderName,
  type RateLimiter,
} from "../../index.js";
import { scrubText } from "../../redact.js";
import {
  buildReport,
  foldJournal,
  openFileJournal,
  renderReportHtml,
  reportExitCode,
  runErasure,
  type ErasurePlan,
} from "../../erasure/index.js";
import { configErrorHint, configFromEnv } from "../env.js";
import { CliError, EXIT_INTERRUPTED } from "../errors.js";
import { createPacing, type Pacing, type PacingArgs } from "../pacing.js";
import { cliMessage } from "../format.js";
import type { CliIO, OutStream } from "../io.js";
import { chooseReporter, stopLines, subjectLine, summaryLine, type OutcomeReporter } from "./erase-output.js";

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
  /** `--rate` / `--redis`: one limiter per provider of the plan. @default each client's own */
  pacing?: PacingArgs | undefined;
}

/** A provider's client config from the environment (`<PROVIDER>_BASE_URL` included; `--base-url` wins). */
function configFor(provider: ProviderName, env: CliIO["env"], settings: SessionSettings) {
  return configFromEnv(provider, env, { baseUrl: settings.baseUrl, maxRetries: settings.maxRetries, timeoutMs: settings.timeoutMs });
}

/** Clients for the providers that still have rows to send; every credential problem at once, exit 2. */
function clientsFor(providers: ProviderName[], io: CliIO, settings: SessionSettings) {
  const clients: Partial<Record<ProviderName, ContactsClient<ProviderName>>> = {};
  const configs: Partial<Record<ProviderName, ContactsClientConfig>> = {};
  const secrets: string[] = [];
  const problems: CliError[] = [];
  for (const provider of providers) {
    try {
      const { config, secrets: found } = configFor(provider, io.env, settings);
      secrets.push(...found);
      clients[provider] = createContactsClient(config);
      configs[provider] = config;
    } catch (error) {
      if (error instanceof CliError) problems.push(error);
      else if (isContactkitError(error) && error.code === "config") {
        problems.push(new CliError(cliMessage(error), { hint: configErrorHint(provider, error.message) }));
      } else throw error;
    }
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) {
    throw new CliError(
      `${problems.length} providers are not configured; nothing was sent:\n  ${problems.map((p) => p.message).join("\n  ")}`,
      {
        hint: "set the variables named above (`contactkit --help` lists them), then run again.",
      },
    );
  }
  return { clients, configs, secrets };
}

/** One limiter per provider from `--rate` / `--redis` (an unreachable Redis is exit 2, nothing sent). */
async function pacingFor(configs: Partial<Record<ProviderName, ContactsClientConfig>>, args: PacingArgs, warn: (text: string) => void) {
  const paced: Pacing[] = [];
  const rateLimit: Partial<Record<ProviderName, RateLimiter | false>> = {};
  try {
    for (const [provider, config] of Object.entries(configs) as [ProviderName, ContactsClientConfig][]) {
      const pacing = await createPacing(args, config, warn);
      paced.push(pacing);
      if (pacing.rateLimit !== undefined) rateLimit[provider] = pacing.rateLimit;
      warn(`${provider}: ${pacing.description}`);
    }
  } catch (error) {
    await Promise.all(paced.map((p) => p.close()));
    throw error;
  }
  return { rateLimit, close: () => Promise.all(paced.map((p) => p.close())) };
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

  const pacing = settings.pacing ? await pacingFor(configured.configs, settings.pacing, (text) => write(io.stderr, `${text}\n`)) : null;
  const out = settings.json ? io.stderr : io.stdout;
  write(io.stderr, `journal: ${settings.journalPath}\n`);
  if (earlier.plan !== null) {
    const replays = pending.filter((r) => earlier.firstSent.has(r.row)).length;
    write(
      io.stderr,
      `resuming: ${earlier.outcomes.size} rows done, ${replays} to replay (sent, no answer), ${pending.length - replays} to send\n`,
    );
  }

  const reporter = await chooseReporter(settings, io, pending.length, clean, write);
  const inFlight = new Set<number>();
  const { stop, abort, unsubscribe } = twoStageStop(io, reporter, () => inFlight.size);

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
      ...(pacing ? { rateLimit: pacing.rateLimit } : {}),
      onResult: (record) => reporter.item(record),
    });
  } finally {
    unsubscribe();
    reporter.finish();
    journal.close();
    await pacing?.close();
  }

  const report = buildReport(plan, run.state, settings.journalPath);
  if (settings.reportPath !== undefined) {
    const body = /\.html?$/i.test(settings.reportPath) ? renderReportHtml(report) : `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(settings.reportPath, clean(body));
  }
  write(out, `${summaryLine(report.counts, Date.now() - started)}\n`);
  write(out, `${subjectLine(report.counts, settings.reportPath)}\n`);
  for (const line of stopLines(plan, run)) write(io.stderr, `${line}\n`);
  if (run.interrupted) return EXIT_INTERRUPTED;
  return reportExitCode(report.counts);
}

/**
 * Ctrl-C once: `stop` (no new rows; in flight finish). Twice: `abort` (in flight aborted, left
 * `sent` in the journal). Three times: quit at once.
 */
function twoStageStop(io: CliIO, reporter: OutcomeReporter, inFlight: () => number) {
  const stop = new AbortController();
  const abort = new AbortController();
  // Every request in flight, across providers, listens to it: not a leak.
  setMaxListeners(0, abort.signal);
  let interrupts = 0;
  const unsubscribe = io.onStopSignal((signal) => {
    interrupts += 1;
    const key = signal === "SIGINT" ? "Ctrl-C" : signal;
    if (interrupts === 1) {
      reporter.note(`${key}: no new rows are started; waiting for the ${inFlight()} in flight (${key} again aborts them).`);
      stop.abort();
    } else if (interrupts === 2) {
      reporter.note(`${key} again: aborting requests in flight; they stay "sent" in the journal and --resume replays them.`);
      abort.abort();
    } else {
      reporter.finish();
      io.exit(EXIT_INTERRUPTED);
    }
  });
  return { stop, abort, unsubscribe };
}
