import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import {
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
  type Progress as V1Progress,
} from '@modelcontextprotocol/sdk/types.js';
import type { Progress } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectSse, ERAS, startSse, track, waitFor } from './helpers/harness.js';

afterEach(closeAll);

const STEPS = [1, 2, 3, 4, 5];

describe('the official SDK v1 SSEClientTransport against a Tidings HTTP+SSE server', () => {
  it('gets progress, logs and the three list_changed', async () => {
    const { url } = await startSse(createDemoServer());
    const client = new V1Client({ name: 'sdk-v1-client', version: '1.0.0' });
    const logs: unknown[] = [];
    const counts = { tools: 0, resources: 0, prompts: 0 };
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void counts.tools++);
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void counts.resources++);
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => void counts.prompts++);
    track(() => client.close());
    await client.connect(new SSEClientTransport(new URL(url)));

    const progress: V1Progress[] = [];
    // SDK v1 dispatches notifications a microtask after responses, so progress
    // read in the same chunk as the result is lost on its side (#2580); the
    // pause after each step keeps the result in a later read.
    const args = { task_name: 'test', steps: 5, delay_ms: 50 };
    const result = await client.callTool({ name: 'long_running_task', arguments: args }, undefined, {
      onprogress: (p) => void progress.push(p),
    });
    expect(result.content).toEqual([{ type: 'text', text: "Task 'test' completed" }]);
    expect(progress).toEqual(STEPS.map((i) => ({ progress: i / 5, total: 1, message: `Step ${i}/5` })));
    expect(logs).toEqual(['Starting: test', ...STEPS.map((i) => `Completed step ${i}`)]);
    await waitFor(() => {
      for (const kind of ['tools', 'resources', 'prompts'] as const) expect(counts[kind]).toBeGreaterThanOrEqual(1);
    });
    for (const kind of ['tools', 'resources', 'prompts'] as const) expect(counts[kind]).toBeLessThanOrEqual(5);
  });
});

/** A server built the way the SDK v1 documents it: one McpServer and SSEServerTransport per stream. */
async function startV1SseServer(): Promise<string> {
  const transports = new Map<string, SSEServerTransport>();
  const newServer = (): McpServer => {
    const mcp = new McpServer({ name: 'sdk-v1-server', version: '1.0.0' }, { capabilities: { logging: {} } });
    mcp.registerTool(
      'long_running_task',
      { description: 'Execute a task with progress updates.', inputSchema: { task_name: z.string(), steps: z.number().int().default(5) } },
      async ({ task_name, steps }, extra) => {
        const progressToken = extra._meta?.progressToken;
        for (let i = 0; i < steps; i++) {
          mcp.sendToolListChanged();
          mcp.sendResourceListChanged();
          mcp.sendPromptListChanged();
          if (progressToken !== undefined) {
            await extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken, progress: (i + 1) / steps, total: 1, message: `Step ${i + 1}/${steps}` },
            });
          }
          await mcp.sendLoggingMessage({ level: 'info', data: `Completed step ${i + 1}` });
        }
        return { content: [{ type: 'text', text: `Task '${task_name}' completed` }] };
      },
    );
    mcp.registerResource('watched', 'test://watched', {}, async (uri) => ({ contents: [{ uri: uri.href, text: 'watched' }] }));
    mcp.registerPrompt('greeting', {}, () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'Hello!' } }] }));
    return mcp;
  };
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      const mcp = newServer();
      transports.set(transport.sessionId, transport);
      res.on('close', () => {
        transports.delete(transport.sessionId);
        void mcp.close();
      });
      await mcp.connect(transport);
      return;
    }
    const transport = transports.get(url.searchParams.get('sessionId') ?? '');
    if (req.method === 'POST' && url.pathname === '/messages' && transport) return transport.handlePostMessage(req, res);
    res.writeHead(404).end();
  };
  const http = createHttpServer((req, res) => void route(req, res).catch(() => res.writeHead(500).end()));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  track(
    () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/sse`;
}

describe.each(ERAS)('a Tidings client (era %s) against the official SDK v1 SSEServerTransport', (era) => {
  it('gets progress, logs and the three list_changed', async () => {
    const url = await startV1SseServer();
    const { client } = await connectSse(url, { era });
    expect(client.era).toBe('legacy');
    expect(client.serverInfo?.name).toBe('sdk-v1-server');
    const logs: unknown[] = [];
    const counts = { tools: 0, resources: 0, prompts: 0 };
    client.on('notifications/message', (p) => void logs.push(p.data));
    client.on('notifications/tools/list_changed', () => void counts.tools++);
    client.on('notifications/resources/list_changed', () => void counts.resources++);
    client.on('notifications/prompts/list_changed', () => void counts.prompts++);

    const progress: Progress[] = [];
    const result = await client.callTool('long_running_task', { task_name: 'test', steps: 5 }, { onProgress: (p) => progress.push(p) });
    expect(result.content).toEqual([{ type: 'text', text: "Task 'test' completed" }]);
    expect(progress).toEqual(STEPS.map((i) => ({ progress: i / 5, total: 1, message: `Step ${i}/5` })));
    expect(logs).toEqual(STEPS.map((i) => `Completed step ${i}`));
    // The SDK sends every change without coalescing: five of each, before the result.
    expect(counts).toEqual({ tools: 5, resources: 5, prompts: 5 });
  });
});
