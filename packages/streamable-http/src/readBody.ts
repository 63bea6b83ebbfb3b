import type { IncomingMessage } from 'node:http';
import { httpRejection, type HttpRejection } from '@tidings/protocol';

/** A parsed body, or the rejection to answer with. */
export type BodyResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly rejection: HttpRejection };

const tooLarge = (max: number): BodyResult => ({
  ok: false,
  rejection: httpRejection(413, 'InvalidRequest', `Payload Too Large: the body exceeds ${max} bytes`, { connection: 'close' }),
});

const parse = (text: string): BodyResult => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, rejection: httpRejection(400, 'ParseError', 'Parse error: the body is not valid JSON') };
  }
};

/**
 * Reads a POST body as JSON, at most `maxBytes`. A body some framework
 * already read (express `req.body`, fastify's `request.body`) is used as is:
 * an object as parsed JSON, a string or Buffer as text.
 */
export async function readJsonBody(req: IncomingMessage, preParsed: unknown, maxBytes: number): Promise<BodyResult> {
  if (preParsed !== undefined) {
    if (typeof preParsed === 'string') return Buffer.byteLength(preParsed) > maxBytes ? tooLarge(maxBytes) : parse(preParsed);
    if (Buffer.isBuffer(preParsed)) return preParsed.length > maxBytes ? tooLarge(maxBytes) : parse(preParsed.toString('utf8'));
    return { ok: true, value: preParsed };
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return tooLarge(maxBytes);
  }
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Keep reading into the void so the 413 can still be written on this socket.
      req.resume();
      finish(tooLarge(maxBytes));
    };
    const onEnd = (): void =>
      finish(parse(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8')));
    const onError = (): void => finish({ ok: false, rejection: httpRejection(400, 'ParseError', 'Parse error: the body could not be read') });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
