/**
 * The file journal: JSON Lines, append-only, one record per line.
 *
 * Durability, exactly:
 * - every record is written with `fs.writeSync` before `append` returns, so it is in the OS's page
 *   cache before the request it announces is sent: it survives the process dying (`kill -9`, a
 *   crash, an OOM kill) at any moment;
 * - the file is fsync'ed at most `syncEveryMs` (default 1000 ms) after a record is appended, and
 *   when the journal is synced at the end of a run. A power loss or kernel crash can therefore lose
 *   the records of the last second or so. A resume then sends those rows again as if new: one whose
 *   delete had been applied answers 404 and ends `failed` (`not_found`) — or `absent` with
 *   `missingOk` — rather than `deleted`. After a power loss, resume with `--missing-ok`.
 * - a last line cut short (the process died inside a write) is ignored when reading back, and
 *   cut off before the next record is appended.
 */
import { closeSync, existsSync, fsync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import { ContactkitError } from "../index.js";
import { isJournalRecord, type Journal, type JournalRecord } from "./journal.js";

export interface FileJournalOptions {
  /** Longest time a written record stays un-fsync'ed. @default 1000 */
  syncEveryMs?: number;
  /** Applied to every line before it is written (the CLI scrubs credentials here). */
  scrub?: (line: string) => string;
}

export interface FileJournal extends Journal {
  readonly path: string;
  /** Whether the file exists and holds at least one record. */
  hasRecords(): boolean;
  sync(): void;
  /** Syncs and closes the file. */
  close(): void;
}

export function openFileJournal(path: string, options: FileJournalOptions = {}): FileJournal {
  const syncEveryMs = options.syncEveryMs ?? 1000;
  const scrub = options.scrub ?? ((line: string) => line);
  let fd: number | null = null;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Bytes up to the end of the last complete line; a torn tail after them is cut before appending. */
  let completeBytes = 0;

  const readAll = (): JournalRecord[] => {
    if (!existsSync(path)) return [];
    const bytes = readFileSync(path);
    completeBytes = bytes.lastIndexOf(0x0a) + 1;
    const lines = bytes.subarray(0, completeBytes).toString("utf8").split("\n");
    const records: JournalRecord[] = [];
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = null;
      }
      if (!isJournalRecord(value)) {
        throw new ContactkitError({
          code: "invalid_input",
          message: `journal ${JSON.stringify(path)} line ${index + 1} is not a journal record; it was not written by contactkit or was edited.`,
        });
      }
      records.push(value);
    });
    // The torn last line is dropped on purpose: it is a record whose write never completed.
    return records;
  };

  const scheduleSync = () => {
    dirty = true;
    if (timer !== null || syncEveryMs <= 0) return;
    timer = setTimeout(() => {
      timer = null;
      if (fd === null || !dirty) return;
      dirty = false;
      fsync(fd, () => {});
    }, syncEveryMs);
    // A pending fsync must not keep a finished program alive; close() syncs anyway.
    timer.unref?.();
  };

  const journal: FileJournal = {
    path,
    hasRecords: () => readAll().length > 0,
    read: async () => readAll(),
    append(record) {
      if (fd === null) {
        readAll(); // learns where the last complete line ends
        if (existsSync(path)) truncateSync(path, completeBytes);
        fd = openSync(path, "a");
      }
      writeSync(fd, `${scrub(JSON.stringify(record))}\n`);
      scheduleSync();
    },
    sync() {
      if (fd === null) return;
      dirty = false;
      fsyncSync(fd);
    },
    close() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (fd === null) return;
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
    },
  };
  return journal;
}
