#!/usr/bin/env node
/** The `contactkit` binary (package.json `bin`). All logic lives in ./run.ts; this only wires the real process. */
import { processIO } from "./io.js";
import { flushAllLines } from "./line-output.js";
import { run } from "./run.js";

// Per-id lines are batched for at most one event-loop turn (./line-output.ts). Whatever ends the
// process (process.exit, a crash, an uncaught error), the lines of ids already done go out first.
process.on("exit", flushAllLines);

// `contactkit … | head` closes stdout early. The per-id record can no longer be written, so the
// run cannot be reported as done: stop at once with "failed" (1) unless it already ended.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 1);
    throw error;
  });
}

process.exitCode = await run(process.argv.slice(2), processIO());
