import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMemoryTransportPair, createServer, type Server, type Transport } from '@tidings/protocol';
import { ServerLink } from '../src/serverLink.js';
import type { ServerState } from '../src/serverState.js';
import { waitFor } from '../../../test-support/waitFor.js';

let server: Server | undefined;
let link: ServerLink | undefined;
afterEach(async () => {
  await link?.close();
  await server?.close();
  link = undefined;
  server = undefined;
});

/** A transport whose start fails, as a server that refuses the connection does. */
function refusing(): Transport {
  return {
    start: () => Promise.reject(new Error('connection refused')),
    send: () => Promise.reject(new Error('not started')),
    close: async () => {},
  };
}

/**
 * A link to an in-process server whose attempts are scripted: each attempt
 * takes the next entry of `attempts` (the last one repeats). `drop()` cuts
 * the current connection from the server's side.
 */
function scriptedLink(attempts: Array<'connect' | 'refuse'>, maxAttempts = 10) {
  let serverSide: Transport | undefined;
  const states: ServerState['kind'][] = [];
  link = new ServerLink({
    config: { name: 'inproc', era: undefined, transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp', headers: {} },
    clientInfo: { name: 'c', version: '1' },
    clientOptions: {},
    era: 'modern',
    onNotification: () => {},
    onState: (state) => states.push(state.kind),
    onStderr: () => {},
    env: {},
    connectTimeoutMs: 30_000,
    reconnect: { initialDelayMs: 1, maxDelayMs: 1, maxAttempts },
    restore: async () => {},
    open: () => {
      if ((attempts.length > 1 ? attempts.shift() : attempts[0]) === 'refuse') return refusing();
      const [clientSide, s] = createMemoryTransportPair();
      serverSide = s;
      server!.connect(s);
      return clientSide;
    },
  });
  return {
    link,
    states,
    drop: () => serverSide!.close(),
  };
}

/** A server whose task tool `job` finishes when the test resolves the returned function. */
function taskServer(): () => void {
  let finish!: () => void;
  const gate = new Promise<void>((resolve) => (finish = resolve));
  server = createServer({ name: 's', version: '1' }, { tasks: { ttlMs: 60_000, pollIntervalMs: 20 } });
  server.tool({ name: 'job', input: z.object({}), execution: { taskSupport: 'optional' } }, (_args, ctx) =>
    ctx.runAsTask(async () => {
      await gate;
      return 'done';
    }),
  );
  return finish;
}

describe('a pool server link and the handles of its tasks', () => {
  it('a handle survives a failed reconnect attempt and resolves after a later one succeeds', async () => {
    const finish = taskServer();
    const scripted = scriptedLink(['connect', 'refuse', 'connect']);
    await scripted.link.start();
    expect(scripted.link.state.kind).toBe('ready');
    const task = await scripted.link.client.callTool('job', {}, { task: true });
    let outcome: string | undefined;
    task.result.then(
      () => (outcome = 'resolved'),
      (error: { code?: string }) => (outcome = `rejected ${error.code}`),
    );

    // The first reconnect attempt is refused, the second one connects.
    await scripted.drop();
    await waitFor(() => expect(scripted.link.state).toMatchObject({ kind: 'ready', reconnected: true }));
    expect(scripted.states).toEqual(['ready', 'reconnecting', 'connecting', 'reconnecting', 'connecting', 'ready']);
    expect(outcome).toBeUndefined();

    finish();
    expect((await task.result).content).toEqual([{ type: 'text', text: 'done' }]);
  });

  it('once the link gives up (failed), the handles end with ConnectionClosed instead of waiting forever', async () => {
    taskServer();
    const scripted = scriptedLink(['connect', 'refuse'], 1);
    await scripted.link.start();
    const task = await scripted.link.client.callTool('job', {}, { task: true });
    await scripted.drop();
    await expect(task.result).rejects.toMatchObject({ code: 'ConnectionClosed' });
    expect(scripted.link.state.kind).toBe('failed');
  });
});
