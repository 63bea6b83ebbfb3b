import type { RequestBody } from '../server/types.js';
import { concatBytes, DISCARD_FACTOR } from './bodyBytes.js';

/** The parts of Node's `IncomingMessage` a body is read from (express and fastify hand over the same object). */
export interface NodeBodySource {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'error' | 'close', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  off(event: 'end' | 'error' | 'close', listener: () => void): unknown;
  resume(): unknown;
  destroy(): unknown;
}

const decoder = new TextDecoder();

/**
 * Reads a POST body as UTF-8 text, holding at most `limit` bytes: a declared
 * `Content-Length` above the limit is refused before reading, and a body that
 * grows past it stops being collected at once. A body a framework already
 * read (`express.json()` on `req.body`, fastify's `request.body`) is used
 * instead of the stream.
 */
export function readNodeBody(req: NodeBodySource, limit: number, preParsed: unknown): Promise<RequestBody> {
  if (preParsed !== undefined) {
    if (typeof preParsed === 'string') preParsed = new TextEncoder().encode(preParsed);
    if (preParsed instanceof Uint8Array) {
      return Promise.resolve(preParsed.length > limit ? { kind: 'too-large', discarding: true } : { kind: 'text', text: decoder.decode(preParsed) });
    }
    return Promise.resolve({ kind: 'parsed', value: preParsed });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large', discarding: discardRest(req, 0, limit) });
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const finish = (result: RequestBody): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Uint8Array): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ kind: 'too-large', discarding: discardRest(req, size, limit) });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'text', text: decoder.decode(concatBytes(chunks, size)) });
    const onAbort = (): void => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}

/**
 * Reads and drops the rest of an oversized body, so the sender is still
 * sending into an open socket when the 413 comes and gets to read it: a
 * server that closes instead makes curl fail with a broken pipe and fetch
 * with "fetch failed", and the status never shows (RFC 9110 §15.5.14).
 * Bounded: past `DISCARD_FACTOR` × `limit` the socket is destroyed. Returns
 * false when the declared length is already past that.
 */
function discardRest(req: NodeBodySource, alreadyRead: number, limit: number): boolean {
  const bound = DISCARD_FACTOR * limit;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > bound) return false;
  let read = alreadyRead;
  const onData = (chunk: Uint8Array): void => {
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
