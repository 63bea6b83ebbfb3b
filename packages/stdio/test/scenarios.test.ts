import { expectFastMcpScenario } from '../../../test-support/fastMcpScenario.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoggingLevel } from '@tidings/protocol';
import { StatusUpdate } from './fixtures/statusUpdate.js';
import { closeAll, connectFixture, ERAS, waitFor } from './helpers/children.js';

afterEach(closeAll);

const SERVER = 'tidingsServer.ts';
const textOf = (result: { content: unknown[] }): string => (result.content[0] as { text: string }).text;

describe.each(ERAS)('the protocol scenarios over a real child process (%s)', (era) => {
  it('runs the FastMCP long_running_task: 5 ordered progress notifications, each list_changed, the result', async () => {
    const { client, transport } = await connectFixture(SERVER, { era });
    await expectFastMcpScenario(client);
    expect(client.era).toBe(era);
    expect(transport.kind).toBe('stdio');
  });

  it('delivers a custom broadcast (custom/status-update) to the session', async () => {
    const { client } = await connectFixture(SERVER, { era });
    const statuses: string[] = [];
    client.on(StatusUpdate, (params) => statuses.push(params.status));
    await client.listening();
    const result = await client.callTool('broadcast_status', { status: 'deploying' });
    expect(textOf(result)).toBe('reached 1');
    await waitFor(() => expect(statuses).toEqual(['deploying']));
  });

  it('delivers resourceUpdated to a subscriber of that uri only', async () => {
    const { client } = await connectFixture(SERVER, { era });
    const updated: string[] = [];
    client.on('notifications/resources/updated', (params) => updated.push(params.uri));
    expect(textOf(await client.callTool('touch_resource', { uri: 'test://watched' }))).toBe('reached 0');
    await client.subscribe('test://watched');
    await client.listening();
    expect(textOf(await client.callTool('touch_resource', { uri: 'test://other' }))).toBe('reached 0');
    expect(textOf(await client.callTool('touch_resource', { uri: 'test://watched' }))).toBe('reached 1');
    await waitFor(() => expect(updated).toEqual(['test://watched']));
    await client.unsubscribe('test://watched');
    await client.listening();
    expect(textOf(await client.callTool('touch_resource', { uri: 'test://watched' }))).toBe('reached 0');
    expect(updated).toEqual(['test://watched']);
  });

  it('filters log messages by setLogLevel (legacy: logging/setLevel; modern: the request logLevel)', async () => {
    const { client } = await connectFixture(SERVER, { era });
    const levels: LoggingLevel[] = [];
    client.on('notifications/message', (params) => levels.push(params.level));
    await client.callTool('log_every_level');
    // Legacy sends everything until a level is set; modern sends nothing unless the request asks.
    expect(levels).toEqual(
      era === 'legacy' ? ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] : [],
    );
    levels.length = 0;
    await client.setLogLevel('warning');
    await client.callTool('log_every_level');
    expect(levels).toEqual(['warning', 'error', 'critical', 'alert', 'emergency']);
  });
});

describe('era negotiation over stdio', () => {
  it('finds the modern era against a Tidings server with era auto', async () => {
    const { client } = await connectFixture(SERVER, { era: 'auto' });
    expect(client.era).toBe('modern');
    expect(client.serverInfo).toEqual({ name: 'PrimitiveServer', version: '1.0.0' });
    const result = await client.callTool('echo', { text: 'hello' });
    expect(textOf(result)).toBe('hello');
  });
});
