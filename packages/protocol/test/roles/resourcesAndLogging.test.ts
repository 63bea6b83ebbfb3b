import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer } from '../../src/server/createServer.js';
import type { LoggingLevel } from '../../src/schemas/primitives.js';
import { sendMarker, watchMarkers } from '../../../../test-support/marker.js';
import { createDemoServer } from '../helpers/demoServer.js';
import { closeAll, connectClient, ERAS, waitFor } from '../helpers/pair.js';

afterEach(closeAll);

describe.each(ERAS)('resources/updated (%s)', (era) => {
  it('reaches subscribers only, and nothing after unsubscribe', async () => {
    const server = createDemoServer();
    const subscriber: string[] = [];
    const bystander: string[] = [];
    const a = await connectClient(server, { era });
    a.on('notifications/resources/updated', (p) => subscriber.push(p.uri));
    const markers = [watchMarkers(a)];
    const b = await connectClient(server, { era });
    b.on('notifications/resources/updated', (p) => bystander.push(p.uri));
    markers.push(watchMarkers(b));
    await a.subscribe('test://watched');
    await a.listening();
    await b.listening();

    expect(await server.resourceUpdated('test://watched')).toBe(1);
    expect(await server.resourceUpdated('test://other')).toBe(0);
    await waitFor(() => expect(subscriber).toEqual(['test://watched']));

    await a.unsubscribe('test://watched');
    expect(await server.resourceUpdated('test://watched')).toBe(0);
    // Each connection keeps its order: once the marker is in, an update sent before it would be too.
    expect(await sendMarker(server, markers)).toBe(2);
    expect(subscriber).toEqual(['test://watched']);
    expect(bystander).toEqual([]);
  });
});

function loggingServer() {
  const server = createServer({ name: 'logger', version: '1.0.0' });
  server.tool({ name: 'log_all', input: z.object({}) }, async (_args, ctx) => {
    for (const level of ['debug', 'info', 'notice', 'warning', 'error'] as const) await ctx.log(level, `at ${level}`);
    return 'logged';
  });
  return server;
}

describe('logging', () => {
  it('legacy: setLevel(warning) filters out debug and info (and notice)', async () => {
    const levels: LoggingLevel[] = [];
    const client = await connectClient(loggingServer(), { era: 'legacy' });
    client.on('notifications/message', (p) => levels.push(p.level));
    await client.callTool('log_all', {});
    expect(levels).toEqual(['debug', 'info', 'notice', 'warning', 'error']);
    levels.length = 0;
    await client.setLogLevel('warning');
    await client.callTool('log_all', {});
    expect(levels).toEqual(['warning', 'error']);
  });

  it('modern: logs appear only on requests that carried logLevel, at that level and above', async () => {
    const levels: LoggingLevel[] = [];
    const client = await connectClient(loggingServer(), { era: 'modern' });
    client.on('notifications/message', (p) => levels.push(p.level));
    await client.callTool('log_all', {});
    expect(levels).toEqual([]);
    await client.setLogLevel('notice');
    await client.callTool('log_all', {});
    expect(levels).toEqual(['notice', 'warning', 'error']);
  });

  it('legacy: a server-wide log message honours each session level', async () => {
    const server = loggingServer();
    const quiet: string[] = [];
    const chatty: string[] = [];
    const a = await connectClient(server, { era: 'legacy' });
    a.on('notifications/message', (p) => quiet.push(p.level));
    await a.setLogLevel('error');
    const b = await connectClient(server, { era: 'legacy' });
    b.on('notifications/message', (p) => chatty.push(p.level));
    expect(await server.broadcast('notifications/message', { level: 'info', data: 'hi' })).toBe(1);
    await waitFor(() => expect(chatty).toEqual(['info']));
    expect(quiet).toEqual([]);
  });
});
