/** `contactkit erase --plan FILE`: one plan of (subject, provider, id) rows, journaled and resumable. */
import { readPlanFile } from "../../erasure/index.js";
import { intFlag, parse } from "../args.js";
import { CliError, EXIT_OK } from "../errors.js";
import { eraseHelp } from "../usage.js";
import { pacingOptions, readPacingArgs } from "../pacing.js";
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
  /** `--rate`, `--redis`, `--redis-fallback` as given; checked with the environment by `readPacingArgs`. */
  pacingFlags: Record<string, unknown>;
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
  ...pacingOptions,
} as const;

/** Null means "show the help". */
export function parseEraseArgs(argv: readonly string[]): EraseArgs | null {
  const { values, positionals } = parse("erase", argv, eraseOptions);
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) return null;
  if (positionals.length > 0) {
    throw new CliError(`unexpected argument ${JSON.stringify(positionals[0])} for \`contactkit erase\``, {
      hint: "give the plan with --plan FILE.",
    });
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
    pacingFlags: { rate: v.rate, redis: v.redis, "redis-fallback": v["redis-fallback"] },
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
      pacing: readPacingArgs(args.pacingFlags, io.env),
    },
    io,
  );
}
