import { createServer as createNodeServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { createStreamableHttpHandler } from '../src/index.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectHttpClient, onCleanup, startHttp } from './helpers/harness.js';
import { postHeaders, rawRequest } from './helpers/raw.js';

afterEach(closeAll);

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/** Hosts the handler behind a node:http server that parses bodies first, the way express.json() or fastify do. */
async function hostWithParsedBodies(style: 'express' | 'fastify'): Promise<string> {
  const server = createDemoServer();
  const handler = createStreamableHttpHandler({ server });
  const node = createNodeServer(async (req, res) => {
    const text = req.method === 'POST' ? await readBody(req) : '';
    const parsed = text === '' ? undefined : JSON.parse(text);
    if (style === 'express') {
      (req as IncomingMessage & { body?: unknown }).body = parsed;
      await handler(req, res, () => {});
    } else {
      await handler(req, res, parsed);
    }
  });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  onCleanup(async () => {
    await handler.close();
    await server.close();
    await new Promise<void>((resolve) => {
      node.close(() => resolve());
      node.closeAllConnections();
    });
  });
  return `http://127.0.0.1:${(node.address() as AddressInfo).port}/mcp`;
}

describe('hosting the handler', () => {
  it.each(['express', 'fastify'] as const)('takes a body the framework already parsed (%s style), in both eras', async (style) => {
    const url = await hostWithParsedBodies(style);
    for (const era of ['legacy', 'modern'] as const) {
      const client = await connectHttpClient(url, { era });
      const progress: number[] = [];
      const result = await client.callTool('long_running_task', { task_name: style }, { onProgress: (p) => progress.push(p.progress) });
      expect(result.content).toEqual([{ type: 'text', text: `Task '${style}' completed` }]);
      expect(progress).toHaveLength(5);
    }
  });
});

describe('legacy: stateless', () => {
  it('serves initialize-era clients without sessions: no Mcp-Session-Id, GET and DELETE 405, every POST on its own', async () => {
    const http = await startHttp(createDemoServer(), { legacy: 'stateless' });
    const opened = await rawRequest(http.url, {
      headers: postHeaders(),
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    expect(opened.status).toBe(200);
    expect(opened.headers['mcp-session-id']).toBeUndefined();
    expect((await rawRequest(http.url, { method: 'GET', headers: { accept: 'text/event-stream' } })).status).toBe(405);
    expect((await rawRequest(http.url, { method: 'DELETE' })).status).toBe(405);

    const tidings = await connectHttpClient(http.url, { era: 'legacy' });
    const progress: number[] = [];
    const result = await tidings.callTool('long_running_task', { task_name: 'stateless' }, { onProgress: (p) => progress.push(p.progress) });
    expect(result.content).toEqual([{ type: 'text', text: "Task 'stateless' completed" }]);
    expect(progress).toEqual([0.2, 0.4, 0.6, 0.8, 1]);

    const sdk = new V1Client({ name: 'sdk-v1', version: '1' });
    onCleanup(() => sdk.close());
    await sdk.connect(new V1Transport(new URL(http.url)));
    const listed = await sdk.listTools();
    expect(listed.tools.map((t) => t.name)).toContain('long_running_task');
    const called = await sdk.callTool({ name: 'log_levels', arguments: {} }, CallToolResultSchema);
    expect(called.content).toEqual([{ type: 'text', text: 'logged' }]);
    expect(http.handler.sessionCount).toBe(0);
  });
});
