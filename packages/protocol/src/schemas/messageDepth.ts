/**
 * How deeply an inbound message may nest objects and arrays, counting the
 * message itself as 1 (so `params` is 2, a tool's `arguments` 3). Deeper
 * messages are refused by `parseMessage` with InvalidRequest (PROTOCOL.md
 * §messages), before any handler, validator or the request-state binding
 * recurses into them: at about 5,000 levels those overflow the stack (and
 * `JSON.stringify` fails), which surfaced as an InternalError. 512 is far
 * deeper than any MCP payload (a tool's JSON Schema nests a few dozen levels)
 * and an order of magnitude below the depth that overflows; peers limit
 * lower still (serde_json refuses past 128).
 */
export const MAX_MESSAGE_DEPTH = 512;

/**
 * Whether `value` nests objects and arrays more than `limit` levels deep
 * (the value itself is level 1). Called by `parseMessage` on every inbound
 * message, so it allocates nothing: it recurses at most `limit` + 1 frames
 * (it stops at the first level past the limit, so no input can overflow the
 * stack).
 */
export function exceedsDepth(value: unknown, limit: number = MAX_MESSAGE_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (exceedsDepth(child, limit - 1)) return true;
    return false;
  }
  // JSON values have no inherited enumerable keys: `for…in` walks the own ones without an array.
  for (const key in value) if (exceedsDepth((value as Record<string, unknown>)[key], limit - 1)) return true;
  return false;
}
