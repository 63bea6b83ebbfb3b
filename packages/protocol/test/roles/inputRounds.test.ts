import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient } from '../../src/client/createClient.js';
import { answerInputRequests } from '../../src/client/inputRequests.js';
import { META } from '../../src/constants.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { createServer } from '../../src/server/createServer.js';
import type { Server } from '../../src/server/createServer.js';
import { createFakeClock, settleOn, type FakeClock } from '../helpers/fakeClock.js';

const MODERN = '2026-07-28';
const clientInfo = { name: 'raw', version: '1' };

/**
 * A server whose tool needs a name (elicitation), an answer (sampling) and the roots, then a color;
 * on a fake clock, which fires the zero-delay timer a modern input round answers on (see settleOn).
 */
function createAskingServer(options: { requestStateSecret?: string } = {}): { server: Server; runs: () => number; clock: FakeClock } {
  const clock = createFakeClock();
  const server = createServer({ name: 's', version: '1' }, { ...options, clock });
  let runs = 0;
  server.tool({ name: 'greet', input: z.object({ style: z.string() }) }, async ({ style }, ctx) => {
    runs++;
    const [person, sampled, roots] = await Promise.all([
      ctx.elicit({ message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } }, { key: 'user_name' }),
      ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'A greeting?' } }], maxTokens: 10 }),
      ctx.listRoots(),
    ]);
    const color = await ctx.elicit({ message: 'Favourite color?', requestedSchema: { type: 'object', properties: { color: { type: 'string' } } } });
    const greeting = Array.isArray(sampled.content) ? '' : sampled.content.type === 'text' ? sampled.content.text : '';
    return `${style}: ${greeting} ${String(person.content?.name)} (${String(color.content?.color)}) in ${roots.map((r) => r.name).join(',')}`;
  });
  server.prompt({ name: 'briefing' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'Context?', requestedSchema: { type: 'object', properties: { context: { type: 'string' } } } });
    return { messages: [{ role: 'user', content: { type: 'text', text: `brief on ${String(answer.content?.context)}` } }] };
  });
  return { server, runs: () => runs, clock };
}

function createAnsweringClient(era: 'legacy' | 'modern') {
  const colors = ['teal'];
  return createClient(
    { name: 'c', version: '1' },
    {
      era,
      roots: [{ uri: 'file:///work', name: 'work' }],
      onSamplingRequest: () => ({ role: 'assistant', content: { type: 'text', text: 'Hello' }, model: 'm' }),
      onElicitationRequest: (params) => {
        const answers: Record<string, Record<string, string>> = { 'Your name?': { name: 'Ada' }, 'Context?': { context: 'tides' } };
        return { action: 'accept', content: answers[params.message] ?? { color: colors[0]! } };
      },
    },
  );
}

describe('ctx.elicit / ctx.sample / ctx.listRoots: one API in both eras', () => {
  for (const era of ['legacy', 'modern'] as const) {
    it(`${era}: the tool gets every answer from the client's handlers and completes`, async () => {
      const { server, runs, clock } = createAskingServer();
      const client = createAnsweringClient(era);
      const [a, b] = createMemoryTransportPair();
      server.connect(b);
      await client.connect(a);
      const result = await settleOn(clock, client.callTool('greet', { style: 'warm' }));
      expect(result.content).toEqual([{ type: 'text', text: 'warm: Hello Ada (teal) in work' }]);
      // Legacy: server→client requests in one run. Modern: a run per round (three inputs at once, then the color, then done).
      expect(runs()).toBe(era === 'legacy' ? 1 : 3);
      const prompt = await settleOn(clock, client.getPrompt('briefing'));
      expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'brief on tides' } }]);
      await client.close();
      await server.close();
    });
  }
});

/** A raw modern wire to the server (on `clock`), for what the client would hide; each call resolves with its answer. */
async function rawModern(server: Server, clock: FakeClock, capabilities: Record<string, unknown> = { elicitation: {}, sampling: {}, roots: {} }) {
  const [a, b] = createMemoryTransportPair();
  const waiting = new Map<unknown, (answer: Record<string, unknown>) => void>();
  a.start({
    message: (data) => {
      const message = (typeof data === 'string' ? JSON.parse(data) : data) as Record<string, unknown>;
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    },
    closed: () => {},
    error: () => {},
  });
  server.connect(b);
  let id = 0;
  return async (method: string, params: Record<string, unknown>) => {
    const requestId = ++id;
    const meta = { [META.protocolVersion]: MODERN, [META.clientInfo]: clientInfo, [META.clientCapabilities]: capabilities };
    const answer = new Promise<Record<string, unknown>>((resolve) => waiting.set(requestId, resolve));
    await a.send(JSON.stringify({ jsonrpc: '2.0', id: requestId, method, params: { ...params, _meta: meta } }));
    return settleOn(clock, answer);
  };
}

