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
 * message; walks with an explicit stack, so no depth of input can overflow
 * it, and stops at the first level past the limit.
 */
export function exceedsDepth(value: unknown, limit: number = MAX_MESSAGE_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
