/**
 * Reads a response body as text, counting bytes as they arrive (after decompression: fetch hands
 * over the decoded stream) and stopping at a cap. `response.text()` would buffer a 128 MB body, a
 * gzip bomb or an endless stream whole before we could look at it.
 */

export type CappedText = { kind: "text"; text: string } | { kind: "too_large"; bytes: number };

export async function readCappedText(response: Response, maxBytes: number, signal: AbortSignal): Promise<CappedText> {
  const declared = Number(response.headers.get("content-length"));
  // Without a content-encoding, Content-Length is the decoded size: refuse before reading anything.
  if (!response.headers.has("content-encoding") && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { kind: "too_large", bytes: declared };
  }
  if (response.body === null) return { kind: "text", text: "" };
  const reader = response.body.getReader();
  // A timeout or caller abort must stop the stream, not only stop us waiting for it.
  const stop = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", stop, { once: true });
  try {
    const decoder = new TextDecoder();
    const parts: string[] = [];
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
      parts.push(decoder.decode(value, { stream: true }));
    }
    parts.push(decoder.decode());
    return { kind: "text", text: parts.join("") };
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
