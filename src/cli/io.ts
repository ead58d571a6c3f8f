/**
 * What a command may touch of the outside world, passed in explicitly so commands run the same
 * under the real process (bin) and in tests (fake streams, a TTY stand-in, a controlled env).
 */

/** A writable text stream, plus the TTY facts the output layer looks at. */
export interface OutStream {
  write(chunk: string): boolean;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export type StopSignal = "SIGINT" | "SIGTERM";

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Subscribes to Ctrl-C / termination; returns the unsubscribe function. */
  onStopSignal(handler: (signal: StopSignal) => void): () => void;
  /** Ends the process at once (a second Ctrl-C). */
  exit(code: number): never;
}

/** The real process. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: touching process.stdin sets up the stream (tty or pipe handles), which `help` and
    // most runs (ids as arguments or from a file) never need.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    onStopSignal(handler) {
      const listeners = (["SIGINT", "SIGTERM"] as const).map((signal) => {
        const listener = () => handler(signal);
        process.on(signal, listener);
        return [signal, listener] as const;
      });
      return () => {
        for (const [signal, listener] of listeners) process.off(signal, listener);
      };
    },
    exit: (code) => process.exit(code),
  };
}

/** ANSI styling, on only for a TTY and when NO_COLOR is not set (https://no-color.org). */
export interface Style {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function styleFor(stream: OutStream, env: CliIO["env"]): Style {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "";
  const on = !env.NO_COLOR && (forced || (stream.isTTY === true && env.TERM !== "dumb"));
  const wrap = (open: number, close: number) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}
