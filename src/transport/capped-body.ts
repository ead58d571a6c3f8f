/**
 * Reads a response body as text, counting bytes as they arrive (after decompression: fetch hands
 * over the decoded stream) and stopping at a cap. `response.text()` would buffer a 128 MB body, a
 * gzip bomb or an endless stream whole before we could look at it.
 */

export type CappedText = { kind: "text"; text: string } | { kind: "too_large"; bytes: number };

// Shared: a decode without `stream` starts fresh each time, and a decoder per call costs ~1 µs.
const decoder = new TextDecoder();

/**
 * Stops at `signal`'s abort. `watch` gets the function that cancels the stream, for the caller to
 * call on abort: a body the built-in fetch did not make needs it. Without `watch` the stream is the
 * built-in fetch's own: it errors on abort (the read then rejects), and HTTP framing ends it at
 * Content-Length (when not content-encoded), so reading stops once that many bytes are in. The
 * final empty read would cost ~5–15 µs CPU per call on loopback.
 */
export async function readCappedText(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
  watch?: (stop: () => void) => void,
): Promise<CappedText> {
  const { headers, body } = response;
  const length = headers.get("content-length");
  // Without a content-encoding, Content-Length is the decoded size: refuse before reading anything.
  // The common small answer costs one header lookup. Bytes are counted below whatever it says.
  if (length !== null && Number(length) > maxBytes && !headers.has("content-encoding")) {
    // Not awaited: a stream whose cancel never settles must not hold the attempt past its timeout.
    void body?.cancel().catch(() => undefined);
    return { kind: "too_large", bytes: Number(length) };
  }
  if (body === null) return { kind: "text", text: "" };
  const framed = watch === undefined && length !== null && !headers.has("content-encoding") ? Number(length) : Number.NaN;
  const reader = body.getReader();
  // A timeout or caller abort must stop the stream, not only stop us waiting for it.
  const stop = () => void reader.cancel().catch(() => undefined);
  watch?.(stop);
  // Chunks kept as bytes and decoded once: most bodies are a single chunk.
  let first: Uint8Array | undefined;
  let more: Uint8Array[] | undefined;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (signal.aborted) throw signal.reason;
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      stop();
      return { kind: "too_large", bytes };
    }
    if (first === undefined) first = value;
    else (more ??= [first]).push(value);
    if (bytes === framed) break;
  }
  return { kind: "text", text: more !== undefined ? decodeAll(more) : first === undefined ? "" : decoder.decode(first) };
}

/** Several chunks: a streaming decoder, so a character split between two chunks stays whole. */
function decodeAll(chunks: readonly Uint8Array[]): string {
  const streaming = new TextDecoder();
  let text = "";
  for (const chunk of chunks) text += streaming.decode(chunk, { stream: true });
  return text + streaming.decode();
}
