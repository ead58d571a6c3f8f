/** Batched per-id output: one write per event-loop turn, everything flushed on demand, and backpressure reported. */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { batchedLines, flushAllLines } from "../../src/cli/line-output.js";

function stream(accept = () => true) {
  const emitter = new EventEmitter();
  const writes: string[] = [];
  return Object.assign(emitter, {
    writes,
    write(chunk: string) {
      writes.push(chunk);
      return accept();
    },
  });
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("batchedLines", () => {
  it("writes the lines of one event-loop turn in one write, at the end of the turn", async () => {
    const s = stream();
    const out = batchedLines(s);
    out.write("a\n");
    out.write("b\n");
    out.write("c\n");
    expect(s.writes).toEqual([]);
    await turn();
    expect(s.writes).toEqual(["a\nb\nc\n"]);
    out.write("d\n");
    await turn();
    expect(s.writes).toEqual(["a\nb\nc\n", "d\n"]);
    out.close();
  });

  it("flush() and close() write at once; nothing is written twice or lost", async () => {
    const s = stream();
    const out = batchedLines(s);
    out.write("a\n");
    out.flush();
    expect(s.writes).toEqual(["a\n"]);
    out.write("b\n");
    out.close();
    expect(s.writes).toEqual(["a\n", "b\n"]);
    await turn();
    expect(s.writes).toEqual(["a\n", "b\n"]); // the scheduled flush was cancelled, not repeated
  });

  it("a big batch goes out without waiting for the end of the turn", () => {
    const s = stream();
    const out = batchedLines(s);
    const line = `${"x".repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) out.write(line);
    expect(s.writes.join("")).toBe(line.repeat(64));
    out.close();
  });

  it("flushAllLines writes what every open output holds (the process-exit hook), and skips closed ones", () => {
    const a = stream();
    const b = stream();
    const outA = batchedLines(a);
    const outB = batchedLines(b);
    outA.write("a\n");
    outB.write("b\n");
    outB.close();
    outB.write("late\n"); // written after close: no longer part of flushAllLines
    flushAllLines();
    expect(a.writes).toEqual(["a\n"]);
    expect(b.writes).toEqual(["b\n"]);
    outA.close();
  });

  it("room() is null while the stream takes output, a promise from a full write until 'drain'", async () => {
    let full = true;
    const s = stream(() => !full);
    const out = batchedLines(s);
    expect(out.room()).toBeNull();
    out.write("a\n");
    out.flush();
    const wait = out.room();
    expect(wait).toBeInstanceOf(Promise);
    let resolved = false;
    void wait!.then(() => (resolved = true));
    await turn();
    expect(resolved).toBe(false);
    full = false;
    s.emit("drain");
    await wait;
    expect(resolved).toBe(true);
    expect(out.room()).toBeNull();
    out.close();
  });

  it("a stream that cannot signal 'drain' (a stand-in without once) is never waited for", () => {
    const writes: string[] = [];
    const out = batchedLines({ write: (chunk: string) => (writes.push(chunk), false) });
    out.write("a\n");
    out.flush();
    expect(writes).toEqual(["a\n"]);
    expect(out.room()).toBeNull();
    out.close();
  });
});
