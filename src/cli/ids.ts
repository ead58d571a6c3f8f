/**
 * Ids from a file or stdin, one per line, streamed: the bulk runner pulls the next id only when a
 * worker is free, so a file of millions of ids is never held in memory.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { CliError, EXIT_USAGE } from "./errors.js";

/** Where ids come from, and what went wrong reading them (read errors end the stream early). */
export interface IdSource {
  ids: AsyncIterable<string>;
  /** Set when reading stopped on an error; the run then ends with the ids read so far. */
  readonly error: Error | null;
  /** Ids handed out so far. */
  readonly read: number;
  /** A label for messages: the path, or "stdin". */
  readonly label: string;
}

/** What the run says about handing out the next id; checked before each one. */
export interface IdGate {
  /** True once no more ids may be started (a stopped run): the source ends and lets go of its input. */
  stopped(): boolean;
  /** Null when the next id may go now; else a promise that resolves when it may (output is backed up). */
  room(): Promise<void> | null;
}

export const MAX_LINE = 1_000_000;
const DONE: IteratorResult<string> = { done: true, value: undefined };

interface ReaderOptions {
  /** Lines are trimmed and blank ones skipped (ids from a text); ids given as arguments are kept as they are. */
  trim: boolean;
  gate?: IdGate | undefined;
  /** Called when the reader stops before the end of its input (the run stopped, or `return()`). */
  release?: (() => void) | undefined;
  /** Aborting stops a pending read at once (stdin may never answer); the read is then abandoned. */
  signal?: AbortSignal | undefined;
}

/**
 * Ids one at a time from text chunks (a file or stdin), or from a list. A hand-written async
 * iterator, not a chain of async generators: an id already split out costs one settled promise,
 * while each generator layer added several promise turns per id. Chunks are split on `\n` (so
 * `\r\n` works: lines are trimmed); a UTF-8 BOM is dropped. Pull-based: the input is read only
 * when every id split so far has been handed out.
 */
class IdReader implements AsyncIterableIterator<string> {
  read = 0;
  error: Error | null = null;
  private lines: readonly string[];
  private index = 0;
  private rest = "";
  private first = true;
  private ended: boolean;
  private released = false;
  private readonly decoder = new TextDecoder("utf-8");
  private readonly aborted: Promise<"aborted"> | null;

  constructor(
    private readonly input: AsyncIterator<string | Buffer> | null,
    private readonly options: ReaderOptions,
    lines: readonly string[] = [],
  ) {
    this.lines = lines;
    this.ended = input === null;
    const { signal } = options;
    this.aborted = signal
      ? new Promise((resolve) => {
          if (signal.aborted) resolve("aborted");
          else signal.addEventListener("abort", () => resolve("aborted"), { once: true });
        })
      : null;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<string>> {
    const { gate, trim } = this.options;
    if (gate?.stopped()) return Promise.resolve(this.stop());
    const wait = gate?.room();
    if (wait) return wait.then(() => this.next());
    while (this.index < this.lines.length) {
      const line = this.lines[this.index++]!;
      const id = trim ? line.trim() : line;
      if (trim && id === "") continue;
      this.read += 1;
      return Promise.resolve({ done: false, value: id });
    }
    if (this.ended) return Promise.resolve(DONE);
    return this.refill().then(() => this.next());
  }

  return(): Promise<IteratorResult<string>> {
    return Promise.resolve(this.stop());
  }

  /** Ends early: no more ids, and the input is let go (a file closed, stdin released). */
  private stop(): IteratorResult<string> {
    this.lines = [];
    this.ended = true;
    if (!this.released) {
      this.released = true;
      this.options.release?.();
    }
    return DONE;
  }

  private async refill(): Promise<void> {
    const input = this.input!;
    try {
      const pending = input.next();
      const next = this.aborted ? await Promise.race([pending, this.aborted]) : await pending;
      if (this.released) return; // stopped while the read was pending
      if (next === "aborted") {
        pending.catch(() => {}); // the input is torn down by stop(); its read may reject
        this.stop();
        return;
      }
      if (next.done) {
        this.ended = true;
        this.split(`${this.decoder.decode()}\n`);
      } else {
        this.split(typeof next.value === "string" ? next.value : this.decoder.decode(next.value, { stream: true }));
      }
    } catch (error) {
      // Stop handing out ids; the run finishes and reports what it did, then the CLI says why.
      if (!this.options.signal?.aborted) this.error = error instanceof Error ? error : new Error(String(error));
      this.stop();
    }
  }

  private split(text: string): void {
    let chunk = this.rest + text;
    if (this.first && chunk !== "") {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const lines = chunk.split("\n");
    this.rest = lines.pop() ?? "";
    if (this.rest.length > MAX_LINE) throw new Error(`a line is longer than ${MAX_LINE} characters: is this a file of ids, one per line?`);
    this.lines = lines;
    this.index = 0;
  }
}

/**
 * Splits a text stream into trimmed, non-blank lines (`\n` or `\r\n`; a UTF-8 BOM is dropped). A read
 * error (an over-long line, a failing stream) ends the ids early: check `error` after reading them.
 */
export function readLines(input: AsyncIterable<string | Buffer>, label: string): IdSource {
  const chunks = input[Symbol.asyncIterator]();
  return sourceFrom(label, new IdReader(chunks, { trim: true, release: () => void chunks.return?.() }));
}

function sourceFrom(label: string, reader: IdReader): IdSource {
  return {
    ids: reader,
    label,
    get error() {
      return reader.error;
    },
    get read() {
      return reader.read;
    },
  };
}

/** Opens `path` up front (so a typo fails with exit 2 before anything is sent), then streams it. */
export async function openIdsFile(path: string, gate?: IdGate): Promise<IdSource> {
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
  // The stream owns the handle from here and closes it at the end (or on error, or when the run stops).
  const chunks = handle.createReadStream({ highWaterMark: 64 * 1024 })[Symbol.asyncIterator]();
  return sourceFrom(path, new IdReader(chunks, { trim: true, gate, release: () => void chunks.return?.() }));
}

/**
 * Ids from stdin. Stdin may never end (a terminal, an open pipe), so when `signal` aborts the
 * source stops at once and releases stdin; ids not yet read are not reported (unlike a file's,
 * which are read to the end and reported as aborted).
 */
export function stdinIds(stdin: NodeJS.ReadableStream, signal: AbortSignal, gate?: IdGate): IdSource {
  const release = () => {
    const s = stdin as NodeJS.ReadableStream & { destroy?: () => void };
    if (typeof s.destroy === "function") s.destroy();
    else s.pause();
  };
  const chunks = (stdin as AsyncIterable<string | Buffer>)[Symbol.asyncIterator]();
  return sourceFrom("stdin", new IdReader(chunks, { trim: true, gate, release, signal }));
}

/** Ids given as arguments, as they are (the library says what is wrong with a bad one). */
export function fromArgs(ids: readonly string[], gate?: IdGate): IdSource {
  return sourceFrom("arguments", new IdReader(null, { trim: false, gate }, ids));
}

/**
 * Counts the ids in a regular file without holding it (one extra streaming pass), for a
 * progress bar's total. Null when the path is not a regular file (a FIFO, /dev/stdin) or unreadable.
 */
export async function countIdsInFile(path: string): Promise<number | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
    let count = 0;
    const source = readLines(createReadStream(path, { highWaterMark: 256 * 1024 }), path);
    for await (const _id of source.ids) count += 1;
    return source.error ? null : count;
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
