/**
 * `runErasure`: one plan across providers, journaled so that it can be stopped at any moment and
 * resumed. Each provider's rows go through that provider's own client (`deleteContactsStream`: its
 * pool and its adaptive pacing), all providers at the same time.
 *
 * Resume rules (the journal is the only memory between runs):
 * - a row with an outcome record is never sent again;
 * - a row with a `sent` record but no outcome may have been applied: it is replayed with
 *   `missingOk`, and a 404 then ends `absent` with `afterRetry: true`;
 * - a row never sent is sent as in a fresh run.
 */
import { ContactkitError, isContactkitError, type BulkItem, type ContactsClient, type ProviderName, type RateLimiter } from "../index.js";
import { foldJournal, type Journal, type JournalRecord, type JournalState, type OutcomeRecord, type SentRecord } from "./journal.js";
import type { ErasurePlan, PlanRow } from "./plan.js";

export interface RunErasureOptions {
  /** A client for every provider the plan names (rows already finished need none). */
  clients: Partial<Record<ProviderName, ContactsClient<ProviderName>>>;
  journal: Journal;
  /**
   * Read-back verification, passed to `deleteContact` as `verify` when the client supports it.
   * Unset: the library's default. `true` with a client that cannot verify is an error up front.
   */
  verify?: boolean;
  /** Count a contact that does not exist as done (`absent`). Replayed rows always do. */
  missingOk?: boolean;
  /**
   * Pacing per provider, passed to its `deleteContactsStream` as `rateLimit` (e.g. a shared Redis
   * limiter, or `false`). @default each client's own adaptive limiter
   */
  rateLimit?: Partial<Record<ProviderName, RateLimiter | false>>;
  /** Requests in flight per provider (a number for all, or per provider). @default 4 */
  concurrency?: number | Partial<Record<ProviderName, number>>;
  /** Stops starting rows; requests in flight finish and their outcomes are journaled. */
  stop?: AbortSignal;
  /** Aborts requests in flight too: they keep only their `sent` record, so a resume replays them. */
  signal?: AbortSignal;
  /** Each outcome as it is journaled. Throwing here does not stop the run. */
  onResult?: (outcome: OutcomeRecord) => void;
  /**
   * A provider's remaining rows are not started after this failure: the rest would fail the same way
   * (they stay `not_attempted`, for a resume once it is fixed).
   * @default `unauthorized` (rejected credentials) or `endpoint_not_found` (a wrong base URL or account)
   */
  stopsProvider?: (error: ContactkitError) => boolean;
}

export interface ErasureRun {
  /** Every record of the journal after this run (earlier runs included). */
  state: JournalState;
  /** Requests started by this run (replays included). */
  sent: number;
  replayed: number;
  /** Set when the stop or abort signal ended the run early. */
  interrupted: boolean;
  /** Providers whose remaining rows were not started, and the failure that stopped them. */
  stoppedProviders: Partial<Record<ProviderName, ContactkitError>>;
}

const now = () => new Date().toISOString();

