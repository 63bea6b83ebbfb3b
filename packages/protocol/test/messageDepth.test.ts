import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { META } from '../src/constants.js';
import type { Diagnostic } from '../src/diagnostics.js';
import { ERROR_CODES, ProtocolError } from '../src/errors.js';
import { createMemoryTransportPair } from '../src/memoryTransport.js';
import { exceedsDepth, MAX_MESSAGE_DEPTH } from '../src/schemas/messageDepth.js';
import { parseMessage } from '../src/schemas/jsonrpc.js';
import { createServer, type Server } from '../src/server/createServer.js';
import { createFakeClock, type FakeClock } from './helpers/fakeClock.js';
import { attachRawPeer, type RawPeer } from './helpers/rawPeer.js';

/** JSON text of arrays nested `depth` deep (`[[[1]]]` is 3), built as text: `JSON.stringify` itself fails near 5,000. */
const nestedText = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/** A modern tools/call whose `arguments.tree` holds arrays nested `depth` deep: the message is `depth + 3` deep. */
const deepCallText = (id: number, depth: number): string =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"ask","arguments":{"tree":${nestedText(depth)}},` +
  `"_meta":${JSON.stringify(envelope)}}}`;

const envelope = { [META.protocolVersion]: '2026-07-28', [META.clientCapabilities]: { elicitation: {} } };

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A modern server whose tool asks for input (an input round binds the arguments into the request state). */
function connect(): { clock: FakeClock; peer: RawPeer; diagnostics: Diagnostic[] } {
  const clock = createFakeClock();
  const diagnostics: Diagnostic[] = [];
  const server = createServer({ name: 's', version: '1' }, { clock, onDiagnostic: (d) => diagnostics.push(d), requestStateSecret: 'one key' });
  server.tool({ name: 'ask', input: z.object({ tree: z.unknown() }) }, async (_args, ctx) => {
    await ctx.elicit({ message: 'Sure?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } });
    return 'done';
  });
  servers.push(server);
  const [clientSide, serverSide] = createMemoryTransportPair();
  server.connect(serverSide);
  return { clock, diagnostics, peer: attachRawPeer(clientSide) };
}

/** Turns the loop and the fake clock until `id` is answered (sealing uses Web Crypto, off the event loop). */
async function answerTo(peer: RawPeer, clock: FakeClock, id: number): Promise<Record<string, any>> {
  const deadline = Date.now() + 5000;
  while (!peer.responseTo(id)) {
    if (Date.now() > deadline) throw new Error(`request ${id} was never answered`);
    await clock.advance(0);
  }
  return peer.responseTo(id)!;
}

describe('inbound nesting depth', () => {
  it('counts the value itself as level 1 and walks any depth without recursion', () => {
    expect(exceedsDepth(1, 0)).toBe(false);
    expect(exceedsDepth({}, 1)).toBe(false);
    expect(exceedsDepth({ a: [] }, 1)).toBe(true);
    expect(exceedsDepth(JSON.parse(nestedText(MAX_MESSAGE_DEPTH)))).toBe(false);
    expect(exceedsDepth(JSON.parse(nestedText(MAX_MESSAGE_DEPTH + 1)))).toBe(true);
    expect(exceedsDepth(JSON.parse(nestedText(100_000)))).toBe(true);
  });

  it('any nesting of objects and arrays parses when within the limit and is an InvalidRequest past it, never a crash', () => {
    // Each level is an array or an object member; the message itself and `params` are levels 1 and 2.
    const levels = fc.array(fc.boolean(), { minLength: 0, maxLength: 3 * MAX_MESSAGE_DEPTH });
    fc.assert(
      fc.property(levels, fc.boolean(), (kinds, asRequest) => {
        let inner = '1';
        for (const isArray of kinds) inner = isArray ? `[${inner}]` : `{"k":${inner}}`;
        const text = asRequest ? `{"jsonrpc":"2.0","id":7,"method":"m","params":{"v":${inner}}}` : `{"jsonrpc":"2.0","id":7,"result":{"v":${inner}}}`;
        const depth = kinds.length + 2;
        if (depth <= MAX_MESSAGE_DEPTH) {
          expect(parseMessage(text)).toMatchObject({ id: 7 });
          return;
        }
        expect(() => parseMessage(text)).toThrow(expect.objectContaining({ code: 'InvalidRequest', data: asRequest ? expect.objectContaining({ id: 7 }) : expect.anything() }));
      }),
      { numRuns: 200 },
    );
  });

  it('parseMessage refuses a message past the limit with InvalidRequest that keeps a request\'s id', () => {
    const atLimit = `{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":${nestedText(MAX_MESSAGE_DEPTH - 2)}}}`;
    expect(parseMessage(atLimit)).toMatchObject({ id: 1, method: 'x' });
    const tooDeep = `{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":${nestedText(MAX_MESSAGE_DEPTH - 1)}}}`;
    const error = (() => {
      try {
        parseMessage(tooDeep);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'InvalidRequest', data: { id: 1 } });
    expect((error as Error).message).toContain(`more than ${MAX_MESSAGE_DEPTH} levels deep`);
    // A response is never answered, so its id is not passed on; a notification has none.
    expect(() => parseMessage(`{"jsonrpc":"2.0","id":1,"result":{"a":${nestedText(MAX_MESSAGE_DEPTH)}}}`)).toThrow(
      expect.objectContaining({ code: 'InvalidRequest', data: expect.not.objectContaining({ id: 1 }) }),
    );
    expect(() => parseMessage(`{"jsonrpc":"2.0","method":"n","params":{"a":${nestedText(MAX_MESSAGE_DEPTH)}}}`)).toThrow(
      expect.objectContaining({ code: 'InvalidRequest' }),
    );
  });

  it('a modern input round over the memory pair answers tool arguments 5,000 deep with −32600, not −32603, and keeps serving', async () => {
    const { clock, diagnostics, peer } = connect();
    await peer.sendText(deepCallText(1, 5000));
    const refused = await answerTo(peer, clock, 1);
    expect(refused.error).toMatchObject({ code: ERROR_CODES.InvalidRequest });
    expect(refused.error.message).toContain(`more than ${MAX_MESSAGE_DEPTH} levels deep`);
    expect(diagnostics.map((d) => d.kind)).toEqual(['invalid-message']);

    // Just under the limit the same call runs its input round, and the connection still works.
    await peer.sendText(deepCallText(2, MAX_MESSAGE_DEPTH - 3));
    const asked = await answerTo(peer, clock, 2);
    expect(asked.result).toMatchObject({ resultType: 'input_required' });
    expect(diagnostics.filter((d) => d.kind === 'handler-error')).toEqual([]);
  });
});
