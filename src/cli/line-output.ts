/**
 * Per-id output lines, batched: lines completed in one turn of the event loop go out in one
 * `write` at its end (setImmediate), not one write each. A write to a file is a syscall plus the
 * stream's bookkeeping per call, and at thousands of ids per second that per-line cost was a
 * visible part of a run's CPU. A line waits at most one loop turn, about as long as the outcome
 * of a call still in flight; `flush()` writes everything at once before a summary, a note, an
 * exit, and (through `flushAllLines`, which the binary runs on process exit) a crash.
 *
 * Backpressure: when the stream says it is full (`write` returned false, e.g. a pipe read slowly),
 * `room()` hands out a promise that resolves on its 'drain', and the id source waits on it before
 * starting another id, so output never piles up in memory faster than the reader takes it.
 */
import type { OutStream } from "./io.js";

export interface LineOutput {
  /** Queues `text` (one or more whole lines, newline included). */
  write(text: string): void;
  /** Writes every queued line now. */
  flush(): void;
  /** Null when there is room for more output; else a promise that resolves once there is. */
  room(): Promise<void> | null;
  /** Flushes, and stops taking part in `flushAllLines`. */
  close(): void;
}

/** Above this many queued characters, a batch is written at once instead of at the end of the turn. */
const MAX_BATCH = 64 * 1024;

/** Outputs not yet closed, flushed by `flushAllLines` when the process exits. */
const open = new Set<LineOutput>();

type Drainable = OutStream & { once?(event: "drain", listener: () => void): unknown };

export function batchedLines(stream: Drainable): LineOutput {
  let pending = "";
  let scheduled: ReturnType<typeof setImmediate> | null = null;
  let full: Promise<void> | null = null;
  const flush = () => {
    if (scheduled !== null) {
      clearImmediate(scheduled);
      scheduled = null;
    }
    if (pending === "") return;
    const chunk = pending;
    pending = "";
    // A stream that cannot say when it drains (a test stand-in) is never waited for.
    if (!stream.write(chunk) && full === null && typeof stream.once === "function") {
      full = new Promise<void>((resolve) => stream.once!("drain", () => resolve())).then(() => {
        full = null;
      });
    }
  };
  const output: LineOutput = {
    write(text) {
      pending += text;
      if (pending.length >= MAX_BATCH) flush();
      else scheduled ??= setImmediate(flush);
    },
    flush,
    room: () => full,
    close() {
      flush();
      open.delete(output);
    },
  };
  open.add(output);
  return output;
}

/** Writes what every open output still holds (the binary calls it on process exit). */
export function flushAllLines(): void {
  for (const output of open) output.flush();
}
