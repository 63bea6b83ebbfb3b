import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { Progress } from '../../src/engine/progressTracker.js';
import { ProtocolError } from '../../src/errors.js';
import { createServer } from '../../src/server/createServer.js';
import { createFakeClock, settleOn } from '../helpers/fakeClock.js';
import { closeAll, connectClient, ERAS } from '../helpers/pair.js';

afterEach(closeAll);

/** `[progress, total]` pairs `ctx.reportProgress` must refuse (PROTOCOL.md §progress), and what its message names. */
const INVALID: Array<[number, number | undefined, string]> = [
  [NaN, undefined, 'progress must be a finite number, got NaN'],
  [Infinity, 1, 'progress must be a finite number, got Infinity'],
  [-Infinity, undefined, 'progress must be a finite number, got -Infinity'],
  [0.5, NaN, 'total must be a finite number that is not negative, got NaN'],
  [0.5, Infinity, 'total must be a finite number that is not negative, got Infinity'],
  [0.5, -Infinity, 'total must be a finite number that is not negative, got -Infinity'],
  [0.5, -1, 'total must be a finite number that is not negative, got -1'],
];

/** A server whose tool calls `reportProgress` with every invalid pair, then once validly as the marker. */
function setup() {
  const clock = createFakeClock();
  const server = createServer({ name: 's', version: '1' }, { clock });
  const refusals: unknown[] = [];
  server.tool({ name: 'report' }, async (_args, ctx) => {
    for (const [progress, total] of INVALID) {
      await ctx.reportProgress(progress, total).then(
        () => refusals.push('resolved'),
        (error: unknown) => refusals.push(error),
      );
    }
    // The marker: a valid report sent after the refused ones.
    await ctx.reportProgress(1, 0, 'marker');
    return 'done';
  });
  return { clock, server, refusals };
}

function expectRefusals(refusals: unknown[]): void {
  expect(refusals).toHaveLength(INVALID.length);
  refusals.forEach((error, i) => {
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'InvalidParams', message: INVALID[i]![2] });
  });
}

describe.each(ERAS)('ctx.reportProgress refuses values JSON-RPC cannot carry (%s)', (era) => {
  it('rejects a non-finite progress, a non-finite or negative total with InvalidParams, sending nothing', async () => {
    const { clock, server, refusals } = setup();
    const diagnostics: Diagnostic[] = [];
    const client = await connectClient(server, { era, clock, onDiagnostic: (d) => diagnostics.push(d) });
    const seen: Progress[] = [];
    const result = await client.callTool('report', {}, { onProgress: (p) => seen.push(p) });
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'done' }] });
    expectRefusals(refusals);
    // Only the marker crossed the wire: a refused report would arrive first, as an update or as progress-invalid.
    expect(seen).toEqual([{ progress: 1, total: 0, message: 'marker' }]);
    expect(diagnostics).toEqual([]);
  });

  it('rejects them the same way when the caller gave no progress token', async () => {
    const { clock, server, refusals } = setup();
    const client = await connectClient(server, { era, clock });
    const result = await client.callTool('report', {}, { resetTimeoutOnProgress: false });
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'done' }] });
    expectRefusals(refusals);
  });

  it("refuses them in a client's sampling handler too", async () => {
    const clock = createFakeClock();
    const server = createServer({ name: 's', version: '1' }, { clock });
    server.tool({ name: 'ask' }, async (_args, ctx) => {
      await ctx.sample({ messages: [], maxTokens: 1 }, { heartbeatMs: 0 });
      return 'asked';
    });
    const refusals: unknown[] = [];
    const client = await connectClient(server, {
      era,
      clock,
      onSamplingRequest: async (_params, ctx) => {
        for (const [progress, total] of INVALID) {
          await ctx.reportProgress(progress, total).then(
            () => refusals.push('resolved'),
            (error: unknown) => refusals.push(error),
          );
        }
        return { role: 'assistant', content: { type: 'text', text: 'ok' }, model: 'm' };
      },
    });
    // A modern input round asks for its input on a zero-delay timer (PROTOCOL.md §input-rounds): the fake clock fires it.
    expect(await settleOn(clock, client.callTool('ask'))).toMatchObject({ content: [{ type: 'text', text: 'asked' }] });
    expectRefusals(refusals);
  });
});
