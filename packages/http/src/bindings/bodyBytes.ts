/** How much of an oversized body is read and dropped, as a multiple of the limit, so the sender gets to read its 413. */
export const DISCARD_FACTOR = 4;

/** The chunks of a body as one array (no copy for one chunk). */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}
