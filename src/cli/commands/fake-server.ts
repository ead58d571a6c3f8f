/**
 * `contactkit fake-server`: the embedded fake providers as a long-running process, with everything
 * needed to point `contactkit delete` at it (URL, seeded ids, `export` lines, an example command).
 */
import { providerNames, type ProviderName } from "../../index.js";
import { formatFakeProvidersSummary, startFakeProviders, type FakeProviders } from "../../testing/index.js";
import { parseFakeServerArgs } from "../args.js";
import { CliError, EXIT_OK } from "../errors.js";
import type { CliIO } from "../io.js";
import { fakeServerHelp } from "../usage.js";

export async function fakeServerCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseFakeServerArgs(argv);
  if (args.help) {
    io.stdout.write(`${fakeServerHelp()}\n`);
    return EXIT_OK;
  }
  let fake: FakeProviders;
  try {
    // Long-running: keep no request log (it would grow with every request).
    fake = await startFakeProviders({ port: args.port, record: false, ...(args.seedCount !== undefined ? { seedCount: args.seedCount } : {}) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === "EADDRINUSE" ? `port ${args.port} is already in use` : error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot start the fake providers: ${why}`, { hint: "pick another --port, or omit it to use any free port." });
  }

  // Wait for the stop signal before printing, so a signal right after the URL appears is not lost.
  const stopped = new Promise<string>((resolve) => {
    const unsubscribe = io.onStopSignal((signal) => {
      unsubscribe();
      resolve(signal);
    });
  });
  io.stdout.write(`${instructions(fake)}\n`);

  const signal = await stopped;
  await fake.close();
  io.stderr.write(`${signal}: fake providers stopped.\n`);
  return EXIT_OK;
}

/** `export` lines for each provider, with the credentials the fake accepts. */
export function exportLines(fake: FakeProviders, provider: ProviderName): string[] {
  const c = fake.credentials;
  const values: Record<ProviderName, Array<[string, string]>> = {
    userapi: [
      ["USERAPI_TOKEN", c.userapi.token],
      ["USERAPI_BASE_URL", fake.url],
    ],
    truto: [
      ["TRUTO_API_TOKEN", c.truto.token],
      ["TRUTO_INTEGRATED_ACCOUNT_ID", c.truto.integratedAccountId],
    ],
    wethod: [
      ["WETHOD_API_TOKEN", c.wethod.token],
      ["WETHOD_COMPANY", c.wethod.company],
    ],
    close: [["CLOSE_API_KEY", c.close.apiKey]],
    featurebase: [["FEATUREBASE_API_KEY", c.featurebase.apiKey]],
  };
  return values[provider].map(([name, value]) => `export ${name}=${shellQuote(value)}`);
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function instructions(fake: FakeProviders): string {
  // Wethod's ids are the shortest to type; any provider with seeded ids will do.
  const example = (["wethod", ...providerNames] as const).find((p) => fake.seeded[p].length >= 2) ?? "wethod";
  const ids = fake.seeded[example].slice(0, 2);
  return [
    formatFakeProvidersSummary(fake),
    "",
    "Credentials the fake accepts (paste into another shell):",
    ...providerNames.flatMap((p) => [`# ${p}`, ...exportLines(fake, p)]),
    `# (Close with OAuth instead: unset CLOSE_API_KEY; export CLOSE_ACCESS_TOKEN=${shellQuote(fake.credentials.close.accessToken)})`,
    "",
    "Then, for example:",
    `  contactkit delete ${example} ${ids.length > 0 ? ids.join(" ") : "ID"} --base-url ${fake.url}`,
    `  contactkit delete ${example} ${ids[0] ?? "ID"} --base-url ${fake.url}            # again: not_found, exit 1`,
    `  contactkit delete ${example} ${ids[0] ?? "ID"} --base-url ${fake.url} --missing-ok  # absent, exit 0`,
    "",
    "Press Ctrl-C to stop.",
  ].join("\n");
}
