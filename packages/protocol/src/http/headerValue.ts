/**
 * The Base64 sentinel of request-metadata headers (2026-07-28
 * streamable-http §value encoding): a value that is not plain visible ASCII
 * travels as `=?base64?<UTF-8 in Base64>?=`.
 */
const PREFIX = '=?base64?';
const SUFFIX = '?=';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SAFE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Encodes a header value, using the sentinel when the value is not plain ASCII or looks like a sentinel. */
export function encodeHeaderValue(value: string): string {
  const sentinelLike = value.startsWith(PREFIX) && value.endsWith(SUFFIX);
  if (SAFE.test(value) && !sentinelLike) return value;
  return `${PREFIX}${utf8ToBase64(value)}${SUFFIX}`;
}

/**
 * Decodes a received header value (surrounding whitespace already ignored, as
 * RFC 9110 §5.5 says). Returns undefined when a sentinel carries malformed
 * Base64 (bad alphabet or padding) or bytes that are not UTF-8: the caller
 * answers HeaderMismatch.
 */
export function decodeHeaderValue(raw: string): string | undefined {
  const value = raw.trim();
  if (!(value.startsWith(PREFIX) && value.endsWith(SUFFIX) && value.length >= PREFIX.length + SUFFIX.length)) return value;
  const body = value.slice(PREFIX.length, value.length - SUFFIX.length);
  if (!BASE64.test(body)) return undefined;
  return base64ToUtf8(body);
}

function utf8ToBase64(value: string): string {
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return globalThis.btoa(binary);
}

function base64ToUtf8(body: string): string | undefined {
  const binary = globalThis.atob(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
