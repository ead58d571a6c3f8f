/**
 * Where per-id outcomes go while a run is in progress: JSON Lines (`--json`), one human line per
 * id, or a progress bar on a terminal for bigger runs (failures are still printed, above the bar).
 * Per-id lines go through a batched `LineOutput`; notes flush it first, so a note never appears
 * before the lines of the ids that led to it.
 */
import type { BulkItem, ProviderName } from "../index.js";
import { displayId, formatDuration, humanLines, outcomeOf, type IdOutcome } from "./format.js";
import type { OutStream, Style } from "./io.js";
import { jsonLine } from "./json-line.js";
import type { LineOutput } from "./line-output.js";

/** `T`: what one id's outcome arrives as (a BulkItem in `delete`, an IdOutcome in `erase`). */
export interface Reporter<T = IdOutcome> {
  item(item: T): void;
  /** A message for the user (stderr), shown without breaking a progress bar. */
  note(text: string): void;
  /** Call before the summary, an exit or a rethrow: writes every pending line and stops the bar. Idempotent. */
  finish(): void;
}

/** Runs up to this many ids print one line each even on a terminal; above it, a bar. */
export const HANDFUL = 5;

type Write = (stream: OutStream, text: string) => void;

/** What the line reporters share: the provider, the batched stdout, stderr, and the scrubbing writer. */
export interface LineSinks {
  provider: ProviderName;
  out: LineOutput;
  stderr: OutStream;
  write: Write;
  clean: (text: string) => string;
}

function lineSink(sinks: LineSinks, line: (item: BulkItem) => string): Reporter<BulkItem> {
  const { out, stderr, write, clean } = sinks;
  return {
    item: (item) => out.write(clean(line(item))),
    note: (text) => {
      out.flush();
      write(stderr, `${text}\n`);
    },
    finish: () => out.flush(),
  };
}

export function jsonReporter(sinks: LineSinks): Reporter<BulkItem> {
  const { provider } = sinks;
  return lineSink(sinks, (item) => jsonLine(provider, item));
}

/** Ids wider than this do not widen the id column (a long one only shifts its own line). */
const MAX_ID_COLUMN = 40;

/**
 * One line (or a few, for a failure) per id. The id column is as wide as the widest id seen so
 * far, starting from `knownIds` (the ids given as arguments): all of a run's lines align when the
 * ids are known up front, and lines after the widest id align when they stream in.
 */
export function lineReporter(sinks: LineSinks, style: Style, knownIds: readonly string[] = []): Reporter<BulkItem> {
  let width = 0;
  const widen = (id: string) => {
    const length = [...displayId(id)].length;
    if (length <= MAX_ID_COLUMN) width = Math.max(width, length);
  };
  knownIds.forEach(widen);
  return lineSink(sinks, (item) => {
    const o = outcomeOf(sinks.provider, item);
    widen(o.id);
    return `${humanLines(o, style, width).join("\n")}\n`;
  });
}

/**
 * A cli-progress bar on `stderr` (a TTY). `total` null: the id count is unknown (stdin), so it
 * shows a running count instead of a bar. Failed ids are logged above the bar as they happen.
 * cli-progress is imported here, on first use, so runs without a bar never load it.
 */
export async function progressReporter(
  stderr: OutStream,
  total: number | null,
  style: Style,
  redact: (text: string) => string,
): Promise<Reporter> {
  const { default: cliProgress } = await import("cli-progress");
  const counts = { deleted: 0, absent: 0, failed: 0 };
  const started = Date.now();
  const tally = () => `${style.green("✓")} ${counts.deleted}  ${style.yellow("–")} ${counts.absent}  ${style.red("✗")} ${counts.failed}`;
  const multibar = new cliProgress.MultiBar({
    stream: stderr as unknown as NodeJS.WritableStream,
    // We handle Ctrl-C ourselves (abort, then a summary); the bar must not react to it.
    gracefulExit: false,
    hideCursor: true,
    clearOnComplete: false,
    barsize: 30,
    format: (options, params) => {
      const elapsed = formatDuration(Date.now() - started);
      if (total === null) return `deleting… ${params.value} ids done | ${tally()} | ${elapsed}`;
      const bar = cliProgress.Format.BarFormat(params.progress, options);
      return `${bar} ${Math.floor(params.progress * 100)}% | ${params.value}/${total} ids | ${tally()} | ${elapsed}`;
    },
  });
  const bar = multibar.create(total ?? 0, 0);
  let finished = false;
  return {
    item(o) {
      counts[o.outcome] += 1;
      if (o.outcome === "failed") multibar.log(`${redact(humanLines(o, style).join("\n"))}\n`);
      bar.increment();
    },
    note: (text) => multibar.log(`${redact(text)}\n`),
    finish() {
      if (finished) return;
      finished = true;
      // update() flushes lines logged since the last redraw; stop() alone would drop them.
      multibar.update();
      multibar.stop();
    },
  };
}
