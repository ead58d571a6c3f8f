/** `contactkit delete <provider> <id...> | --ids-file FILE`: a bulk run through the facade. */
import {
  createContactsClient,
  isContactkitError,
  type BulkItem,
  type BulkReport,
  type ContactsClient,
  type ProviderName,
} from "../../index.js";
import { parseDeleteArgs, type DeleteArgs } from "../args.js";
import { configErrorHint, configFromEnv } from "../env.js";
import { CliError, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from "../errors.js";
import { scrubText } from "../../redact.js";
import { cliMessage, hintFor, outcomeOf, summaryLine } from "../format.js";
import { countIdsInFile, fromArgs, openIdsFile, stdinIds, type IdGate, type IdSource } from "../ids.js";
import { styleFor, type CliIO, type OutStream } from "../io.js";
import { batchedLines, type LineOutput } from "../line-output.js";
import { createPacing, readPacingArgs } from "../pacing.js";
import { HANDFUL, jsonReporter, lineReporter, progressReporter, type LineSinks, type Reporter } from "../reporter.js";
import { deleteHelp } from "../usage.js";

/** Why a run was stopped before its end. */
type StopReason = "interrupted" | "credentials";

export async function deleteCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseDeleteArgs(argv);
  if (args === null) {
    io.stdout.write(`${deleteHelp()}\n`);
    return EXIT_OK;
  }
  // The journaled path loads the erasure engine; a plain run does not pay for it at start-up.
  if (args.journal !== undefined) return (await import("./delete-journal.js")).deleteWithJournal(args, io);
  // Per-id lines are batched (one write per event-loop turn); closed, so flushed, however the command ends.
  const out = batchedLines(io.stdout);
  try {
    return await deleteRun(args, io, out);
  } finally {
    out.close();
  }
}

async function deleteRun(args: DeleteArgs, io: CliIO, out: LineOutput): Promise<number> {
  const { provider } = args;
  const { config, secrets } = configFromEnv(provider, io.env, args);
  const pacingArgs = readPacingArgs(args.pacingFlags, io.env);
  // Everything this command prints goes through here: defence in depth on top of the library's
  // own scrubbing, so a credential never reaches the terminal or a log file.
  const write = (stream: OutStream, text: string) => void stream.write(scrubText(text, secrets));
  const clean = (text: string) => scrubText(text, secrets);

  const client = openClient(provider, config, clean);

  // Two stages of stopping: `draining` starts no new ids (calls in flight finish and are
  // reported); `controller` also aborts the calls in flight.
  const draining = new AbortController();
  const controller = new AbortController();
  // No id starts once the run is stopping, nor while stdout is backed up (a slow reader of a pipe).
  const gate: IdGate = { stopped: () => draining.signal.aborted, room: out.room };
  const source: IdSource =
    args.idsFile === undefined
      ? fromArgs(args.ids, gate)
      : args.idsFile === "-"
        ? stdinIds(io.stdin, draining.signal, gate)
        : await openIdsFile(args.idsFile, gate);
  if (args.idsFile === "-" && (io.stdin as { isTTY?: boolean }).isTTY) {
    write(io.stderr, "Reading ids from the terminal, one per line; end with Ctrl-D.\n");
  }

  // Warnings (Redis lost) go above the progress bar once there is one.
  let reporter: Reporter<BulkItem> | null = null;
  const pacing = await createPacing(pacingArgs, config, (text) => (reporter ? reporter.note(text) : write(io.stderr, `${text}\n`)));
  reporter = await chooseReporter(args, io, { provider, out, stderr: io.stderr, write, clean }, pacing.description);
  let stopped: StopReason | null = null;
  const stop = (reason: StopReason, message: string) => {
    if (stopped) return;
    stopped = reason;
    reporter.note(message);
    draining.abort(new Error(reason));
  };
  const unsubscribe = onStopSignals(io, reporter, write, controller, (key) => {
    if (stopped === null) stop("interrupted", `${key}: no new ids are started; calls in flight finish (${key} again aborts them).`);
    else stopped = "interrupted";
  });
  let abortedIds = 0;
  let report: BulkReport;
  try {
    report = await client.deleteContacts(source.ids, {
      missingOk: args.missingOk,
      ...(args.verify !== undefined ? { verify: args.verify } : {}),
      signal: controller.signal,
      ...(pacing.rateLimit !== undefined ? { rateLimit: pacing.rateLimit } : {}),
      ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}),
      // Outcomes are printed as they come; the report only needs the counts.
      collect: false,
      onResult: (item) => {
        reporter.item(item);
        if (!item.ok && item.error.code === "aborted") abortedIds += 1;
        // Bad credentials fail every id the same way: stop instead of sending the rest.
        if (!item.ok && item.error.code === "unauthorized") {
          const hint = hintFor(provider, item.error) ?? "check the credentials.";
          stop("credentials", `Stopping: ${hint.replace(/^the provider/, provider)} No further ids are sent.`);
        }
      },
    });
  } catch (error) {
    reporter.finish();
    if (isContactkitError(error) && (error.code === "invalid_input" || error.code === "config")) {
      throw new CliError(clean(cliMessage(error)), { hint: "run `contactkit delete --help` for the options." });
    }
    throw error;
  } finally {
    unsubscribe();
    await pacing.close();
  }
  reporter.finish();
  return endOfRun(args, io, write, { report, source, stopped, abortedIds, pace: pacing.description });
}

