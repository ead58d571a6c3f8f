/** The CLI's exit codes and its one error type for "stop here and tell the user". */

export const EXIT_OK = 0;
/** At least one id failed (or the run was interrupted). */
export const EXIT_FAILED = 1;
/** Usage or configuration problem: nothing (or nothing more) could be attempted. */
export const EXIT_USAGE = 2;
/** Stopped by Ctrl-C / SIGTERM (128 + SIGINT's number, as shells report it). */
export const EXIT_INTERRUPTED = 130;

/** A problem the user can fix; printed as `contactkit: <message>` plus an optional hint. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | null;

  constructor(message: string, options: { hint?: string | null; exitCode?: number } = {}) {
    super(message);
    this.name = "CliError";
    this.exitCode = options.exitCode ?? EXIT_USAGE;
    this.hint = options.hint ?? null;
  }
}
