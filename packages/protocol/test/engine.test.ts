import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import { createEngine, type Engine, type EngineHandler } from '../src/engine/createEngine.js';
import type { Progress } from '../src/engine/progressTracker.js';
import { ProtocolError } from '../src/errors.js';
import { createMemoryTransportPair } from '../src/memoryTransport.js';
import { createFakeClock, flush, type FakeClock } from './helpers/fakeClock.js';
import { attachRawPeer, type RawPeer } from './helpers/rawPeer.js';

const idle: EngineHandler = { request: () => ({}), notification: () => {} };

let engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.map((e) => e.close()));
  engines = [];
});

function setup(handler: EngineHandler = idle): { clock: FakeClock; engine: Engine; peer: RawPeer; diagnostics: Diagnostic[] } {
  const clock = createFakeClock();
  const [a, b] = createMemoryTransportPair();
  const diagnostics: Diagnostic[] = [];
  // Ids from 0 here, so every test also proves that 0 is a real id.
  let nextId = 0;
  const engine = createEngine({ transport: a, handler, clock, onDiagnostic: (d) => diagnostics.push(d), generateId: () => nextId++ });
  engines.push(engine);
  return { clock, engine, peer: attachRawPeer(b), diagnostics };
}

const settledState = async (promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> => {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(() => (state = 'resolved'), () => (state = 'rejected'));
  await flush();
  return state;
};

describe('outbound request timeouts', () => {
  it('times out at exactly `timeout` and cancels with the request id and a reason', async () => {
    const { clock, engine, peer } = setup();
    const result = engine.request('tools/call', { name: 'x' }, { timeout: 1000 });
    result.catch(() => {});
    await clock.advance(999);
    expect(await settledState(result)).toBe('pending');
    await clock.advance(1);
    await expect(result).rejects.toMatchObject({ code: 'RequestTimeout' });
    const [cancelled] = peer.ofMethod('notifications/cancelled');
    expect(cancelled?.params).toMatchObject({ requestId: 0 });
    expect(cancelled?.params.reason).toMatch(/timed out after 1000 ms/);
    expect(clock.pendingTimers).toBe(0);
  });

  it.each([
    ['with onProgress', true],
    ['without onProgress', false],
  ])('re-arms the timeout on each progress notification (%s)', async (_, withCallback) => {
    const { clock, engine, peer } = setup();
    const seen: Progress[] = [];
    const result = engine.request('tools/call', {}, {
      timeout: 1000,
      ...(withCallback ? { onProgress: (p: Progress) => seen.push(p) } : {}),
    });
    result.catch(() => {});
    await flush();
    const token = peer.received[0]?.params._meta.progressToken;
    expect(token).toBeDefined();
    for (let i = 1; i <= 5; i++) {
      await clock.advance(900);
      await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: i } });
      await flush();
    }
    await clock.advance(999);
    expect(await settledState(result)).toBe('pending');
    await clock.advance(1);
    await expect(result).rejects.toMatchObject({ code: 'RequestTimeout' });
    if (withCallback) expect(seen.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not re-arm when resetTimeoutOnProgress is false', async () => {
    const { clock, engine, peer } = setup();
    const result = engine.request('tools/call', {}, { timeout: 1000, resetTimeoutOnProgress: false, onProgress: () => {} });
    result.catch(() => {});
    await flush();
    const token = peer.received[0]?.params._meta.progressToken;
    await clock.advance(900);
    await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1 } });
    await clock.advance(100);
    await expect(result).rejects.toMatchObject({ code: 'RequestTimeout' });
  });

  it('enforces maxTotalTimeout under steady progress', async () => {
    const { clock, engine, peer } = setup();
    const result = engine.request('tools/call', {}, { timeout: 1000, maxTotalTimeout: 5000 });
    result.catch(() => {});
    await flush();
    const token = peer.received[0]?.params._meta.progressToken;
    for (let i = 1; i <= 9; i++) {
      await clock.advance(500);
      await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: i } });
    }
    await clock.advance(499);
    expect(await settledState(result)).toBe('pending');
    await clock.advance(1);
    await expect(result).rejects.toMatchObject({ code: 'RequestTimeout', data: { kind: 'total', timeout: 5000 } });
    expect(peer.ofMethod('notifications/cancelled')[0]?.params).toMatchObject({ requestId: 0 });
  });

  it('enforces maxTotalTimeout with no progress at all', async () => {
    const { clock, engine } = setup();
    const result = engine.request('tools/call', {}, { timeout: Infinity, maxTotalTimeout: 5000 });
    result.catch(() => {});
    await clock.advance(4999);
    expect(await settledState(result)).toBe('pending');
    await clock.advance(1);
    await expect(result).rejects.toMatchObject({ code: 'RequestTimeout', data: { kind: 'total' } });
  });
});

