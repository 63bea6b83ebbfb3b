import type { IncomingMessage } from 'node:http';

/** What {@link readBody} got: the text, or why there is none. */
export type BodyResult =
  /** The whole body, decoded as UTF-8. */
  | { readonly kind: 'text'; readonly text: string }
  /** A body a framework (express.json) already parsed; passed on as is. */
  | { readonly kind: 'parsed'; readonly value: unknown }
  /**
   * Larger than the limit; answered 413. `discarding`: the rest of the body
   * is read and dropped, so the sender gets to read the 413 (answer with the
   * connection kept open); false when even that bound was passed (answer with
   * `Connection: close`).
   */
  | { readonly kind: 'too-large'; readonly discarding: boolean }
  /** The client went away before the body ended. */
  | { readonly kind: 'aborted' };

/**
 * Reads a POST body as UTF-8 text, holding at most `limit` bytes: a declared
 * `Content-Length` above the limit is refused before reading, and a body that
 * grows past it stops being collected at once (the rest is discarded, never
 * buffered). A body a framework already read (`express.json()` on
 * `req.body`, fastify's `request.body` passed as `preParsed`) is used instead
 * of the stream. Shared by the Node HTTP adapters (SSE, Streamable HTTP).
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  preParsed: unknown = (req as { body?: unknown }).body,
): Promise<BodyResult> {
  if (preParsed !== undefined) {
    if (typeof preParsed === 'string' || Buffer.isBuffer(preParsed)) {
      const bytes = typeof preParsed === 'string' ? Buffer.byteLength(preParsed) : preParsed.length;
      if (bytes > limit) return Promise.resolve({ kind: 'too-large', discarding: true });
      return Promise.resolve({ kind: 'text', text: preParsed.toString() });
    }
    return Promise.resolve({ kind: 'parsed', value: preParsed });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.resolve({ kind: 'too-large', discarding: discardRest(req, 0, limit) });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ kind: 'too-large', discarding: discardRest(req, size, limit) });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'text', text: Buffer.concat(chunks, size).toString('utf8') });
    const onAbort = (): void => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}

/** How much of an oversized body is read and dropped, as a multiple of the limit, before the connection is cut. */
const DISCARD_FACTOR = 4;

/**
 * Reads and drops the rest of an oversized body, so the sender is still
 * sending into an open socket when the 413 comes and gets to read it: a
 * server that closes instead makes curl fail with a broken pipe and fetch
 * with "fetch failed", and the status never shows (RFC 9110 §15.5.14). The
 * reading is bounded: past `DISCARD_FACTOR` × `limit` in all the socket is
 * destroyed. Returns false when the declared length is already past that.
 */
function discardRest(req: IncomingMessage, alreadyRead: number, limit: number): boolean {
  const bound = DISCARD_FACTOR * limit;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > bound) return false;
  let read = alreadyRead;
  const onData = (chunk: Buffer): void => {
    read += chunk.length;
    if (read > bound) {
      req.off('data', onData);
      req.destroy();
    }
  };
  req.on('data', onData);
  req.resume();
  return true;
}
