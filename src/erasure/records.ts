/**
 * Splits a plan's bytes into records, streaming: a record is one line, except that a CSV field in
 * double quotes may span lines (RFC 4180). Works on bytes so that a huge line is never held whole
 * (it is measured, then skipped) and so that binary junk is reported instead of mis-decoded.
 */

/** One record of the input: where it starts, and its bytes (null when it was too long to keep). */
export interface RawRecord {
  /** 1-based line number of the record's first line. */
  line: number;
  bytes: Uint8Array | null;
  /** Its full length in bytes, also when it was too long to keep. */
  length: number;
  /** The input ended inside a quoted field that began in this record. */
  unterminatedQuote: boolean;
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;

export class RecordSplitter {
  private parts: Uint8Array[] = [];
  private length = 0;
  private inQuotes = false;
  private line = 1;
  private startLine = 1;

  /** `quotes`: whether `"` opens a multi-line field (CSV) or is ordinary data (JSON Lines). */
  constructor(
    private readonly quotes: boolean,
    private readonly maxBytes: number,
  ) {}

  push(chunk: Uint8Array): RawRecord[] {
    const out: RawRecord[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === QUOTE && this.quotes) this.inQuotes = !this.inQuotes;
      else if (byte === NEWLINE) {
        this.line += 1;
        if (!this.inQuotes) {
          this.keep(chunk.subarray(start, i));
          out.push(this.take(false));
          start = i + 1;
        }
      }
    }
    this.keep(chunk.subarray(start));
    return out;
  }

  /** The last record, when the input does not end with a newline. */
  end(): RawRecord[] {
    if (this.length === 0 && !this.inQuotes) return [];
    return [this.take(this.inQuotes)];
  }

  private keep(part: Uint8Array): void {
    if (part.length === 0) return;
    this.length += part.length;
    // Over the limit: stop holding bytes, only keep counting them.
    if (this.length > this.maxBytes) this.parts = [];
    else this.parts.push(part.slice());
  }

  private take(unterminatedQuote: boolean): RawRecord {
    const tooLong = this.length > this.maxBytes;
    const record: RawRecord = {
      line: this.startLine,
      bytes: tooLong ? null : concat(this.parts, this.length),
      length: this.length,
      unterminatedQuote,
    };
    this.parts = [];
    this.length = 0;
    this.startLine = this.line;
    return record;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A record as text (trailing CR and a leading BOM removed), or why it is not text. */
export function decodeRecord(bytes: Uint8Array, first: boolean): { text: string } | { problem: string } {
  let view = bytes;
  if (first && view[0] === 0xef && view[1] === 0xbb && view[2] === 0xbf) view = view.subarray(3);
  if (view.length > 0 && view[view.length - 1] === 0x0d) view = view.subarray(0, view.length - 1);
  if (view.includes(0)) return { problem: "contains NUL bytes: binary data, not text" };
  try {
    return { text: decoder.decode(view) };
  } catch {
    return { problem: "is not valid UTF-8 text (binary data?)" };
  }
}

/**
 * One CSV record's fields per RFC 4180: comma-separated, `"`-quoted fields may hold commas,
 * newlines and `""` for a quote. Anything else around quotes is an error, not a guess.
 */
export function csvFields(text: string): { fields: string[] } | { problem: string } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      i += 1;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) return { problem: `field ${fields.length + 1}: a quoted field is not closed` };
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      if (i < text.length && text[i] !== ",") return { problem: `field ${fields.length + 1}: text after a closing quote` };
      fields.push(value);
    } else {
      const comma = text.indexOf(",", i);
      const value = comma === -1 ? text.slice(i) : text.slice(i, comma);
      if (value.includes('"'))
        return { problem: `field ${fields.length + 1}: a quote inside an unquoted field (quote the whole field and double the quote)` };
      fields.push(value);
      i = comma === -1 ? text.length : comma;
    }
    if (i >= text.length) return { fields };
    i += 1; // the comma
    if (i === text.length) {
      fields.push("");
      return { fields };
    }
  }
}