describe('cancellation', () => {
  it('an abort through `signal` rejects and sends notifications/cancelled with the reason', async () => {
    const { engine, peer } = setup();
    const controller = new AbortController();
    const result = engine.request('tools/call', {}, { signal: controller.signal });
    result.catch(() => {});
    await flush();
    controller.abort(new Error('user pressed stop'));
    await expect(result).rejects.toMatchObject({ code: 'RequestCancelled' });
    await flush();
    expect(peer.ofMethod('notifications/cancelled')[0]?.params).toEqual({ requestId: 0, reason: 'user pressed stop' });
  });

  it('never sends a cancellation for initialize, neither on timeout nor on abort', async () => {
    const { clock, engine, peer } = setup();
    const controller = new AbortController();
    const first = engine.request('initialize', {}, { timeout: 100 });
    const second = engine.request('initialize', {}, { signal: controller.signal });
    first.catch(() => {});
    second.catch(() => {});
    await clock.advance(100);
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: 'RequestTimeout' });
    await expect(second).rejects.toMatchObject({ code: 'RequestCancelled' });
    await flush();
    expect(peer.ofMethod('notifications/cancelled')).toEqual([]);
  });

  it('a late response to a cancelled request is ignored', async () => {
    const { engine, peer, diagnostics } = setup();
    const controller = new AbortController();
    const result = engine.request('tools/call', {}, { signal: controller.signal });
    result.catch(() => {});
    controller.abort();
    await peer.send({ jsonrpc: '2.0', id: 0, result: {} });
    await flush();
    await expect(result).rejects.toMatchObject({ code: 'RequestCancelled' });
    expect(diagnostics).toContainEqual({ kind: 'response-unknown-id', id: 0 });
  });

  it('the peer cancelling our handler aborts its signal and no response is sent', async () => {
    let signal: AbortSignal | undefined;
    const { peer } = setup({
      request: (_m, ctx) => {
        signal = ctx.signal;
        return new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ late: true })));
      },
      notification: () => {},
    });
    await peer.send({ jsonrpc: '2.0', id: 0, method: 'tools/call', params: {} });
    await flush();
    await peer.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 0, reason: 'stop' } });
    await flush();
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as ProtocolError).message).toBe('stop');
    expect(peer.responseTo(0)).toBeUndefined();
  });
});

describe('request id 0 and progress tokens', () => {
  it('an outbound request with id 0 is resolved by its response', async () => {
    const { engine, peer } = setup();
    const result = engine.request('ping');
    await flush();
    expect(peer.received[0]).toMatchObject({ id: 0, method: 'ping' });
    await peer.send({ jsonrpc: '2.0', id: 0, result: { ok: 1 } });
    await expect(result).resolves.toEqual({ ok: 1 });
  });

  it('an inbound request with id 0 is answered with id 0', async () => {
    const { peer } = setup({ request: () => ({ pong: true }), notification: () => {} });
    await peer.send({ jsonrpc: '2.0', id: 0, method: 'ping' });
    await flush();
    expect(peer.responseTo(0)).toEqual({ jsonrpc: '2.0', id: 0, result: { pong: true } });
  });

  it('uses a caller-supplied string token as given and keeps other _meta', async () => {
    const { engine, peer } = setup();
    const seen: number[] = [];
    const result = engine.request('tools/call', { _meta: { trace: 'x' } }, { progressToken: 'my-token', onProgress: (p) => seen.push(p.progress) });
    await flush();
    expect(peer.received[0]?.params._meta).toEqual({ trace: 'x', progressToken: 'my-token' });
    await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'my-token', progress: 1 } });
    await peer.send({ jsonrpc: '2.0', id: 0, result: {} });
    await result;
    expect(seen).toEqual([1]);
  });

  it('refuses a caller token that an active request already uses', async () => {
    const { engine } = setup();
    engine.request('a', {}, { progressToken: 't' }).catch(() => {});
    await expect(engine.request('b', {}, { progressToken: 't' })).rejects.toMatchObject({ code: 'InvalidParams' });
  });

  it('delivers 1,000 progress notifications sent right before the response, in order, before it resolves', async () => {
    const { engine, peer } = setup();
    const seen: number[] = [];
    let resolvedAfter = -1;
    const result = engine.request('tools/call', {}, { onProgress: (p) => seen.push(p.progress) }).then((r) => {
      resolvedAfter = seen.length;
      return r;
    });
    await flush();
    const token = peer.received[0]?.params._meta.progressToken;
    for (let i = 1; i <= 1000; i++) {
      void peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: i, total: 1000 } });
    }
    void peer.send({ jsonrpc: '2.0', id: 0, result: { done: true } });
    await expect(result).resolves.toEqual({ done: true });
    expect(resolvedAfter).toBe(1000);
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('drops non-increasing and unknown-token progress and reports it; late progress is dropped silently', async () => {
    const { engine, peer, diagnostics } = setup();
    const seen: number[] = [];
    const result = engine.request('tools/call', {}, { onProgress: (p) => seen.push(p.progress) });
    await flush();
    const token = peer.received[0]?.params._meta.progressToken;
    const progress = (progressToken: unknown, value: number) =>
      peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken, progress: value } });
    await progress(token, 5);
    await progress(token, 5);
    await progress(token, 3);
    await progress('nobody', 1);
    await progress(token, 6);
    await peer.send({ jsonrpc: '2.0', id: 0, result: {} });
    await result;
    await progress(token, 7);
    await flush();
    expect(seen).toEqual([5, 6]);
    expect(diagnostics).toEqual([
      { kind: 'progress-not-increasing', progressToken: token, progress: 5, previous: 5 },
      { kind: 'progress-not-increasing', progressToken: token, progress: 3, previous: 5 },
      { kind: 'progress-unknown-token', progressToken: 'nobody' },
    ]);
  });
});

