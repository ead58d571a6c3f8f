/** The id reader: line splitting across chunks, what is dropped, read errors, and the run's gate (stop, backpressure). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/errors.js";
import { fromArgs, openIdsFile, readLines, stdinIds, type IdGate } from "../../src/cli/ids.js";

const dir = mkdtempSync(join(tmpdir(), "contactkit-ids-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function all(ids: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const id of ids) out.push(id);
  return out;
}

const open: IdGate = { stopped: () => false, room: () => null };

describe("readLines", () => {
  it("splits on \\n and \\r\\n across chunk boundaries, trims, skips blank lines, drops a BOM, keeps a last line without newline", async () => {
    const text = "\uFEFFa1\r\n  b2  \n\n\t\nc3\r\nd4";
    const bytes = Buffer.from(text, "utf8");
    // Every split point, including inside the BOM and inside \r\n.
    for (let cut = 0; cut <= bytes.length; cut++) {
      const chunks = [bytes.subarray(0, cut), bytes.subarray(cut)];
      expect(await all(readLines(Readable.from(chunks, { objectMode: true }), "test").ids)).toEqual(["a1", "b2", "c3", "d4"]);
    }
  });

  it("decodes a multi-byte character split between two chunks", async () => {
    const bytes = Buffer.from("id-😀-x\nnext\n", "utf8");
    const at = bytes.indexOf(0xf0) + 2; // inside the emoji's four bytes
    const chunks = [bytes.subarray(0, at), bytes.subarray(at)];
    expect(await all(readLines(Readable.from(chunks, { objectMode: true }), "test").ids)).toEqual(["id-😀-x", "next"]);
  });

  it("accepts string chunks (stdin with an encoding set)", async () => {
    expect(await all(readLines(Readable.from(["x\ny", "z\n"]), "test").ids)).toEqual(["x", "yz"]);
  });
});

describe("id sources", () => {
  it("a file: every id, the count handed out, no error", async () => {
    const path = join(dir, "ids.txt");
    const ids = Array.from({ length: 20_000 }, (_, i) => `id-${i}`);
    writeFileSync(path, `${ids.join("\n")}\n`); // several 64 KiB chunks
    const source = await openIdsFile(path, open);
    expect(await all(source.ids)).toEqual(ids);
    expect(source.read).toBe(ids.length);
    expect(source.error).toBeNull();
    expect(source.label).toBe(path);
  });

  it("a missing file fails up front with a CliError (exit 2)", async () => {
    const error = await openIdsFile(join(dir, "nope.txt")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toContain("no such file");
  });

  it("a line over a million characters ends the source with an error; ids before its chunk were handed out", async () => {
    const path = join(dir, "long.txt");
    writeFileSync(path, `first\n${"x".repeat(1_100_000)}\nlast\n`);
    const source = await openIdsFile(path, open);
    const got = await all(source.ids);
    expect(got).not.toContain("last");
    expect(source.error?.message).toMatch(/longer than 1000000 characters/);
    expect(source.read).toBe(got.length);
  });

  it("arguments are handed out as given: not trimmed, blanks kept (the library says what is wrong with them)", async () => {
    const source = fromArgs([" a ", "", "b"], open);
    expect(await all(source.ids)).toEqual([" a ", "", "b"]);
    expect(source.read).toBe(3);
  });

  it("once the gate says stopped, no more ids: the source ends and counts only the ids handed out", async () => {
    const path = join(dir, "stop.txt");
    writeFileSync(path, "1\n2\n3\n4\n5\n");
    let stopped = false;
    const source = await openIdsFile(path, { stopped: () => stopped, room: () => null });
    const it = source.ids[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: "1" });
    expect(await it.next()).toEqual({ done: false, value: "2" });
    stopped = true;
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(source.read).toBe(2);
  });

  it("while the gate has no room (output backed up), the next id waits for it", async () => {
    let release!: () => void;
    let room: Promise<void> | null = new Promise<void>((resolve) => (release = resolve));
    const source = fromArgs(["a", "b"], { stopped: () => false, room: () => room });
    const it = source.ids[Symbol.asyncIterator]();
    let got: IteratorResult<string> | null = null;
    const next = it.next().then((r) => (got = r));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(got).toBeNull();
    expect(source.read).toBe(0);
    room = null;
    release();
    await next;
    expect(got).toEqual({ done: false, value: "a" });
  });

  it("stdin that never ends: aborting stops a pending read at once and releases stdin", async () => {
    const stdin = new Readable({ read() {} });
    stdin.push("a\n");
    const controller = new AbortController();
    const source = stdinIds(stdin, controller.signal, open);
    const it = source.ids[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: "a" });
    const pending = it.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(stdin.destroyed).toBe(true);
    expect(source.error).toBeNull();
  });

  it("a read error ends the source with that error, after the ids read before it", async () => {
    const input = new Readable({ read() {} });
    input.push("a\nb\n");
    const source = stdinIds(input, new AbortController().signal, open);
    const it = source.ids[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: "a" });
    expect(await it.next()).toEqual({ done: false, value: "b" });
    const pending = it.next();
    input.destroy(new Error("EIO: disk on fire"));
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(source.error?.message).toBe("EIO: disk on fire");
    expect(source.read).toBe(2);
  });
});
