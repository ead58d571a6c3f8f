/** `contactkit erase --plan FILE`: one plan of (subject, provider, id) rows, journaled and resumable. */
import { readPlanFile } from "../../erasure/index.js";
import { intFlag, parse } from "../args.js";
import { CliError, EXIT_OK } from "../errors.js";
import { runSession } from "./erase-session.js";

export interface EraseArgs {
  plan: string;
  journal: string | undefined;
  resume: boolean;
  json: boolean;
  verify: boolean | undefined;
  report: string | undefined;
  concurrency: number | undefined;
  missingOk: boolean;
}

const eraseOptions = {
  plan: { type: "string" },
  journal: { type: "string" },
  resume: { type: "boolean" },
  json: { type: "boolean" },
  verify: { type: "boolean" },
  "no-verify": { type: "boolean" },
  report: { type: "string" },
  concurrency: { type: "string" },
  "missing-ok": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Null means "show the help". */
export function parseEraseArgs(argv: readonly string[]): EraseArgs | null {
  const { values, positionals } = parse("erase", argv, eraseOptions);
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) return null;
  if (positionals.length > 0) {
    throw new CliError(`unexpected argument ${JSON.stringify(positionals[0])} for \`contactkit erase\``, { hint: "give the plan with --plan FILE." });
  }
  const plan = v.plan as string | undefined;
  if (plan === undefined || plan === "") {
    throw new CliError("`contactkit erase` needs a plan: --plan FILE", {
      hint: "a CSV with a header row subject,provider,id (or JSON Lines with those keys); run `contactkit erase --help`.",
    });
  }
  if (v.verify === true && v["no-verify"] === true) throw new CliError("give --verify or --no-verify, not both");
  for (const flag of ["journal", "report"] as const) {
    if (v[flag] === "") throw new CliError(`--${flag} needs a path`);
  }
  return {
    plan,
    journal: v.journal as string | undefined,
    resume: v.resume === true,
    json: v.json === true,
    verify: v.verify === true ? true : v["no-verify"] === true ? false : undefined,
    report: v.report as string | undefined,
    concurrency: intFlag("concurrency", v.concurrency as string | undefined, 1, 256),
    missingOk: v["missing-ok"] === true,
  };
}

export async function eraseCommand(argv: readonly string[], io: Parameters<typeof runSession>[1]): Promise<number> {
  const args = parseEraseArgs(argv);
  if (args === null) {
    io.stdout.write(`${eraseHelp()}\n`);
    return EXIT_OK;
  }
  const plan = await readPlanFile(args.plan);
  return runSession(
    {
      plan,
      journalPath: args.journal ?? `${args.plan}.journal.jsonl`,
      resume: args.resume,
      json: args.json,
      verify: args.verify,
      reportPath: args.report,
      concurrency: args.concurrency,
      missingOk: args.missingOk,
    },
    io,
  );
}

export function eraseHelp(): string {
  return [
    "Usage:",
    "  contactkit erase --plan FILE [--journal FILE] [--resume] [--json] [--verify|--no-verify]",
    "                   [--report FILE] [--concurrency N] [--missing-ok]",
    "",
    "Erases people from several providers from one plan: a CSV with a header row naming",
    "subject,provider,id (other columns ignored; RFC 4180 quoting), or JSON Lines (.jsonl/.ndjson)",
    "with those keys. Providers run at the same time, each with its own pacing. Every row is",
    "journaled before it is sent and again when answered, so a run stopped at any moment — Ctrl-C,",
    "a crash, kill -9 — resumes with --resume without repeating or losing an outcome.",
    "Credentials and hosts come from the environment as for `delete`, plus <PROVIDER>_BASE_URL.",
    "",
    "Options:",
    "  --plan FILE         the plan (required)",
    "  --journal FILE      the journal, JSON Lines (default: <plan>.journal.jsonl)",
    "  --resume            continue the run in --journal: finished rows are skipped, rows sent but",
    "                      unanswered are replayed (a 404 then counts as absent), the rest are sent",
    "  --json              one JSON line per outcome on stdout; summary on stderr",
    "  --verify            read back each contact after deleting it (where the library can)",
    "  --no-verify         do not read back",
    "  --report FILE       write the report of the whole journal: JSON, or an HTML page for *.html",
    "  --concurrency N     requests in flight per provider, 1-256 (default 4)",
    "  --missing-ok        count a contact that does not exist as done (absent) instead of failed",
    "  -h, --help          show this help",
    "",
    "Ctrl-C once: no new rows start, requests in flight finish and are journaled, exit 130.",
    "Ctrl-C twice: requests in flight are aborted (journaled as sent; --resume replays them).",
    "",
    "Exit codes:",
    "  0    every row deleted or absent",
    "  1    some row failed or was not attempted (e.g. rejected credentials)",
    "  2    usage, plan or credential error: nothing was sent",
    "  130  interrupted (resume with --resume)",
  ].join("\n");
}