describe('sending progress', () => {
  it('refuses non-increasing progress and goes quiet after the response', async () => {
    let finish!: () => void;
    const outcomes: unknown[] = [];
    let context: import('../src/engine/inboundRequest.js').InboundRequestContext | undefined;
    const { peer } = setup({
      request: async (_m, ctx) => {
        context = ctx;
        await ctx.reportProgress(1, 10, 'one');
        await ctx.reportProgress(1).catch((e: unknown) => outcomes.push(e));
        await ctx.reportProgress(0.5).catch((e: unknown) => outcomes.push(e));
        await ctx.reportProgress(2);
        await new Promise<void>((resolve) => (finish = resolve));
        return {};
      },
      notification: () => {},
    });
    await peer.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { _meta: { progressToken: 'p' } } });
    await flush();
    finish();
    await flush();
    await context!.reportProgress(3);
    await context!.notify('custom/after');
    await flush();
    expect(outcomes).toHaveLength(2);
    for (const e of outcomes) expect(e).toMatchObject({ code: 'InvalidParams' });
    expect(peer.ofMethod('notifications/progress').map((m) => m.params)).toEqual([
      { progressToken: 'p', progress: 1, total: 10, message: 'one' },
      { progressToken: 'p', progress: 2 },
    ]);
    expect(peer.ofMethod('custom/after')).toEqual([]);
    expect(peer.responseTo(7)).toEqual({ jsonrpc: '2.0', id: 7, result: {} });
  });

  it('is a no-op without a progress token', async () => {
    const { peer } = setup({
      request: async (_m, ctx) => {
        await ctx.reportProgress(1);
        return {};
      },
      notification: () => {},
    });
    await peer.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} });
    await flush();
    expect(peer.ofMethod('notifications/progress')).toEqual([]);
    expect(peer.responseTo(1)).toBeDefined();
  });
});

describe('default ids', () => {
  it('start at 1 and never repeat', async () => {
    const [a, b] = createMemoryTransportPair();
    const engine = createEngine({ transport: a, handler: idle });
    engines.push(engine);
    const peer = attachRawPeer(b);
    for (let i = 0; i < 3; i++) engine.request('ping').catch(() => {});
    await flush();
    expect(peer.received.map((m) => m.id)).toEqual([1, 2, 3]);
  });
});

describe('inbound errors', () => {
  it('answers malformed JSON with −32700 and keeps working', async () => {
    const { peer } = setup({ request: () => ({ ok: true }), notification: () => {} });
    await peer.sendText('{not json');
    await peer.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await flush();
    expect(peer.received[0]).toMatchObject({ id: null, error: { code: -32700 } });
    expect(peer.responseTo(1)).toMatchObject({ result: { ok: true } });
  });

  it('answers a thrown handler exception with InternalError and hides its message', async () => {
    const diagnostics: Diagnostic[] = [];
    const [a, b] = createMemoryTransportPair();
    engines.push(
      createEngine({
        transport: a,
        handler: { request: () => { throw new Error('secret detail'); }, notification: () => {} },
        onDiagnostic: (d) => diagnostics.push(d),
      }),
    );
    const peer = attachRawPeer(b);
    await peer.send({ jsonrpc: '2.0', id: 1, method: 'x' });
    await flush();
    expect(peer.responseTo(1)).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'Internal error' } });
    expect(diagnostics.map((d) => d.kind)).toEqual(['handler-error']);
  });

  it('rejects pending requests with ConnectionClosed when the peer goes away', async () => {
    const { engine } = setup();
    const [, b] = [0, engine.transport];
    const result = engine.request('tools/call', {});
    await b.close();
    await expect(result).rejects.toMatchObject({ code: 'ConnectionClosed' });
  });
});
