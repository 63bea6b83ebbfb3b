import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectServers, type ConnectedServers } from '@tidings/client';
import type { ServerProcess } from '../../../test-support/childProcess.js';
import { startReference } from './helpers/referenceServers.js';

let http: ServerProcess;
beforeAll(async () => {
  http = await startReference('streamable-http');
});
afterAll(() => http?.stop());

let pool: ConnectedServers | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('tasks through a pool', () => {
  it("a server's client calls a tool as a task: statuses, then the result (modern, Streamable HTTP, Mcp-Name on tasks/*)", async () => {
    pool = await connectServers({ mcpServers: { http: { url: http.url } } });
    const client = pool.get('http');
    expect(client.era).toBe('modern');
    const task = await client.callTool('slow_compute', { seconds: 0.2, label: 'pool' }, { task: true, pollIntervalMs: 50 });
    expect(task.taskId).toEqual(expect.any(String));
    expect((await task.result).content).toEqual([{ type: 'text', text: 'Computed pool after 0.2s' }]);
    expect(task.status?.status).toBe('completed');
  });

  it('closing the pool ends the handles of its tasks with ConnectionClosed', async () => {
    pool = await connectServers({ mcpServers: { http: { url: http.url } } });
    const task = await pool.get('http').callTool('slow_compute', { seconds: 60 }, { task: true, pollIntervalMs: 50 });
    await pool.close();
    await expect(task.result).rejects.toMatchObject({ code: 'ConnectionClosed' });
  });
});