/** The summary, the note on a stopped run or a read error, and the exit code. */
async function endOfRun(
  args: DeleteArgs,
  io: CliIO,
  write: (stream: OutStream, text: string) => void,
  run: { report: BulkReport; source: IdSource; stopped: StopReason | null; abortedIds: number; pace: string },
): Promise<number> {
  const { report, source, stopped, abortedIds } = run;
  if (report.counts.total === 0 && source.error === null && stopped === null) {
    throw new CliError(`no ids in ${source.label === "stdin" ? "stdin" : JSON.stringify(source.label)}`, {
      hint: "give one id per line; blank lines are ignored.",
    });
  }
  // In JSON mode stdout is only the audit log; everything else goes to stderr.
  const summaryStream = args.json ? io.stderr : io.stdout;
  write(summaryStream, `${summaryLine(report)} · ${run.pace}\n`);
  if (stopped !== null) {
    const what = stopped === "interrupted" ? "Interrupted" : "Stopped after the credentials were rejected";
    const aborted =
      abortedIds > 0 ? `${abortedIds} ${abortedIds === 1 ? "call was" : "calls were"} aborted in flight (reported as failed); ` : "";
    write(io.stderr, `${what}: ${aborted}${await notAttempted(args, source.read)}.\n`);
  }
  if (source.error) {
    write(io.stderr, `contactkit: stopped reading ids from ${source.label} after ${source.read} ids: ${source.error.message}\n`);
    return EXIT_FAILED;
  }
  if (stopped === "interrupted") return EXIT_INTERRUPTED;
  return report.counts.failed > 0 || report.aborted || stopped !== null ? EXIT_FAILED : EXIT_OK;
}

function openClient(
  provider: ProviderName,
  config: Parameters<typeof createContactsClient>[0],
  clean: (text: string) => string,
): ContactsClient<ProviderName> {
  try {
    return createContactsClient(config);
  } catch (error) {
    if (isContactkitError(error) && error.code === "config") {
      throw new CliError(clean(cliMessage(error)), { hint: configErrorHint(provider, error.message) });
    }
    throw error;
  }
}

/**
 * Ctrl-C (or SIGTERM) once: `drain` (no new ids; the calls in flight finish). Twice: abort the
 * calls in flight. Three times: quit at once, without a summary. Returns the unsubscribe.
 */
function onStopSignals(
  io: CliIO,
  reporter: Reporter<BulkItem>,
  write: (stream: OutStream, text: string) => void,
  inFlight: AbortController,
  drain: (key: string) => void,
): () => void {
  let interrupts = 0;
  return io.onStopSignal((signal) => {
    interrupts += 1;
    const key = signal === "SIGINT" ? "Ctrl-C" : signal;
    if (interrupts === 2) {
      reporter.note(`${key} again: aborting the calls in flight (${key} once more quits at once).`);
      inFlight.abort(new Error("interrupted"));
      return;
    }
    if (interrupts > 2) {
      reporter.finish();
      write(io.stderr, `${signal} again: quitting without a summary.\n`);
      io.exit(EXIT_INTERRUPTED);
    }
    drain(key);
  });
}

/** The one line for the ids a stopped run never started (never one block per id). */
async function notAttempted(args: { idsFile: string | undefined; ids: string[] }, handedOut: number): Promise<string> {
  const total = args.idsFile === undefined ? args.ids.length : args.idsFile === "-" ? null : await countIdsInFile(args.idsFile);
  if (total === null) return "ids not yet read were not attempted";
  const left = Math.max(0, total - handedOut);
  return `${left} ${left === 1 ? "id" : "ids"} not attempted — run again for the rest`;
}

async function chooseReporter(
  args: { json: boolean; idsFile: string | undefined; ids: string[] },
  io: CliIO,
  sinks: LineSinks,
  pace: string,
): Promise<Reporter<BulkItem>> {
  const lines = () => lineReporter(sinks, styleFor(io.stdout, io.env), args.ids);
  if (args.json) return jsonReporter(sinks);
  // The bar replaces per-id lines: only when a person watches both streams. Redirected stdout
  // (`> audit.log`) must still receive one line per id.
  if (io.stderr.isTTY !== true || io.stdout.isTTY !== true) return lines();
  // Ids typed at the terminal: a bar redrawing its line would overwrite what the user is typing.
  if (args.idsFile === "-" && (io.stdin as { isTTY?: boolean }).isTTY === true) return lines();
  // How many ids? Known for arguments, countable for a regular file, unknown for stdin.
  const total = args.idsFile === undefined ? args.ids.length : args.idsFile === "-" ? null : await countIdsInFile(args.idsFile);
  if (total !== null && total <= HANDFUL) return lines();
  const bar = await progressReporter(io.stderr, total, styleFor(io.stderr, io.env), sinks.clean);
  // The bar hides per-id lines until the summary: say up front what pace the run follows.
  bar.note(`${pace[0]!.toUpperCase()}${pace.slice(1)}.`);
  return { item: (item) => bar.item(outcomeOf(sinks.provider, item)), note: bar.note, finish: bar.finish };
}
