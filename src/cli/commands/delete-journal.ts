/**
 * `contactkit delete <provider> … --journal FILE [--resume]`: the ids become a one-provider erasure
 * plan (each id its own subject), run by the same journaled session as `contactkit erase`.
 */
import { parsePlan } from "../../erasure/index.js";
import type { DeleteArgs } from "../args.js";
import { CliError } from "../errors.js";
import { openIdsFile, readLines } from "../ids.js";
import type { CliIO } from "../io.js";
import { runSession } from "./erase-session.js";

export async function deleteWithJournal(args: DeleteArgs, io: CliIO): Promise<number> {
  const ids: string[] = [];
  if (args.idsFile === undefined) ids.push(...args.ids);
  else {
    // A file is opened up front as `delete` does (a typo: exit 2 with the usual message). The whole
    // input becomes the plan before anything is sent, so a read error refuses the run: planning only
    // the ids read before it would report a complete run that never saw the rest.
    const stdin = args.idsFile === "-";
    const source = stdin ? readLines(io.stdin as AsyncIterable<string | Buffer>, "stdin") : await openIdsFile(args.idsFile);
    for await (const id of source.ids) ids.push(id);
    if (source.error) {
      const from = stdin ? "ids from stdin" : `ids file ${JSON.stringify(args.idsFile)}`;
      throw new CliError(`cannot read ${from}: ${source.error.message}; nothing was sent`);
    }
  }
  // JSON Lines, so that any id (commas, quotes) round-trips; the same ids give the same plan hash.
  const text = ids.map((id) => `${JSON.stringify({ subject: id, provider: args.provider, id })}\n`).join("");
  const source =
    args.idsFile === undefined
      ? `delete ${args.provider} (arguments)`
      : args.idsFile === "-"
        ? `delete ${args.provider} (stdin)`
        : args.idsFile;
  const plan = await parsePlan([new TextEncoder().encode(text)], { source, format: "jsonl" });
  return runSession(
    {
      plan,
      journalPath: args.journal!,
      resume: args.resume,
      json: args.json,
      verify: args.verify,
      reportPath: undefined,
      concurrency: args.concurrency,
      missingOk: args.missingOk,
      baseUrl: args.baseUrl,
      maxRetries: args.maxRetries,
      timeoutMs: args.timeoutMs,
    },
    io,
  );
}
