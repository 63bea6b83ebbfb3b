import type { IncomingMessage } from 'node:http';

/** What {@link readBody} got: the text, or why there is none. */
export type BodyResult =
  /** The whole body, decoded as UTF-8. */
  | { readonly kind: 'text'; readonly text: string }
  /** A body a framework (express.json) already parsed; passed on as is. */
  | { readonly kind: 'parsed'; readonly value: unknown }
  /** Larger than the limit; answered 413. */
  | { readonly kind: 'too-large' }
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
      if (bytes > limit) return Promise.resolve({ kind: 'too-large' });
      return Promise.resolve({ kind: 'text', text: preParsed.toString() });
    }
    return Promise.resolve({ kind: 'parsed', value: preParsed });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({ kind: 'too-large' });
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
        finish({ kind: 'too-large' });
        // Keep the socket readable so the 413 can be written; what still
        // arrives is dropped as it comes.
        req.resume();
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
