/** Help texts and the version, in one place. Variable names come from the env table. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { providerNames } from "../tooling-registry.js";
import { providerEnv } from "./env.js";
import { PACING_HELP } from "./pacing-flags.js";

/** The package version, from the nearest package.json named contactkit above this file. */
export function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "contactkit" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not here; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return "unknown";
}

function envSection(): string[] {
  const lines: string[] = [];
  const width = Math.max(...providerNames.flatMap((p) => providerEnv[p].map((v) => v.name.length)));
  for (const provider of providerNames) {
    lines.push(`  ${provider}`);
    for (const v of providerEnv[provider]) {
      const need = v.required || v.insteadOf ? "" : "optional: ";
      lines.push(`    ${v.name.padEnd(width)}  ${need}${v.description}`);
    }
  }
  return lines;
}

const DELETE_OPTIONS = [
  "  --ids-file FILE     read ids from FILE, one per line (blank lines ignored); `-` reads stdin",
  "  --missing-ok        count a contact that does not exist as done (outcome `absent`) instead of failed",
  "  --verify            read each contact back after deleting it; still there → failed (still_present)",
  "  --no-verify         never read back (default: only after an answer that may have applied the delete)",
  "  --base-url URL      send requests to URL instead of the provider's API (a proxy, the fake server)",
  "  --concurrency N     deletes in flight at once, 1-256 (default 4)",
  "  --max-retries N     retries after timeouts, network errors, 429 and 5xx (default 2)",
  "  --timeout-ms N      time limit per attempt in ms (default 30000)",
  ...PACING_HELP,
  "  --json              JSON Lines on stdout, one object per id as it completes; summary on stderr",
  "  --journal FILE      journal the run (as `erase` does) so that it can be resumed",
  "  --resume            continue the run in --journal (see `contactkit erase --help`)",
  "  -h, --help          show this help",
];

const EXIT_CODES = [
  "Exit codes:",
  "  0    every id was deleted or absent",
  "  1    at least one id failed",
  "  1    also: stdout or stderr was closed early (a pipe such as `| head`); the run stops there",
  "  2    usage or configuration error (unknown provider, missing variable, bad flag, no ids)",
  "  130  interrupted (Ctrl-C): the first lets calls in flight finish, a second aborts them",
];

export function mainHelp(): string {
  return [
    `contactkit ${version()}: delete contacts in ${providerNames.join(", ")} through one interface.`,
    "",
    "Usage:",
    "  contactkit delete <provider> <id...> [options]",
    "  contactkit delete <provider> --ids-file FILE [options]",
    "  contactkit erase --plan FILE [--resume] [--report FILE] [options]",
    "                                       erase people from several providers from one plan, journaled and resumable",
    `  contactkit demo                      delete contacts in all ${providerNames.length} providers against a local fake (no credentials)`,
    "  contactkit fake-server [--port N] [--seed-count N]",
    "                                       run the local fake providers and print how to point the CLI at them",
    "  contactkit help [command]            show help (also: --help, -h)",
    "  contactkit --version",
    "",
    "Delete options:",
    ...DELETE_OPTIONS.slice(0, -1),
    "",
    "Credentials are read from environment variables:",
    ...envSection(),
    "",
    ...EXIT_CODES,
    "",
    "Examples:",
    "  contactkit demo",
    "  CLOSE_API_KEY=api_... contactkit delete close cont_123abc cont_456def",
    "  contactkit delete featurebase --ids-file ids.txt --missing-ok --json > audit.jsonl",
    "  cut -f1 export.tsv | contactkit delete wethod --ids-file -",
  ].join("\n");
}

/** What a bare `contactkit` prints: the commands, and where to find the rest. */
export function shortUsage(): string {
  return [
    "Usage:",
    "  contactkit delete <provider> <id...> [options]",
    "  contactkit delete <provider> --ids-file FILE [options]",
    "  contactkit erase --plan FILE [options]",
    "  contactkit demo",
    "  contactkit fake-server [--port N] [--seed-count N]",
    "",
    "Run `contactkit --help` for the options, the environment variables and examples.",
  ].join("\n");
}

export function deleteHelp(): string {
  return [
    "Usage:",
    "  contactkit delete <provider> <id...> [options]",
    "  contactkit delete <provider> --ids-file FILE [options]",
    "",
    `Deletes each id in <provider> (${providerNames.join(", ")}) and prints one line per id, then a summary.`,
    "Ctrl-C stops starting ids; calls in flight finish and are reported. Ctrl-C again aborts them.",
    "",
    "Options:",
    ...DELETE_OPTIONS,
    "",
    "Environment:",
    ...envSection(),
    "",
    ...EXIT_CODES,
  ].join("\n");
}

export function fakeServerHelp(): string {
  return [
    "Usage:",
    "  contactkit fake-server [--port N] [--seed-count N]",
    "",
    `Starts the embedded fake of all ${providerNames.length} providers on 127.0.0.1 and prints its URL, the seeded ids,`,
    "and `export` lines with the credentials it accepts. Runs until Ctrl-C.",
    "",
    "Options:",
    "  --port N         port to listen on (default: any free port)",
    "  --seed-count N   contacts seeded per provider (default 5)",
    "  -h, --help       show this help",
  ].join("\n");
}

export function demoHelp(): string {
  return [
    "Usage:",
    "  contactkit demo",
    "",
    "Starts the embedded fake providers on 127.0.0.1 and, through the library's facade, deletes two",
    "contacts in each provider, then deletes one again without and with missingOk. Needs no",
    "credentials and no network. Exit 0 when every step behaved as expected.",
  ].join("\n");
}

export function eraseHelp(): string {
  return [
    "Usage:",
    "  contactkit erase --plan FILE [--journal FILE] [--resume] [--json] [--verify|--no-verify]",
    "                   [--report FILE] [--concurrency N] [--missing-ok] [--rate LIMIT] [--redis URL]",
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
    "  --verify            read back each contact after deleting it (providers with a read endpoint)",
    "  --no-verify         do not read back",
    "  --report FILE       write the report of the whole journal: JSON, or an HTML page for *.html",
    "  --concurrency N     requests in flight per provider, 1-256 (default 4)",
    "  --missing-ok        count a contact that does not exist as done (absent) instead of failed",
    ...PACING_HELP,
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
