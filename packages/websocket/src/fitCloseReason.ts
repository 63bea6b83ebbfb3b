/** RFC 6455 §5.5: a close frame's body is at most 125 bytes, 2 of them the code. */
const MAX_CLOSE_REASON_BYTES = 123;

const encoder = new TextEncoder();

/** UTF-8 length of a string, with no Node `Buffer` (the client entry runs in browsers). */
function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Shortens a close reason to 123 bytes without splitting a character (an
 * invalid UTF-8 reason is a protocol error, and a browser's `close()` throws
 * on a longer one). Called by both socket transports before every close.
 */
export function fitCloseReason(reason: string): string {
  if (utf8Length(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let fitted = '';
  let bytes = 0;
  for (const char of reason) {
    const size = utf8Length(char);
    if (bytes + size > MAX_CLOSE_REASON_BYTES) break;
    fitted += char;
    bytes += size;
  }
  return fitted;
}
