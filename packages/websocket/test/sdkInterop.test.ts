import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import {
  CallToolResultSchema,
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, onCleanup, serve, waitFor } from './helpers/harness.js';

/**
 * SDK v1's WebSocket client uses the global WebSocket, which Node 20 lacks: these
 * tests lend it `ws`, configured as the WHATWG WebSocket behaves (a browser fires
 * each `message` event as its own task). `ws` by default fires every frame of one
 * TCP read in the same tick; SDK v1 runs notification handlers a microtask later
 * but responses at once, so progress that arrives in the same read as the
 * response would reach a handler that is already gone (SDK defect #2580).
 */
class WhatwgLikeWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[], options?: WebSocket.ClientOptions) {
    super(address, protocols, { ...options, allowSynchronousEvents: false });
  }
}

const hadGlobal = Object.prototype.hasOwnProperty.call(globalThis, 'WebSocket');
const previousGlobal = (globalThis as { WebSocket?: unknown }).WebSocket;

beforeEach(() => {
  if (previousGlobal === undefined) (globalThis as { WebSocket?: unknown }).WebSocket = WhatwgLikeWebSocket;
});

afterEach(async () => {
  await closeAll();
  if (previousGlobal !== undefined) return;
  if (hadGlobal) (globalThis as { WebSocket?: unknown }).WebSocket = previousGlobal;
  else delete (globalThis as { WebSocket?: unknown }).WebSocket;
});

describe('SDK v1 WebSocketClientTransport against a Tidings WebSocket server', () => {
  it('gets progress through onprogress, the three list_changed and the log messages', async () => {
    const server = createDemoServer();
    const endpoint = await serve(server);
    const client = new SdkClient({ name: 'sdk-v1', version: '1.0.0' });
    onCleanup(() => client.close());
    const counts = { tools: 0, resources: 0, prompts: 0 };
    const logs: Array<{ level: string; data: unknown }> = [];
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void counts.tools++);
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void counts.resources++);
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => void counts.prompts++);
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push({ level: n.params.level, data: n.params.data }));

    await client.connect(new WebSocketClientTransport(new URL(endpoint.url)));
    expect(client.getServerVersion()).toMatchObject({ name: 'PrimitiveServer' });
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    expect(server.sessions()[0]).toMatchObject({ era: 'legacy', transport: 'websocket' });

    const progress: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await client.callTool(
      { name: 'long_running_task', arguments: { task_name: 'sdk', steps: 5 } },
      CallToolResultSchema,
      { onprogress: (p) => void progress.push(p) },
    );

    expect(result.content).toEqual([{ type: 'text', text: "Task 'sdk' completed" }]);
    expect(progress).toEqual([1, 2, 3, 4, 5].map((i) => ({ progress: i / 5, total: 1, message: `Step ${i}/5` })));
    expect(logs).toEqual([
      { level: 'info', data: 'Starting: sdk' },
      ...[1, 2, 3, 4, 5].map((i) => ({ level: 'debug', data: `Completed step ${i}` })),
    ]);
    await waitFor(() => {
      for (const kind of ['tools', 'resources', 'prompts'] as const) expect(counts[kind]).toBeGreaterThanOrEqual(1);
    });
    for (const kind of ['tools', 'resources', 'prompts'] as const) expect(counts[kind]).toBeLessThanOrEqual(5);

    await client.setLoggingLevel('warning');
    logs.length = 0;
    await client.callTool({ name: 'log_levels', arguments: {} });
    expect(logs.map((l) => l.level)).toEqual(['warning', 'error']);

    await client.close();
    await waitFor(() => expect(server.sessions()).toHaveLength(0));
    await waitFor(() => expect(endpoint.connectionCount).toBe(0));
  });
});
