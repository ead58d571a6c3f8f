/**
 * `contactkit fake-server`: the embedded fake providers as a long-running process, with everything
 * needed to point `contactkit delete` at it (URL, seeded ids, `export` lines, an example command).
 */
import { providerNames, type ProviderName } from "../../index.js";
import { toolingRegistry } from "../../tooling-registry.js";
import { formatFakeProvidersSummary, startFakeProviders, type FakeProviders } from "../../testing/index.js";
import { parseFakeServerArgs } from "../args.js";
import { providerEnv } from "../env.js";
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
    fake = await startFakeProviders({
      port: args.port,
      record: false,
      ...(args.seedCount !== undefined ? { seedCount: args.seedCount } : {}),
    });
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

/**
 * `export` lines for each provider, with the credentials the fake accepts: every variable whose
 * config field the provider's fake client config fills, plus `<NAME>_BASE_URL` pointing here.
 */
export function exportLines(fake: FakeProviders, provider: ProviderName): string[] {
  const config = fake.clientConfig(provider) as Record<string, unknown>;
  return providerEnv[provider]
    .filter((v) => typeof config[v.field] === "string")
    .map((v) => `export ${v.name}=${shellQuote(config[v.field] as string)}`);
}

/** A provider's extra note (e.g. an alternative credential), from its tooling. */
function noteLines(fake: FakeProviders, provider: ProviderName): string[] {
  const note = (toolingRegistry[provider].fake as { note?: (c: unknown, q: (v: string) => string) => string }).note;
  return note ? [note(fake.credentials[provider], shellQuote)] : [];
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function instructions(fake: FakeProviders): string {
  // The provider with the shortest seeded ids is the easiest to type.
  const length = (p: ProviderName) => fake.seeded[p].slice(0, 2).join(" ").length;
  const withSeeds = providerNames.filter((p) => fake.seeded[p].length >= 2);
  const example =
    withSeeds.reduce<ProviderName | undefined>((best, p) => (best === undefined || length(p) < length(best) ? p : best), undefined) ??
    providerNames[0]!;
  const ids = fake.seeded[example].slice(0, 2);
  return [
    formatFakeProvidersSummary(fake),
    "",
    "Credentials the fake accepts (paste into another shell):",
    ...providerNames.flatMap((p) => [`# ${p}`, ...exportLines(fake, p), ...noteLines(fake, p)]),
    "",
    "Then, for example:",
    `  contactkit delete ${example} ${ids.length > 0 ? ids.join(" ") : "ID"} --base-url ${fake.url}`,
    `  contactkit delete ${example} ${ids[0] ?? "ID"} --base-url ${fake.url}            # again: not_found, exit 1`,
    `  contactkit delete ${example} ${ids[0] ?? "ID"} --base-url ${fake.url} --missing-ok  # absent, exit 0`,
    "",
    "Press Ctrl-C to stop.",
  ].join("\n");
}