describe('modern multi round-trip requests on the wire (2026-07-28 mrtr)', () => {
  it('answers with input_required naming every input asked together, keyed as asked, with a requestState', async () => {
    const { server, clock } = createAskingServer();
    const send = await rawModern(server, clock);
    const first = await send('tools/call', { name: 'greet', arguments: { style: 'warm' } });
    expect(first.result).toMatchObject({
      resultType: 'input_required',
      inputRequests: {
        user_name: { method: 'elicitation/create', params: { message: 'Your name?' } },
        'sampling-1': { method: 'sampling/createMessage' },
        'roots-1': { method: 'roots/list', params: {} },
      },
      requestState: expect.any(String),
    });
    await server.close();
  });

  it('carries earlier answers in requestState: round 3 sends only the last answer and completes', async () => {
    const { server, clock } = createAskingServer();
    const send = await rawModern(server, clock);
    const args = { name: 'greet', arguments: { style: 'dry' } };
    const r1 = (await send('tools/call', args)).result as Record<string, unknown>;
    const r2 = (
      await send('tools/call', {
        ...args,
        requestState: r1.requestState,
        inputResponses: {
          user_name: { action: 'accept', content: { name: 'Bo' } },
          'sampling-1': { role: 'assistant', content: { type: 'text', text: 'Hi' }, model: 'm' },
          'roots-1': { roots: [{ uri: 'file:///x', name: 'x' }] },
          unrelated: { ignored: true },
        },
      })
    ).result as Record<string, unknown>;
    expect(r2).toMatchObject({ resultType: 'input_required', inputRequests: { 'elicitation-1': { method: 'elicitation/create' } } });
    expect(Object.keys(r2.inputRequests as object)).toEqual(['elicitation-1']);
    const r3 = await send('tools/call', { ...args, requestState: r2.requestState, inputResponses: { 'elicitation-1': { action: 'accept', content: { color: 'red' } } } });
    expect(r3.result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'dry: Hi Bo (red) in x' }] });
  });

  it('asks again for an input the retry left out, rather than failing', async () => {
    const { server, clock } = createAskingServer();
    const send = await rawModern(server, clock);
    const again = await send('tools/call', { name: 'greet', arguments: { style: 'x' }, inputResponses: { wrong_key: { action: 'accept' } } });
    expect(again.result).toMatchObject({ resultType: 'input_required', inputRequests: { user_name: { method: 'elicitation/create' } } });
  });

  it('refuses a tampered requestState, one issued for other arguments, and one sealed by another key, with −32602', async () => {
    const { server, clock } = createAskingServer({ requestStateSecret: 'one key' });
    const send = await rawModern(server, clock);
    const args = { name: 'greet', arguments: { style: 'warm' } };
    const state = ((await send('tools/call', args)).result as { requestState: string }).requestState;
    const flipped = state.slice(0, 5) + (state[5] === 'A' ? 'B' : 'A') + state.slice(6);
    for (const [params, why] of [
      [{ ...args, requestState: flipped }, 'integrity'],
      [{ name: 'greet', arguments: { style: 'cold' }, requestState: state }, 'integrity'],
      [{ ...args, requestState: 'not-a-state' }, 'integrity'],
      [{ ...args, requestState: 42 }, 'must be a string'],
      [{ ...args, inputResponses: ['not', 'a', 'map'] }, 'inputResponses must be an object'],
    ] as const) {
      const answer = await send('tools/call', params);
      expect(answer.error, why).toMatchObject({ code: -32602, message: expect.stringContaining(why) });
    }
    const { server: other, clock: otherClock } = createAskingServer({ requestStateSecret: 'another key' });
    const sendOther = await rawModern(other, otherClock);
    expect((await sendOther('tools/call', { ...args, requestState: state })).error).toMatchObject({ code: -32602 });
  });

  it('validates each input response against its request type', async () => {
    const { server, clock } = createAskingServer();
    const send = await rawModern(server, clock);
    const answer = await send('tools/call', { name: 'greet', arguments: { style: 'x' }, inputResponses: { user_name: { action: 'maybe' } } });
    expect(answer.error).toMatchObject({ code: -32602 });
  });

  it('never asks what the client did not declare: −32021 with the capability it needs', async () => {
    const { server, clock } = createAskingServer();
    const send = await rawModern(server, clock, { sampling: {}, roots: {} });
    const answer = await send('tools/call', { name: 'greet', arguments: { style: 'x' } });
    expect(answer.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { elicitation: {} } } });
  });

  it('keeps input requests to the methods that may carry them: a custom method gets a clear error', async () => {
    const clock = createFakeClock();
    const server = createServer({ name: 's', version: '1' }, { clock });
    server.setRequestHandler('custom/ask', z.object({}).passthrough(), async (_params, ctx) => {
      await ctx.elicit({ message: 'x', requestedSchema: { type: 'object', properties: {} } });
      return {};
    });
    const send = await rawModern(server, clock);
    const answer = await send('custom/ask', {});
    expect(answer.error).toMatchObject({ message: expect.stringContaining('only tools/call, prompts/get and resources/read') });
  });
});

describe('input rounds are bounded', () => {
  it('a handler asking for more than 256 inputs in one round gets an error, not an unbounded answer', async () => {
    const clock = createFakeClock();
    const server = createServer({ name: 's', version: '1' }, { clock });
    server.tool({ name: 'greedy' }, async (_args, ctx) => {
      await Promise.all(Array.from({ length: 300 }, () => ctx.listRoots()));
      return 'never';
    });
    const send = await rawModern(server, clock);
    const answer = await send('tools/call', { name: 'greedy', arguments: {} });
    expect(answer.error).toMatchObject({ code: -32603, message: expect.stringContaining('at most 256 inputs') });
  });

  it('a client refuses a round with more than 256 input requests', async () => {
    const many = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`roots-${i}`, { method: 'roots/list' }]));
    await expect(answerInputRequests(many, async () => ({ roots: [] }), undefined)).rejects.toMatchObject({ code: 'InvalidParams' });
    await expect(answerInputRequests({ a: { method: 'roots/list' } }, async () => ({ roots: [] }), undefined)).resolves.toEqual({ a: { roots: [] } });
  });
});
