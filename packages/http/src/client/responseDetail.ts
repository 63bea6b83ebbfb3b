const MAX_DETAIL_BYTES = 1024;

/**
 * A short, readable reason from a refused HTTP response: the `error.message`
 * of a JSON-RPC error body, else the start of the text. Reads at most 1 KiB,
 * then drops the rest of the body so the connection is released.
 */
export async function responseDetail(response: Response): Promise<string> {
  const body = response.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_DETAIL_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // The detail is a courtesy: a body that breaks leaves just the status.
  } finally {
    reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  const text = new TextDecoder().decode(all.subarray(0, MAX_DETAIL_BYTES)).trim();
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text;
}
