/**
 * What a child process cannot show: a progress bar needs stderr to be a terminal (a pipe never
 * is), and a stdin that stays open needs a stream the test controls. So these run the CLI's
 * `run()` in-process with stand-in streams; every other CLI test drives the built binary.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import type { CliIO, OutStream } from "../../src/cli/io.js";
import { startFakeProviders } from "../../src/testing/index.js";
import { providerEnvFor } from "./helpers.js";

function capture(isTTY: boolean): OutStream & { text: string } {
  const stream = {
    text: "",
    isTTY,
    columns: 120,
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

function io(env: Record<string, string>, stderrTTY: boolean, stdin: NodeJS.ReadableStream = Readable.from([]), stdoutTTY = stderrTTY) {
  const stdout = capture(stdoutTTY);
  const stderr = capture(stderrTTY);
  const signals: Array<(signal: "SIGINT" | "SIGTERM") => void> = [];
  const value: CliIO = {
    stdout,
    stderr,
    stdin,
    env: { NO_COLOR: "1", ...env },
    onStopSignal: (handler) => {
      signals.push(handler);
      return () => signals.splice(signals.indexOf(handler), 1);
    },
    exit: (code) => {
      throw new Error(`exit(${code}) called`);
    },
  };
  return { io: value, stdout, stderr, interrupt: () => signals.forEach((handler) => handler("SIGINT")) };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const ANSI = /\u001b\[/;

describe("progress bar", () => {
  it("shows a bar on a TTY stderr for more than a handful of ids, logs failures above it, summary on stdout", async () => {
    const fake = await startFakeProviders({ seedCount: 8 });
    try {
      const { io: cli, stdout, stderr } = io(providerEnvFor(fake, "wethod"), true);
      const ids = [...fake.seeded.wethod, "9999"];
      const code = await run(["delete", "wethod", ...ids, "--base-url", fake.url], cli);
      expect(code).toBe(1);
      expect(stderr.text).toMatch(ANSI);
      expect(stderr.text).toContain("9/9 ids");
      expect(stderr.text).toContain("✗ 9999  not_found"); // the failure is still shown
      // The bar hides per-id lines, so the pace is said up front, and again in the summary.
      expect(stderr.text).toContain(
        "Paced from 5,000/h: Wethod's documented limit, then as its rate-limit headers say; --rate to set a ceiling.",
      );
      expect(stdout.text).toContain(
        "paced from 5,000/h: Wethod's documented limit, then as its rate-limit headers say; --rate to set a ceiling",
      );
      expect(stdout.text).not.toContain("✓ "); // successes only move the bar
      expect(stdout.text).toContain("Summary: 8 deleted, 0 absent, 1 failed (9 ids)");
    } finally {
      await fake.close();
    }
  });

  it("keeps one line per id on a redirected stdout (an audit file) even when stderr is a terminal", async () => {
    const fake = await startFakeProviders({ seedCount: 8 });
    try {
      const { io: cli, stdout, stderr } = io(providerEnvFor(fake, "wethod"), true, Readable.from([]), false);
      const code = await run(["delete", "wethod", ...fake.seeded.wethod, "--base-url", fake.url], cli);
      expect(code).toBe(0);
      expect(stdout.text.match(/^✓ /gm)).toHaveLength(8);
      expect(stderr.text).not.toMatch(ANSI);
    } finally {
      await fake.close();
    }
  });

  it("prints one line per id for a handful of ids even on a TTY, and never a bar with --json", async () => {
    const fake = await startFakeProviders({ seedCount: 8 });
    try {
      const few = io(providerEnvFor(fake, "truto"), true);
      expect(await run(["delete", "truto", ...fake.seeded.truto.slice(0, 2), "--base-url", fake.url], few.io)).toBe(0);
      expect(few.stdout.text.match(/^✓ /gm)).toHaveLength(2);
      expect(few.stderr.text).toBe("");

      const json = io(providerEnvFor(fake, "truto"), true);
      expect(await run(["delete", "truto", ...fake.seeded.truto.slice(2), "--base-url", fake.url, "--json"], json.io)).toBe(0);
      expect(json.stdout.text.trim().split("\n")).toHaveLength(6);
      expect(json.stderr.text).not.toMatch(ANSI);
      expect(json.stderr.text).toContain("Summary: 6 deleted");
    } finally {
      await fake.close();
    }
  });

  it("draws no bar while the user types ids at the terminal (a redraw would overwrite the typing)", async () => {
    const fake = await startFakeProviders({ seedCount: 8 });
    try {
      const typed = Object.assign(Readable.from([`${fake.seeded.wethod.join("\n")}\n`]), { isTTY: true });
      const { io: cli, stdout, stderr } = io(providerEnvFor(fake, "wethod"), true, typed);
      const code = await run(["delete", "wethod", "--ids-file", "-", "--base-url", fake.url], cli);
      expect(code).toBe(0);
      expect(stdout.text.match(/^✓ /gm)).toHaveLength(8);
      expect(stderr.text).toContain("Reading ids from the terminal");
      expect(stderr.text).not.toContain("ids done");
      expect(stderr.text).not.toMatch(ANSI);
    } finally {
      await fake.close();
    }
  });

  it("counts up without a total when the ids come from stdin", async () => {
    const fake = await startFakeProviders({ seedCount: 8 });
    try {
      const cli = io(providerEnvFor(fake, "close"), true, Readable.from([fake.seeded.close.join("\n")]));
      expect(await run(["delete", "close", "--ids-file", "-", "--base-url", fake.url], cli.io)).toBe(0);
      expect(cli.stderr.text).toContain("deleting… 8 ids done");
      expect(cli.stdout.text).toContain("Summary: 8 deleted");
    } finally {
      await fake.close();
    }
  });
});

describe("erase on a terminal", () => {
  it("shows a bar for the plan's rows, logs failed rows above it, summary by subject on stdout", async () => {
    const fake = await startFakeProviders({ seedCount: 8 });
    const dir = mkdtempSync(join(tmpdir(), "contactkit-erase-tty-"));
    try {
      const plan = join(dir, "plan.csv");
      const rows = fake.seeded.close.map((id, i) => `s${i % 3},close,${id}`);
      writeFileSync(plan, `subject,provider,id\n${rows.join("\n")}\ns9,close,cont_gone\n`);
      const cli = io({ ...providerEnvFor(fake, "close"), CLOSE_BASE_URL: fake.url }, true);
      expect(await run(["erase", "--plan", plan], cli.io)).toBe(1);
      expect(cli.stderr.text).toMatch(ANSI);
      expect(cli.stderr.text).toContain("9/9 ids");
      expect(cli.stderr.text).toMatch(/cont_gone {2}not_found/);
      expect(cli.stdout.text).toContain("Summary: 8 deleted, 0 absent, 1 failed (9 rows)");
      expect(cli.stdout.text).toContain("4 subjects: 3 erased everywhere, 1 incomplete");
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await fake.close();
    }
  });
});

describe("stdin that stays open", () => {
  it("Ctrl-C ends the run at once instead of waiting for more ids, and releases stdin", async () => {
    const fake = await startFakeProviders();
    try {
      const stdin = new PassThrough();
      const cli = io(providerEnvFor(fake, "wethod"), false, stdin);
      const [a, b] = fake.seeded.wethod as [string, string];
      stdin.write(`${a}\n${b}\n`); // and never ended, like a terminal or an open pipe
      // --concurrency 1: src/bulk.ts awaits the next id before yielding a finished one whenever
      // its pool has room, so with a wider pool an outcome could wait for an id that never comes.
      const done = run(["delete", "wethod", "--ids-file", "-", "--concurrency", "1", "--base-url", fake.url], cli.io);
      await until(() => (cli.stdout.text.match(/^✓ /gm) ?? []).length === 2);
      cli.interrupt();
      expect(await done).toBe(130);
      expect(cli.stdout.text).toContain("Summary: 2 deleted, 0 absent, 0 failed (2 ids)");
      expect(cli.stderr.text).toContain("Interrupted");
      expect(stdin.destroyed).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it("pulls ids lazily: an endless id stream is read only as far as the deletes have got", async () => {
    const fake = await startFakeProviders({ contacts: "any", record: false });
    try {
      let produced = 0;
      const endless = Readable.from(
        (function* () {
          for (;;) yield `contact_${++produced}\n`;
        })(),
      );
      const cli = io(providerEnvFor(fake, "userapi"), false, endless);
      const done = run(["delete", "userapi", "--ids-file", "-", "--json", "--base-url", fake.url], cli.io);
      await until(() => cli.stdout.text.split("\n").length > 6);
      cli.interrupt();
      expect(await done).toBe(130);
      const records = cli.stdout.text
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { outcome: string });
      expect(records.filter((r) => r.outcome === "deleted").length).toBeGreaterThanOrEqual(6);
      // Read-ahead is a few stream buffers, not the stream: nothing like "everything" was read.
      expect(produced).toBeLessThan(2000);
    } finally {
      await fake.close();
    }
  });
});
