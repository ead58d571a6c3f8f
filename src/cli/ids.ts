/**
 * Ids from a file or stdin, one per line, streamed: the bulk runner pulls the next id only when a
 * worker is free, so a file of millions of ids is never held in memory.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { CliError, EXIT_USAGE } from "./errors.js";

/** Where ids come from, and what went wrong reading them (read errors end the stream early). */
export interface IdSource {
  ids: Iterable<string> | AsyncIterable<string>;
  /** Set when reading stopped on an error; the run then ends with the ids read so far. */
  readonly error: Error | null;
  /** Ids handed out so far. */
  readonly read: number;
  /** A label for messages: the path, or "stdin". */
  readonly label: string;
}

const MAX_LINE = 1_000_000;

/**
 * Splits a text stream into trimmed, non-blank lines (`\n` or `\r\n`; a UTF-8 BOM is dropped).
 * Pull-based: the stream is paused while the consumer is busy.
 */
export async function* readLines(input: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let rest = "";
  let first = true;
  const emit = function* (text: string): Generator<string> {
    const lines = (rest + text).split("\n");
    rest = lines.pop() ?? "";
    if (rest.length > MAX_LINE) throw new Error(`a line is longer than ${MAX_LINE} characters: is this a file of ids, one per line?`);
    for (let line of lines) {
      if (first) {
        line = line.replace(/^\uFEFF/, "");
        first = false;
      }
      const id = line.trim();
      if (id !== "") yield id;
    }
  };
  for await (const chunk of input) {
    yield* emit(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
  }
  yield* emit(`${decoder.decode()}\n`);
}

function sourceFrom(label: string, input: AsyncIterable<string | Buffer>, until?: { signal: AbortSignal; onAbort(): void }): IdSource {
  const state = { error: null as Error | null, read: 0 };
  const lines = readLines(input);
  // Resolves when the run is aborted, so a read that may never complete (a terminal, a pipe that
  // stays open) does not keep the run waiting.
  const aborted = until
    ? new Promise<"aborted">((resolve) => {
        if (until.signal.aborted) resolve("aborted");
        else until.signal.addEventListener("abort", () => resolve("aborted"), { once: true });
      })
    : null;
  async function* ids(): AsyncGenerator<string> {
    try {
      for (;;) {
        const pending = lines.next();
        const next = aborted ? await Promise.race([pending, aborted]) : await pending;
        if (next === "aborted") {
          pending.catch(() => {}); // the input is torn down below; its read may reject
          until!.onAbort();
          return;
        }
        if (next.done) return;
        state.read += 1;
        yield next.value;
      }
    } catch (error) {
      // Stop handing out ids; the run finishes and reports what it did, then the CLI says why.
      if (!until?.signal.aborted) state.error = error instanceof Error ? error : new Error(String(error));
    }
  }
  return {
    ids: ids(),
    label,
    get error() {
      return state.error;
    },
    get read() {
      return state.read;
    },
  };
}

/** Opens `path` up front (so a typo fails with exit 2 before anything is sent), then streams it. */
export async function openIdsFile(path: string): Promise<IdSource> {
  let handle;
  try {
    handle = await open(path, "r");
    if ((await handle.stat()).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
  } catch (error) {
    await handle?.close();
    throw new CliError(`cannot read ids file ${JSON.stringify(path)}: ${describeFsError(error)}`, {
      exitCode: EXIT_USAGE,
      hint: "give a readable file with one id per line, or `-` to read ids from stdin.",
    });
  }
  // The stream owns the handle from here and closes it at the end (or on error).
  return sourceFrom(path, handle.createReadStream({ highWaterMark: 64 * 1024 }));
}

/**
 * Ids from stdin. Stdin may never end (a terminal, an open pipe), so when `signal` aborts the
 * source stops at once and releases stdin; ids not yet read are not reported (unlike a file's,
 * which are read to the end and reported as aborted).
 */
export function stdinIds(stdin: NodeJS.ReadableStream, signal: AbortSignal): IdSource {
  const release = () => {
    const s = stdin as NodeJS.ReadableStream & { destroy?: () => void };
    if (typeof s.destroy === "function") s.destroy();
    else s.pause();
  };
  return sourceFrom("stdin", stdin as AsyncIterable<string | Buffer>, { signal, onAbort: release });
}

export function fromArgs(ids: readonly string[]): IdSource {
  return { ids, error: null, read: ids.length, label: "arguments" };
}

/**
 * Counts the ids in a regular file without holding it (one extra streaming pass), for a
 * progress bar's total. Null when the path is not a regular file (a FIFO, /dev/stdin) or unreadable.
 */
export async function countIdsInFile(path: string): Promise<number | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
    let count = 0;
    for await (const _id of readLines(createReadStream(path, { highWaterMark: 256 * 1024 }))) count += 1;
    return count;
  } catch {
    return null;
  }
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
