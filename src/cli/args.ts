/** Command-line arguments (node:util parseArgs) into checked option objects; problems are exit-2 `CliError`s. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { ProviderName } from "../providers/names.js";
import { isProviderName, providerNames } from "../tooling-registry.js";
import { MAX_TIMER_MS, baseUrlProblem } from "../config.js";
import { CliError } from "./errors.js";
import { pacingOptions } from "./pacing-flags.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * `--timeout-ms -1`: parseArgs takes `-1` for an option and fails with "argument is ambiguous".
 * A value flag followed by something shaped like a negative number gets it as its value, so the
 * flag's own check can say what is wrong with it.
 */
function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return [...out, ...args.slice(i)];
    const next = args[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : null;
    if (name !== null && options[name]?.type === "string" && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** parseArgs with messages rephrased for people, and `--help` noticed even next to a bad flag. */
export function parse(command: string, args: readonly string[], options: Options) {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    if (args.includes("--help") || args.includes("-h")) return { values: { help: true } as Record<string, unknown>, positionals: [] };
    const code = (error as { code?: string }).code;
    const raw = error instanceof Error ? error.message : String(error);
    const flag = /'([^']+)'/.exec(raw)?.[1] ?? "";
    const message =
      code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        ? `unknown option ${flag} for \`contactkit ${command}\``
        : raw.split("\n")[0]!.replace(/^Option '([^' ]+)[^']*'/, "option $1");
    throw new CliError(message, { hint: `run \`contactkit ${command} --help\` for the options.` });
  }
}

/** A whole number in [min, max] from a flag's text, or a CliError naming the flag. */
export function intFlag(name: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new CliError(`--${name} must be a whole number ${range}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function providerArg(text: string | undefined, command: string): ProviderName {
  if (text === undefined) {
    throw new CliError(`\`contactkit ${command}\` needs a provider: one of ${providerNames.join(", ")}`, {
      hint: `e.g. \`contactkit ${command} close cont_123abc\`; run \`contactkit ${command} --help\`.`,
    });
  }
  if (isProviderName(text)) return text;
  const near = closestName(text, providerNames);
  throw new CliError(`unknown provider ${JSON.stringify(text)}: expected one of ${providerNames.join(", ")}`, {
    hint: near ? `did you mean \`${near}\`?` : `run \`contactkit ${command} --help\`.`,
  });
}

/**
 * The known name a typo most likely meant: case and spaces ignored, then the nearest by edit
 * distance (`feturebase` -> featurebase), if it is near enough not to be a guess.
 */
