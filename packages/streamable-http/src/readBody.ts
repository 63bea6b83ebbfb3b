import type { IncomingMessage } from 'node:http';
import { httpRejection, type HttpRejection } from '@tidings/protocol';
import { readBody } from '@tidings/sse';

/** A parsed body, or the rejection to answer with. */
export type BodyResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly rejection: HttpRejection };

/**
 * Reads a POST body as JSON, at most `maxBytes` (the bounded reading is the
 * SSE adapter's `readBody`). A body some framework already read (express
 * `req.body`, fastify's `request.body`) is used as is: an object as parsed
 * JSON, a string or Buffer as text.
 */
export async function readJsonBody(req: IncomingMessage, preParsed: unknown, maxBytes: number): Promise<BodyResult> {
  const body = await readBody(req, maxBytes, preParsed);
  switch (body.kind) {
    case 'parsed':
      return { ok: true, value: body.value };
    case 'too-large':
      return {
        ok: false,
        rejection: httpRejection(
          413,
          'InvalidRequest',
          `Payload Too Large: the body exceeds ${maxBytes} bytes (maxBodyBytes)`,
          body.discarding ? {} : { connection: 'close' },
        ),
      };
    case 'aborted':
      return { ok: false, rejection: httpRejection(400, 'ParseError', 'Parse error: the body could not be read') };
    case 'text':
      try {
        return { ok: true, value: JSON.parse(body.text) };
      } catch {
        return { ok: false, rejection: httpRejection(400, 'ParseError', 'Parse error: the body is not valid JSON') };
      }
  }
}
