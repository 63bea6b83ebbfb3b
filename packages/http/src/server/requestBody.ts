import type { HttpRejection } from '@tidings/protocol/http';
import { refusal } from './refusals.js';
import type { HttpRequest, RequestBody } from './types.js';

/** A POST body parsed as JSON, or the refusal to answer with. */
export type JsonBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly rejection: HttpRejection };

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    // Two bytes up to U+07FF, three above; a surrogate pair (two units) is four.
    bytes += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

/** Reads the request's body, at most `maxBytes` (a body given as text is measured the same way). */
export function readRequestBody(request: HttpRequest, maxBytes: number): Promise<RequestBody> {
  const { body } = request;
  if (typeof body === 'function') return body(maxBytes);
  const text = body ?? '';
  return Promise.resolve(utf8Length(text) > maxBytes ? { kind: 'too-large', discarding: true } : { kind: 'text', text });
}

/**
 * Reads the body as JSON: 413 over `maxBytes` (naming the limit, with
 * `Connection: close` when the binding could not drain the rest), 400
 * −32700 when it is unreadable or not JSON.
 */
export async function readJsonBody(request: HttpRequest, maxBytes: number): Promise<JsonBody> {
  const body = await readRequestBody(request, maxBytes);
  switch (body.kind) {
    case 'parsed':
      return { ok: true, value: body.value };
    case 'too-large': {
      const detail = `the body exceeds ${maxBytes} bytes (maxBodyBytes)`;
      return { ok: false, rejection: refusal('tooLarge', body.discarding ? { detail } : { detail, headers: { connection: 'close' } }) };
    }
    case 'aborted':
      return { ok: false, rejection: refusal('unreadableBody') };
    case 'text':
      try {
        return { ok: true, value: JSON.parse(body.text) };
      } catch {
        return { ok: false, rejection: refusal('invalidJson') };
      }
  }
}