export function closestName<T extends string>(text: string, names: readonly T[]): T | undefined {
  const typed = text.toLowerCase().trim();
  let best: { name: T; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(typed, name);
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  return best !== undefined && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance (insert, delete, substitute), one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

export interface DeleteArgs {
  help: boolean;
  provider: ProviderName;
  /** Ids given as arguments (empty when `idsFile` is set). */
  ids: string[];
  /** A path, or `-` for stdin. */
  idsFile: string | undefined;
  baseUrl: string | undefined;
  missingOk: boolean;
  /** `--verify` (true) / `--no-verify` (false); undefined: the library's default ("ambiguous"). */
  verify: boolean | undefined;
  concurrency: number | undefined;
  json: boolean;
  maxRetries: number | undefined;
  timeoutMs: number | undefined;
  /** Journal the run (a one-provider erasure plan of the ids) to this file. */
  journal: string | undefined;
  resume: boolean;
  /** `--rate`, `--redis`, `--redis-fallback` as given; `readPacingArgs` checks them with the environment. */
  pacingFlags: Record<string, unknown>;
}

const deleteOptions = {
  ...pacingOptions,
  journal: { type: "string" },
  resume: { type: "boolean" },
  "ids-file": { type: "string" },
  "base-url": { type: "string" },
  "missing-ok": { type: "boolean" },
  verify: { type: "boolean" },
  "no-verify": { type: "boolean" },
  concurrency: { type: "string" },
  json: { type: "boolean" },
  "max-retries": { type: "string" },
  "timeout-ms": { type: "string" },
  help: { type: "boolean", short: "h" },
} satisfies Options;

/** `delete <provider> <id...>` / `delete <provider> --ids-file FILE`. Null means "show the help". */
export function parseDeleteArgs(args: readonly string[]): DeleteArgs | null {
  const { values, positionals } = parse("delete", args, deleteOptions);
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) return null;
  const [providerText, ...ids] = positionals;
  const provider = providerArg(providerText, "delete");
  const idsFile = v["ids-file"] as string | undefined;
  if (idsFile !== undefined && ids.length > 0) {
    throw new CliError("give ids as arguments or with --ids-file, not both", { hint: "put every id in the file, or drop --ids-file." });
  }
  if (idsFile === "") throw new CliError("--ids-file needs a path (or `-` for stdin)");
  if (idsFile === undefined && ids.length === 0) {
    throw new CliError(`no ids given: which ${provider} contacts should be deleted?`, {
      hint: `pass ids as arguments (\`contactkit delete ${provider} ID [ID...]\`) or one per line with --ids-file FILE (\`-\` reads stdin).`,
    });
  }
  if (v.verify === true && v["no-verify"] === true) throw new CliError("give --verify or --no-verify, not both");
  const baseUrl = v["base-url"] as string | undefined;
  if (baseUrl !== undefined) checkBaseUrl(baseUrl);
  const journal = v.journal as string | undefined;
  if (journal === "") throw new CliError("--journal needs a path");
  if (v.resume === true && journal === undefined) {
    throw new CliError("--resume needs --journal FILE: the journal of the run to continue");
  }
  return {
    help: false,
    provider,
    ids,
    idsFile,
    baseUrl,
    missingOk: v["missing-ok"] === true,
    verify: v.verify === true ? true : v["no-verify"] === true ? false : undefined,
    concurrency: intFlag("concurrency", v.concurrency as string | undefined, 1, 256),
    json: v.json === true,
    maxRetries: intFlag("max-retries", v["max-retries"] as string | undefined, 0, 100),
    timeoutMs: intFlag("timeout-ms", v["timeout-ms"] as string | undefined, 1, MAX_TIMER_MS),
    journal,
    resume: v.resume === true,
    pacingFlags: { rate: v.rate, redis: v.redis, "redis-fallback": v["redis-fallback"] },
  };
}

/** The library's own rule (`baseUrlProblem`), reported with the flag's name and without echoing secrets. */
function checkBaseUrl(text: string): void {
  const problem = baseUrlProblem(text);
  if (problem === null) return;
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new CliError(`--base-url must be an http:// or https:// URL, got ${JSON.stringify(text)}`);
  }
  if (url.username || url.password) {
    // Do not echo it: it carries credentials.
    throw new CliError("--base-url must not contain credentials (user:password@)", {
      hint: "put credentials in the provider's environment variables instead.",
    });
  }
  // Not echoed either: it may hold control characters that would rewrite the terminal line.
  throw new CliError(`--base-url ${problem}`);
}

export interface FakeServerArgs {
  help: boolean;
  port: number;
  seedCount: number | undefined;
}

export function parseFakeServerArgs(args: readonly string[]): FakeServerArgs {
  const { values, positionals } = parse("fake-server", args, {
    port: { type: "string" },
    "seed-count": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) return { help: true, port: 0, seedCount: undefined };
  if (positionals.length > 0) {
    throw new CliError(`unexpected argument ${JSON.stringify(positionals[0])} for \`contactkit fake-server\``, {
      hint: "run `contactkit fake-server --help`.",
    });
  }
  return {
    help: false,
    port: intFlag("port", v.port as string | undefined, 0, 65535) ?? 0,
    seedCount: intFlag("seed-count", v["seed-count"] as string | undefined, 0, 100_000),
  };
}

/** For commands without options (`demo`): only `--help`. */
export function parseNoArgs(command: string, args: readonly string[]): { help: boolean } {
  const { values, positionals } = parse(command, args, { help: { type: "boolean", short: "h" } });
  if (positionals.length > 0) {
    throw new CliError(`unexpected argument ${JSON.stringify(positionals[0])} for \`contactkit ${command}\``, {
      hint: `run \`contactkit ${command} --help\`.`,
    });
  }
  return { help: values.help === true };
}
