import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportError } from '@tidings/protocol';
import { createCuttingFetch } from './helpers/cuttingFetch.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectHttpClient, onCleanup, startHttp } from './helpers/harness.js';
import { MODERN } from './helpers/raw.js';

afterEach(closeAll);

const regionTool = {
  name: 'query',
  inputSchema: {
    type: 'object',
    properties: {
      region: { type: 'string', 'x-mcp-header': 'Region' },
      options: { type: 'object', properties: { shards: { type: 'integer', 'x-mcp-header': 'Shards' } } },
      text: { type: 'string' },
    },
    required: ['region', 'text'],
  },
};

/** A Tidings server with one tool whose `region` and `options.shards` travel in `Mcp-Param-*` headers too. */
async function startRegionServer(): Promise<string> {
  const server = createDemoServer();
  server.tool(regionTool, (args) => `${String(args.text)} in ${String(args.region)}`);
  return (await startHttp(server)).url;
}

const toolCalls = (requests: ReadonlyArray<{ headers: Record<string, string>; body: string | undefined }>) =>
  requests.filter((r) => r.headers['mcp-method'] === 'tools/call');

describe('modern client: Mcp-Param-* headers from x-mcp-header (2026-07-28 streamable-http §custom headers)', () => {
  it('mirrors annotated arguments, nested ones and non-ASCII values included, once the tool is listed', async () => {
    const url = await startRegionServer();
    const wire = createCuttingFetch();
    const client = await connectHttpClient(url, { era: 'modern' }, { fetch: wire.fetch });
    const listed = await client.listTools();
    expect(listed.tools.map((t) => t.name)).toContain('query');

    const plain = await client.callTool('query', { region: 'us-west1', options: { shards: 3 }, text: 'select' });
    expect(plain.content).toEqual([{ type: 'text', text: 'select in us-west1' }]);
    const unicode = await client.callTool('query', { region: 'Zürich', text: 'select' });
    expect(unicode.content).toEqual([{ type: 'text', text: 'select in Zürich' }]);

    const calls = toolCalls(wire.requests);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.headers).toMatchObject({ 'mcp-param-region': 'us-west1', 'mcp-param-shards': '3', 'mcp-name': 'query' });
    expect(calls[1]!.headers['mcp-param-region']).toBe(`=?base64?${Buffer.from('Zürich').toString('base64')}?=`);
    expect(calls[1]!.headers['mcp-param-shards']).toBeUndefined();
  });

  it('answers a HeaderMismatch on a tool it never listed by reading tools/list and calling again, once', async () => {
    const url = await startRegionServer();
    const wire = createCuttingFetch();
    const client = await connectHttpClient(url, { era: 'modern' }, { fetch: wire.fetch });

    const result = await client.callTool('query', { region: 'eu-central1', text: 'count' });
    expect(result.content).toEqual([{ type: 'text', text: 'count in eu-central1' }]);
    const methods = wire.requests.map((r) => r.headers['mcp-method']).filter((m) => m === 'tools/call' || m === 'tools/list');
    expect(methods).toEqual(['tools/call', 'tools/list', 'tools/call']);
    const [first, second] = toolCalls(wire.requests);
    expect(first!.headers['mcp-param-region']).toBeUndefined();
    expect(second!.headers['mcp-param-region']).toBe('eu-central1');
    expect(JSON.parse(second!.body!).id).toBe(JSON.parse(first!.body!).id);
  });

  it('gives up after one refresh: a call the server still refuses rejects with −32020', async () => {
    const url = await startRegionServer();
    // The server's schema never names the header the body needs: a refresh cannot help.
    const wire = createCuttingFetch();
    const client = await connectHttpClient(url, { era: 'modern' }, {
      fetch: (input, init) => wire.fetch(input, { ...init, headers: withoutParamHeaders(init?.headers) }),
    });
    await expect(client.callTool('query', { region: 'us-east1', text: 'x' })).rejects.toMatchObject({ code: 'HeaderMismatch' });
    const methods = wire.requests.map((r) => r.headers['mcp-method']).filter((m) => m === 'tools/call' || m === 'tools/list');
    expect(methods).toEqual(['tools/call', 'tools/list', 'tools/call']);
  });
});

function withoutParamHeaders(headers: ConstructorParameters<typeof Headers>[0]): Record<string, string> {
  return Object.fromEntries([...new Headers(headers).entries()].filter(([name]) => !name.startsWith('mcp-param-')));
}

describe('modern client: tool definitions with invalid x-mcp-header annotations', () => {
  it('are left out of tools/list, each with a warning naming the tool and the reason; valid tools stay', async () => {
    const url = await startListingStub([
      { name: 'good', inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } } },
      { name: 'float', inputSchema: { type: 'object', properties: { ratio: { type: 'number', 'x-mcp-header': 'Ratio' } } } },
      { name: 'twice', inputSchema: { type: 'object', properties: { a: { type: 'string', 'x-mcp-header': 'Id' }, b: { type: 'string', 'x-mcp-header': 'ID' } } } },
      { name: 'spaced', inputSchema: { type: 'object', properties: { a: { type: 'string', 'x-mcp-header': 'Not A Token' } } } },
    ]);
    const warnings: TransportError[] = [];
    const client = await connectHttpClient(url, { era: 'modern', onError: (error) => warnings.push(error) });
    const listed = await client.listTools();
    expect(listed.tools.map((t) => t.name)).toEqual(['good']);
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/"float".*not a string, integer or boolean/),
      expect.stringMatching(/"twice".*repeats the header name ID/),
      expect.stringMatching(/"spaced".*not an HTTP header-name token/),
    ]);
  });

  it('are refused by a Tidings server at registration, where the author sees why', () => {
    const server = createDemoServer();
    const inputSchema = { type: 'object', properties: { ratio: { type: 'number', 'x-mcp-header': 'Ratio' } } };
    expect(() => server.tool({ name: 'float', inputSchema }, () => 'never')).toThrow(/float: x-mcp-header of ratio is on a parameter that is not a string/);
    expect(server.toolInputSchema('float')).toBeUndefined();
  });
});

/** A bare modern endpoint that lists the given tools as JSON, standing in for a server that does not check its own definitions. */
async function startListingStub(tools: unknown[]): Promise<string> {
  const http = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = JSON.parse(body) as { id: unknown; method: string };
      const result =
        request.method === 'tools/list'
          ? { resultType: 'complete', tools }
          : { resultType: 'complete', supportedVersions: [MODERN], capabilities: { tools: {} }, serverInfo: { name: 'stub', version: '1' } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: request.id, result }));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => http.close(() => resolve())));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
}