export async function runErasure(plan: ErasurePlan, options: RunErasureOptions): Promise<ErasureRun> {
  const { journal } = options;
  const records: JournalRecord[] = await journal.read();
  const append = async (record: JournalRecord) => {
    await journal.append(record);
    records.push(record);
  };
  const before = foldJournal(records);
  if (before.plan !== null && before.plan.planHash !== plan.hash) {
    throw new ContactkitError({
      code: "invalid_input",
      message: `the journal belongs to another plan (${before.plan.plan}, ${before.plan.planHash}), not ${plan.source} (${plan.hash}); nothing was sent. Use the plan it was started with, or a new journal.`,
    });
  }
  const todo = plan.rows.filter((row) => !before.outcomes.has(row.row));
  const work = groupByProvider(todo.filter((row) => row.problem === null));
  // Everything that can be wrong with the run is found before the journal is touched.
  checkClients(work, options);
  const verify = await checkOptions(work, options);
  if (before.plan === null) {
    await append({ event: "plan", version: 1, planHash: plan.hash, plan: plan.source, rows: plan.rows.length, at: now() });
  }

  // Malformed rows fail alone, without a request; journaled so the report accounts for them.
  for (const row of todo.filter((r) => r.problem !== null)) {
    await recordOutcome(append, options, malformedOutcome(row));
  }

  const run: ErasureRun = { state: before, sent: 0, replayed: 0, interrupted: false, stoppedProviders: {} };
  // allSettled: a provider failing (its journal writes, say) must not leave the others running unseen.
  const settled = await Promise.allSettled(
    [...work].map(([provider, rows]) => runProvider(provider, rows, before, { ...options, verify }, append, run)),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  run.interrupted = options.stop?.aborted === true || options.signal?.aborted === true;
  await journal.sync?.();
  run.state = foldJournal(records);
  return run;
}

function groupByProvider(rows: PlanRow[]): Map<ProviderName, PlanRow[]> {
  const groups = new Map<ProviderName, PlanRow[]>();
  for (const row of rows) {
    const list = groups.get(row.provider!) ?? [];
    list.push(row);
    groups.set(row.provider!, list);
  }
  return groups;
}

function checkClients(work: Map<ProviderName, PlanRow[]>, options: RunErasureOptions): void {
  const missing = [...work.keys()].filter((provider) => options.clients[provider] === undefined);
  if (missing.length > 0) {
    throw new ContactkitError({
      code: "config",
      message: `no client for ${missing.join(", ")}: the plan has rows for it; nothing was sent.`,
    });
  }
}

/**
 * Checks every provider's run options with an empty run (which validates them and sends nothing),
 * so a bad option fails the whole run before any row is sent. `verify` is passed only when set, and
 * only to clients that accept it (read-back verification is newer than some clients): `false` is
 * then dropped, `true` is an error.
 */
async function checkOptions(work: Map<ProviderName, PlanRow[]>, options: RunErasureOptions): Promise<Map<ProviderName, boolean>> {
  const verify = new Map<ProviderName, boolean>();
  for (const provider of work.keys()) {
    const client = options.clients[provider]!;
    const probe = async (extra: object) => {
      const probeOptions = {
        rateLimit: false,
        concurrency: concurrencyFor(provider, options),
        missingOk: options.missingOk === true,
        ...extra,
      };
      for await (const _ of client.deleteContactsStream([], probeOptions as never)) void _;
    };
    if (options.verify === undefined) {
      await probe({});
      continue;
    }
    try {
      await probe({ verify: options.verify });
      verify.set(provider, options.verify);
    } catch (error) {
      if (!(isContactkitError(error) && error.code === "invalid_input" && /verify/.test(error.message))) throw error;
      if (options.verify) {
        throw new ContactkitError({
          code: "config",
          provider,
          message: `${provider}: this client cannot verify deletes (read-back); nothing was sent.`,
        });
      }
      await probe({});
    }
  }
  return verify;
}

function concurrencyFor(provider: ProviderName, options: Pick<RunErasureOptions, "concurrency">): number {
  return typeof options.concurrency === "number" ? options.concurrency : (options.concurrency?.[provider] ?? 4);
}

type RunOptions = Omit<RunErasureOptions, "verify"> & { verify: Map<ProviderName, boolean> };

function stopsByDefault(error: ContactkitError): boolean {
  return error.code === "unauthorized" || error.code === "endpoint_not_found";
}

async function runProvider(
  provider: ProviderName,
  rows: PlanRow[],
  before: JournalState,
  options: RunOptions,
  append: (record: JournalRecord) => Promise<void>,
  run: ErasureRun,
): Promise<void> {
  const client = options.clients[provider]!;
  const concurrency = concurrencyFor(provider, options);
  const stopsProvider = options.stopsProvider ?? stopsByDefault;
  const halted = () => options.stop?.aborted === true || options.signal?.aborted === true || run.stoppedProviders[provider] !== undefined;
  // Replays first: they are the rows whose fate is unknown.
  const phases = [
    { replay: true, rows: rows.filter((r) => before.firstSent.has(r.row)) },
    { replay: false, rows: rows.filter((r) => !before.firstSent.has(r.row)) },
  ];
  for (const phase of phases) {
    if (phase.rows.length === 0 || halted()) continue;
    const byId = new Map(phase.rows.map((row) => [row.id, row]));
    async function* ids(): AsyncGenerator<string> {
      for (const row of phase.rows) {
        if (halted()) return;
        const sent: SentRecord = {
          event: "sent",
          row: row.row,
          subject: row.subject,
          provider,
          id: row.id,
          at: now(),
          ...(phase.replay ? { replay: true } : {}),
        };
        await append(sent);
        run.sent += 1;
        if (phase.replay) run.replayed += 1;
        yield row.id;
      }
    }
    const verify = options.verify.get(provider);
    const items = client.deleteContactsStream(ids(), {
      concurrency,
      missingOk: phase.replay || options.missingOk === true,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(verify !== undefined ? { verify } : {}),
      ...(options.rateLimit?.[provider] !== undefined ? { rateLimit: options.rateLimit[provider] } : {}),
    } as never);
    for await (const item of items as AsyncIterable<BulkItem>) {
      // Aborted in flight: only the `sent` record stays, so a resume replays the row.
      if (!item.ok && item.error.code === "aborted" && options.signal?.aborted) continue;
      const row = byId.get(item.id)!;
      await recordOutcome(append, options, outcomeOf(row, provider, item, phase.replay));
      if (!item.ok && run.stoppedProviders[provider] === undefined && stopsProvider(item.error)) {
        run.stoppedProviders[provider] = item.error;
      }
    }
  }
}

async function recordOutcome(
  append: (record: JournalRecord) => Promise<void>,
  options: Pick<RunErasureOptions, "onResult">,
  record: OutcomeRecord,
): Promise<void> {
  await append(record);
  try {
    options.onResult?.(record);
  } catch {
    // A reporting callback failing must not lose or stop the erasure; the journal has the outcome.
  }
}

function outcomeOf(row: PlanRow, provider: ProviderName, item: BulkItem, replay: boolean): OutcomeRecord {
  const base = { event: "outcome" as const, row: row.row, subject: row.subject, provider, id: row.id };
  if (item.ok) {
    const result = item.result;
    return {
      ...base,
      outcome: result.outcome,
      status: result.status,
      attempts: result.attempts,
      verified: result.verified,
      requestId: result.requestId,
      afterRetry: result.afterRetry || (replay && result.outcome === "absent"),
      at: now(),
    };
  }
  const e = item.error;
  return {
    ...base,
    outcome: "failed",
    status: e.status,
    attempts: e.attempts,
    verified: false,
    requestId: e.requestId,
    afterRetry: false,
    mayHaveApplied: e.mayHaveApplied || replay,
    error: { code: e.code, message: e.message },
    at: now(),
  };
}

function malformedOutcome(row: PlanRow): OutcomeRecord {
  return {
    event: "outcome",
    row: row.row,
    subject: row.subject,
    provider: row.provider,
    id: row.id,
    outcome: "failed",
    status: null,
    attempts: 0,
    verified: false,
    requestId: null,
    afterRetry: false,
    error: { code: "invalid_input", message: `${row.problem}; nothing was sent for it.` },
    at: now(),
  };
}
