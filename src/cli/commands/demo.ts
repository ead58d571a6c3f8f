/**
 * `contactkit demo` (`npm start`): the library's main job, end to end and offline. Starts the
 * embedded fake providers, and through the facade deletes two contacts per provider, then one of
 * them again without and with `missingOk`, and prints what happened as a table.
 */
import { createContactsClient, isContactkitError, providerNames, type ProviderName } from "../../index.js";
import { startFakeProviders } from "../../testing/index.js";
import { parseNoArgs } from "../args.js";
import { EXIT_FAILED, EXIT_OK } from "../errors.js";
import { cliMessage, formatDuration, shortId, table } from "../format.js";
import { styleFor, type CliIO } from "../io.js";
import { demoHelp } from "../usage.js";

type Expected = "deleted" | "absent" | "not_found";

interface Row {
  provider: ProviderName;
  step: string;
  id: string;
  expected: Expected;
  /** `deleted` / `absent`, or the error code. */
  result: string;
  status: number | null;
  attempts: number;
  requestId: string | null;
  /** The message of an unexpected error, shown under the table. */
  detail: string | null;
}

export async function demoCommand(argv: readonly string[], io: CliIO): Promise<number> {
  if (parseNoArgs("demo", argv).help) {
    io.stdout.write(`${demoHelp()}\n`);
    return EXIT_OK;
  }
  const style = styleFor(io.stdout, io.env);
  const out = (line = "") => void io.stdout.write(`${line}\n`);
  const started = Date.now();
  const fake = await startFakeProviders();
  const rows: Row[] = [];
  try {
    out(`contactkit demo: one facade, ${providerNames.length} providers, against the embedded fake at ${fake.url}`);
    out(style.dim("(fake credentials from contactkit/testing; nothing leaves 127.0.0.1)"));
    out("For each provider: delete two contacts in one bulk call, delete the first one again (expect not_found),");
    out("then again with missingOk: true (expect absent).");
    out();
    for (const provider of providerNames) rows.push(...(await demoProvider(provider, fake)));
  } finally {
    await fake.close();
  }

  const ok = (row: Row) => row.result === row.expected;
  const header = ["provider", "step", "id", "result", "HTTP", "attempts", "request id", "as expected?"];
  const body = rows.map((row) => [
    row.provider,
    row.step,
    shortId(row.id),
    row.result,
    row.status === null ? "-" : String(row.status),
    String(row.attempts),
    row.requestId ?? "-",
    ok(row) ? "✓" : `✗ expected ${row.expected}`,
  ]);
  const lines = table([header, ...body], [false, false, false, false, true, true, false, false]);
  out(style.bold(lines[0]!));
  lines.slice(1).forEach((line, i) => {
    const row = rows[i]!;
    // A rule between providers keeps the rows readable.
    if (i > 0 && rows[i - 1]!.provider !== row.provider) out();
    out(ok(row) ? line : style.red(line));
  });
  out();

  const bad = rows.filter((row) => !ok(row));
  for (const row of bad) if (row.detail) out(style.red(`${row.provider} ${row.step}: ${row.detail}`));
  const elapsed = formatDuration(Date.now() - started);
  if (bad.length === 0) {
    const deleted = rows.filter((r) => r.expected === "deleted").length;
    out(
      style.green("✓ ") +
        `All ${providerNames.length} providers behaved as expected: ${deleted} contacts deleted, each repeat delete failed with not_found, and with missingOk it counted as absent (${elapsed}).`,
    );
    out(
      style.dim(
        "Next: `contactkit fake-server` (or `npx contactkit fake-server` where contactkit is installed or checked out) prints what you need to try `contactkit delete` yourself.",
      ),
    );
    return EXIT_OK;
  }
  out(`${style.red("✗ ")}${bad.length} of ${rows.length} steps did not behave as expected (marked ✗ above) (${elapsed}).`);
  return EXIT_FAILED;
}

async function demoProvider(provider: ProviderName, fake: Awaited<ReturnType<typeof startFakeProviders>>): Promise<Row[]> {
  const client = createContactsClient(fake.clientConfig(provider));
  const [first, second] = fake.seeded[provider];
  if (first === undefined || second === undefined) throw new Error(`the fake seeded fewer than two ${provider} contacts`);
  const rows: Row[] = [];
  const row = (step: string, id: string, expected: Expected) => {
    const r: Row = { provider, step, id, expected, result: "?", status: null, attempts: 0, requestId: null, detail: null };
    rows.push(r);
    return r;
  };

  // 1. Two deletes as one bulk run (rows in input order, whatever order they complete in).
  const bulkRows = new Map([first, second].map((id) => [id, row("delete", id, "deleted")]));
  await client.deleteContacts([first, second], {
    onResult: (item) => {
      const r = bulkRows.get(item.id)!;
      if (item.ok) Object.assign(r, fromResult(item.result));
      else Object.assign(r, fromError(item.error));
    },
  });

  // 2. The same id again: the provider says 404, which is an error by default...
  const again = row("delete again", first, "not_found");
  await client.deleteContact(first).then(
    (result) => Object.assign(again, fromResult(result)),
    (error: unknown) => Object.assign(again, fromError(error)),
  );

  // 3. ...and "already gone, fine" with missingOk.
  const missingOk = row("again, missingOk: true", first, "absent");
  await client.deleteContact(first, { missingOk: true }).then(
    (result) => Object.assign(missingOk, fromResult(result)),
    (error: unknown) => Object.assign(missingOk, fromError(error)),
  );
  return rows;
}

function fromResult(result: { outcome: string; status: number; attempts: number; requestId: string | null }): Partial<Row> {
  return { result: result.outcome, status: result.status, attempts: result.attempts, requestId: result.requestId };
}

function fromError(error: unknown): Partial<Row> {
  if (!isContactkitError(error)) {
    return { result: "crash", detail: error instanceof Error ? error.message : String(error) };
  }
  return {
    result: error.code,
    status: error.status,
    attempts: error.attempts,
    requestId: error.requestId,
    detail: cliMessage(error),
  };
}
