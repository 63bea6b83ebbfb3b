import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconnectDelay, reconnectPolicy } from '../../src/client/reconnectPolicy.js';

/** The longest delay a Node timer takes; a longer one fires after 1 ms (TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2 ** 31 - 1;

describe('reconnect delay', () => {
  it('for any retry a server sends, is a delay a timer can wait, never shorter than that retry, growing with the attempts', () => {
    // What readSseStream can hand over for `retry: <digits>`: small values, values past 2^31, and Infinity for long digit strings.
    const serverRetry = fc.option(fc.oneof(fc.nat(5000), fc.integer({ min: MAX_TIMER_MS - 2, max: Number.MAX_SAFE_INTEGER }), fc.constant(Number.parseInt('9'.repeat(400), 10))), { nil: undefined });
    const options = fc.record({ initialDelayMs: fc.nat(5000), maxDelayMs: fc.nat(60_000), maxRetries: fc.nat(10) }, { requiredKeys: [] });
    fc.assert(
      fc.property(options, fc.nat(60), serverRetry, (given, attempt, retry) => {
        const policy = reconnectPolicy(given);
        const delay = reconnectDelay(policy, attempt, retry);
        expect(Number.isInteger(delay) && delay >= 0 && delay <= MAX_TIMER_MS).toBe(true);
        // The client must wait at least the server's retry (2025-11-25 transports §sending messages, item 6), as far as a timer can.
        if (retry !== undefined) expect(delay).toBeGreaterThanOrEqual(Math.min(retry, MAX_TIMER_MS));
        else expect(delay).toBeLessThanOrEqual(Math.max(policy.maxDelayMs, 0));
        expect(reconnectDelay(policy, attempt + 1, retry)).toBeGreaterThanOrEqual(delay);
      }),
      { numRuns: 200 },
    );
  });

  it('regression: a retry past 2^31 − 1 ms waits as long as a timer can, not 1 ms (found by the property above)', () => {
    const policy = reconnectPolicy();
    for (const retry of [2 ** 31, Number.MAX_SAFE_INTEGER, Infinity]) expect(reconnectDelay(policy, 0, retry)).toBe(MAX_TIMER_MS);
  });
});
