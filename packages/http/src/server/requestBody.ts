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

/** How much of an oversized body is read and dropped, as a multiple of the limit, so the sender gets to read its 413. */
export const DISCARD_FACTOR = 4;

/** What a body reader is told, in order: chunks, then `end`, or `fail` when the client went away or the body broke. */
export interface BodyListener {
  chunk(bytes: Uint8Array): void;
  end(): void;
  fail(): void;
}

/** A request body's bytes, as a binding hands them to {@link readBoundedBody}. */
export interface BodySource {
  /** Starts telling `listener` about the body; returns what stops that (a long-lived request then keeps no listener). */
  read(listener: BodyListener): () => void;
  /** Stops the body for good: the rest is dropped (Node destroys the request, and so its connection). */
  cancel(): void;
}

const decoder = new TextDecoder();

/**
 * Reads a body as UTF-8 text, holding at most `limit` bytes, for every
 * binding: a `declared` length (Content-Length, NaN when there is none) over
 * the limit is refused before reading, and a body that grows past it stops
 * being collected at once. The rest of an oversized body is read and dropped,
 * so the sender is still sending into an open socket when the 413 comes and
 * gets to read it (a server that closes instead makes curl fail with a broken
 * pipe and fetch with "fetch failed", RFC 9110 §15.5.14); bounded, past
 * `DISCARD_FACTOR` × `limit` it cancels. A declared length past that bound is
 * not read at all (`discarding: false`: the reply closes the connection).
 */
export function readBoundedBody(source: BodySource, declared: number, limit: number): Promise<RequestBody> {
  const bound = DISCARD_FACTOR * limit;
  if (declared > bound) return Promise.resolve({ kind: 'too-large', discarding: false });
  return new Promise((resolve) => {
    let chunks: Uint8Array[] | undefined = [];
    let size = 0;
    const answer = (body: RequestBody): void => {
      if (chunks) resolve(body);
      chunks = undefined;
    };
    if (declared > limit) answer({ kind: 'too-large', discarding: true });
    const stop = source.read({
      chunk(bytes) {
        size += bytes.length;
        if (size > limit) answer({ kind: 'too-large', discarding: true });
        else chunks?.push(bytes);
        if (size <= bound) return;
        stop();
        source.cancel();
      },
      end() {
        stop();
        if (chunks) answer({ kind: 'text', text: decoder.decode(concatBytes(chunks, size)) });
      },
      fail() {
        stop();
        answer({ kind: 'aborted' });
      },
    });
  });
}

/** The chunks of a body as one array (no copy for one chunk). */
function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
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
