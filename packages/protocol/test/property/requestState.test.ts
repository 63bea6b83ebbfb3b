import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors.js';
import { bindingOf, RequestStateSealer } from '../../src/server/requestState.js';

// Web Crypto work per run: runs are bounded so that each property stays well under 2 s.
const RUNS = { numRuns: 100 };
const EXPIRES = 600_000;

/** Resolves to the opened responses, or to the ProtocolError code it was refused with; anything else fails the property. */
async function outcome(promise: Promise<Record<string, unknown>>): Promise<Record<string, unknown> | string> {
  try {
    return await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).code;
  }
}

const responses = fc.dictionary(fc.constantFrom('user_name', 'sampling-1', 'roots-1', 'x'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
const params = fc.record(
  { name: fc.constantFrom('greet', 'other'), arguments: fc.option(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), { nil: undefined }) },
  { requiredKeys: ['name'] },
);

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** One character of a state replaced by another base64url character (or a dot); often the last, whose low bits are unused. */
const tamper = fc.record({ fromEnd: fc.oneof(fc.constant(1), fc.nat()), by: fc.constantFrom(...BASE64URL.split(''), '.') });

describe('requestState sealing (2026-07-28 mrtr, PROTOCOL.md §input-rounds)', () => {
  it('opens what it sealed, for the same request, until it expires', async () => {
    const sealer = new RequestStateSealer('one key');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('tools/call', 'prompts/get'), params, responses, fc.integer({ min: 0, max: EXPIRES }), async (method, p, r, now) => {
        const binding = bindingOf(method, p);
        const state = await sealer.seal(binding, r, EXPIRES);
        // What the client echoes is JSON, so what comes back is what JSON keeps.
        expect(await outcome(sealer.open(binding, state, now))).toEqual(JSON.parse(JSON.stringify(r)));
        expect(await outcome(sealer.open(binding, state, EXPIRES + 1))).toBe('InvalidParams');
      }),
      RUNS,
    );
  });

  it('refuses, with InvalidParams only, a state altered in any one character, issued for other arguments, or by another key', async () => {
    const sealer = new RequestStateSealer('one key');
    const stranger = new RequestStateSealer('another key');
    await fc.assert(
      fc.asyncProperty(params, params, responses, tamper, async (p, q, r, t) => {
        const binding = bindingOf('tools/call', p);
        const state = await sealer.seal(binding, r, EXPIRES);
        const at = state.length - 1 - ((t.fromEnd - 1) % state.length);
        const altered = state.slice(0, at) + t.by + state.slice(at + 1);
        if (altered !== state) expect(await outcome(sealer.open(binding, altered, 0))).toBe('InvalidParams');
        // Argument order does not matter to the binding; any other difference does.
        if (bindingOf('tools/call', q) !== binding) expect(await outcome(sealer.open(bindingOf('tools/call', q), state, 0))).toBe('InvalidParams');
        expect(await outcome(stranger.open(binding, state, 0))).toBe('InvalidParams');
      }),
      RUNS,
    );
  });

  it('regression: a state whose last character differs only in unused bits is refused (found by the property above)', async () => {
    const sealer = new RequestStateSealer('one key');
    const state = await sealer.seal('b', { a: 1 }, EXPIRES);
    const last = BASE64URL.indexOf(state.at(-1)!);
    // 32 MAC bytes are 43 characters: the last one carries 4 bits, so 4 spellings decode alike.
    for (let low = 0; low < 4; low++) {
      const twin = BASE64URL[(last & ~3) | low]!;
      if (twin !== state.at(-1)) expect(await outcome(sealer.open('b', state.slice(0, -1) + twin, 0))).toBe('InvalidParams');
    }
  });

  it('refuses any forged string with InvalidParams, never another error, never a value', async () => {
    const sealer = new RequestStateSealer(undefined);
    const b64 = fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/);
    const forged = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.tuple(b64, b64).map(([a, b]) => `${a}.${b}`),
      // Valid-looking payloads: base64url JSON with a made-up MAC.
      fc.tuple(fc.jsonValue({ maxDepth: 2 }), b64).map(([j, mac]) => `${Buffer.from(JSON.stringify(j) ?? '').toString('base64url')}.${mac}`),
      fc.constantFrom('', '.', '..', '=.=', 'a'.repeat(256 * 1024 + 1), `${'A'.repeat(10)}.${'A'.repeat(300_000)}`),
    );
    await fc.assert(
      fc.asyncProperty(forged, async (state) => {
        expect(await outcome(sealer.open(bindingOf('tools/call', { name: 'greet' }), state, 0))).toBe('InvalidParams');
      }),
      RUNS,
    );
  });
});
