import { createStreamableHttpCore, type StreamableHttpHandlerOptions } from '@tidings/http';
import type { Server } from '@tidings/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoServer } from '../../streamable-http/test/helpers/demoServer.js';
import { envelope, MODERN, postHeaders } from '../../streamable-http/test/helpers/raw.js';
import { pureWire, type CoreCall, type CoreResponse, type Wire } from './helpers/callCore.js';
import { nodeWire } from './helpers/nodeWire.js';

type RawResponse = CoreResponse;

/** Each test runs on the pure handler (no socket) and through the Node binding. */
const WIRES = {
  'the pure handler': async (core: ReturnType<typeof createStreamableHttpCore>) => ({ wire: pureWire(core), port: 3000, close: async () => {} }),
  'the Node binding': nodeWire,
} as const;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let sessionId: string;
let call: Wire;
let port: number;
let serve: (server: Server, options?: Omit<StreamableHttpHandlerOptions, 'server'>) => Promise<{ call: Wire; port: number }>;

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const toolsList = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
const legacy = (extra: Record<string, string> = {}): Record<string, string> =>
  postHeaders({ 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25', ...extra });
const modernBody = (method: string, params: Record<string, unknown> = {}, meta: Record<string, unknown> = {}, id = 7) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: envelope(meta) } });
const modern = (method: string, extra: Record<string, string> = {}): Record<string, string> =>
  postHeaders({ 'mcp-protocol-version': MODERN, 'mcp-method': method, ...extra });

/** Asserts the status and the JSON-RPC error body (id null unless given). */
function expectError(response: RawResponse, status: number, code: number, id: unknown = null): void {
  expect({ status: response.status, type: response.headers['content-type'] }).toEqual({ status, type: 'application/json' });
  expect(response.json).toMatchObject({ jsonrpc: '2.0', id, error: { code, message: expect.any(String) } });
}

for (const [wireName, open] of Object.entries(WIRES)) {
  describe(`Streamable HTTP status codes through ${wireName}`, () => {
    beforeEach(async () => {
      serve = async (server, options = {}) => {
        const core = createStreamableHttpCore({ server, ...options });
        const opened = await open(core);
        cleanups.push(async () => {
          await opened.close();
          await core.close();
          await server.close();
        });
        return { call: opened.wire, port: opened.port };
      };
      ({ call, port } = await serve(createDemoServer(), { maxBodyBytes: 2048 }));
      const opened = await call({ headers: postHeaders(), body: JSON.stringify(initialize) });
      expect(opened.status).toBe(200);
      sessionId = opened.headers['mcp-session-id'] as string;
      expect(sessionId).toMatch(/^[\x21-\x7e]{16,}$/);
      const ack = await call({ headers: legacy(), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
      expect(ack.status).toBe(202);
    });

    describe('each with its JSON-RPC body', () => {
      it('legacy: 400 without Mcp-Session-Id, 404 for an unknown session, 400 −32022 for an unsupported MCP-Protocol-Version', async () => {
        expectError(await call({ headers: postHeaders(), body: JSON.stringify(toolsList) }), 400, -32600);
        expectError(await call({ headers: legacy({ 'mcp-session-id': 'no-such-session' }), body: JSON.stringify(toolsList) }), 404, -32600);
        const badVersion = await call({ headers: legacy({ 'mcp-protocol-version': '1999-01-01' }), body: JSON.stringify(toolsList) });
        expectError(badVersion, 400, -32022);
        expect(badVersion.json.error.data).toMatchObject({ requested: '1999-01-01', supported: expect.arrayContaining(['2025-11-25', MODERN]) });
        const ok = await call({ headers: legacy(), body: JSON.stringify(toolsList) });
        expect(ok.status).toBe(200);
        expect(ok.json).toMatchObject({ id: 2, result: { tools: expect.any(Array) } });
      });

      it('403 for a foreign Origin and for a foreign Host (DNS-rebinding protection on a loopback address)', async () => {
        expectError(await call({ headers: postHeaders({ origin: 'http://evil.example.com' }), body: JSON.stringify(initialize) }), 403, -32600);
        expectError(await call({ headers: postHeaders({ host: `evil.example.com:${port}` }), body: JSON.stringify(initialize) }), 403, -32600);
        const local = await call({ headers: postHeaders({ host: `localhost:${port}`, origin: `http://localhost:${port}` }), body: JSON.stringify(initialize) });
        expect(local.status).toBe(200);
      });

      it('405 for GET and DELETE from a modern client, and for other methods', async () => {
        const get = await call({ method: 'GET', headers: { accept: 'text/event-stream', 'mcp-protocol-version': MODERN } });
        expectError(get, 405, -32600);
        expect(get.headers.allow).toBe('POST');
        expectError(await call({ method: 'DELETE', headers: { 'mcp-protocol-version': MODERN } }), 405, -32600);
        expectError(await call({ method: 'PUT', headers: postHeaders(), body: '{}' }), 405, -32600);
      });

      it('406 for an Accept without both types (POST) or without text/event-stream (GET); 415 for a non-JSON body type', async () => {
        expectError(await call({ headers: legacy({ accept: 'application/json' }), body: JSON.stringify(toolsList) }), 406, -32600);
        expectError(await call({ method: 'GET', headers: { accept: 'application/json', 'mcp-session-id': sessionId } }), 406, -32600);
        expectError(await call({ headers: legacy({ 'content-type': 'text/plain' }), body: JSON.stringify(toolsList) }), 415, -32600);
      });

      it('413 over maxBodyBytes, 400 −32700 for unreadable JSON, 400 −32600 for a batch', async () => {
        const big = JSON.stringify({ ...toolsList, params: { pad: 'x'.repeat(4096) } });
        expectError(await call({ headers: legacy(), body: big }), 413, -32600);
        expectError(await call({ headers: legacy(), body: '{"jsonrpc":' }), 400, -32700);
        expectError(await call({ headers: legacy(), body: JSON.stringify([toolsList]) }), 400, -32600);
      });

      it('202 with no body for a notification or a response, in both eras', async () => {
        const note = await call({ headers: legacy(), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 12345 } }) });
        expect({ status: note.status, text: note.text }).toEqual({ status: 202, text: '' });
        const response = await call({ headers: legacy(), body: JSON.stringify({ jsonrpc: '2.0', id: 99, result: {} }) });
        expect({ status: response.status, text: response.text }).toEqual({ status: 202, text: '' });
        const modernNote = await call({
          headers: modern('notifications/cancelled'),
          body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5, _meta: envelope() } }),
        });
        expect({ status: modernNote.status, text: modernNote.text }).toEqual({ status: 202, text: '' });
      });

      it('modern: 404 −32601 for an unknown method and for a legacy-only method, with the request id', async () => {
        expectError(await call({ headers: modern('unknown/method'), body: modernBody('unknown/method') }), 404, -32601, 7);
        expectError(await call({ headers: modern('ping'), body: modernBody('ping') }), 404, -32601, 7);
        expectError(await call({ headers: modern('initialize'), body: modernBody('initialize') }), 404, -32601, 7);
      });

      it('modern: 400 −32020 when a header is missing or disagrees with the body', async () => {
        const list = modernBody('tools/list');
        expectError(await call({ headers: modern('prompts/list'), body: list }), 400, -32020, 7);
        const { 'mcp-method': _omit, ...noMethod } = modern('tools/list');
        expectError(await call({ headers: noMethod, body: list }), 400, -32020, 7);
        expectError(await call({ headers: modern('TOOLS/LIST'), body: list }), 400, -32020, 7);
        const toolCall = modernBody('tools/call', { name: 'log_levels', arguments: {} });
        expectError(await call({ headers: modern('tools/call', { 'mcp-name': 'wrong_tool' }), body: toolCall }), 400, -32020, 7);
        expectError(await call({ headers: modern('tools/call'), body: toolCall }), 400, -32020, 7);
        const mismatched = modernBody('server/discover', {}, { 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' });
        expectError(await call({ headers: modern('server/discover'), body: mismatched }), 400, -32020, 7);
        const accepted = await call({ headers: modern('tools/call', { 'mcp-name': '  log_levels  ' }), body: toolCall });
        expect(accepted.status).toBe(200);
        const b64 = await call({ headers: modern('tools/call', { 'mcp-name': `=?base64?${Buffer.from('log_levels').toString('base64')}?=` }), body: toolCall });
        expect(b64.status).toBe(200);
      });

      it('modern: 400 −32602 for a malformed envelope, −32022 for an unsupported version, −32021 for a missing client capability', async () => {
        const noMeta = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'server/discover', params: {} });
        expectError(await call({ headers: modern('server/discover'), body: noMeta }), 400, -32602, 3);
        const unsupported = modernBody('server/discover', {}, { 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' }, 4);
        const response = await call({ headers: modern('server/discover', { 'mcp-protocol-version': 'v999.0.0' }), body: unsupported });
        expectError(response, 400, -32022, 4);
        expect(response.json.error.data).toMatchObject({ requested: 'v999.0.0', supported: expect.arrayContaining([MODERN]) });
        const sampling = modernBody('tools/call', { name: 'needs_sampling', arguments: {} }, {}, 5);
        const missing = await call({ headers: modern('tools/call', { 'mcp-name': 'needs_sampling' }), body: sampling });
        expect(missing.json?.result?.isError ?? false).toBe(false);
        expectError(missing, 400, -32021, 5);
        expect(missing.json.error.data).toEqual({ requiredCapabilities: { sampling: {} } });
      });

      it('legacy GET: 409 for a second stream, 400 for a malformed Last-Event-ID; DELETE ends the session (then 404)', async () => {
        const first = await call({ method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId }, keepOpen: true });
        expect(first.status).toBe(200);
        expect(first.headers['content-type']).toBe('text/event-stream');
        expect(first.headers['x-accel-buffering']).toBe('no');
        expectError(await call({ method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId } }), 409, -32600);
        expectError(
          await call({ method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'last-event-id': 'garbage!' } }),
          400,
          -32600,
        );
        first.close();
        const deleted = await call({ method: 'DELETE', headers: { 'mcp-session-id': sessionId } });
        expect(deleted.status).toBe(204);
        expectError(await call({ headers: legacy(), body: JSON.stringify(toolsList) }), 404, -32600);
      });
    });

    describe('modern Mcp-Param-* validation (x-mcp-header)', () => {
      it('400 −32020 when an annotated argument has no header or a different one; 200 when they agree', async () => {
        const server = createDemoServer();
        const inputSchema = { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } }, required: ['region'] };
        server.tool({ name: 'sql', inputSchema }, (args) => `ran in ${String(args.region)}`);
        const http = await serve(server, { toolInputSchema: (name) => (name === 'sql' ? inputSchema : undefined) });
        const body = modernBody('tools/call', { name: 'sql', arguments: { region: 'us-west1' } });
        const headers = modern('tools/call', { 'mcp-name': 'sql' });
        expectError(await http.call({ headers, body }), 400, -32020, 7);
        expectError(await http.call({ headers: { ...headers, 'mcp-param-region': 'eu-west1' }, body }), 400, -32020, 7);
        const ok = await http.call({ headers: { ...headers, 'mcp-param-region': 'us-west1' }, body });
        expect(ok.status).toBe(200);
        expect(ok.json.result.content).toEqual([{ type: 'text', text: 'ran in us-west1' }]);
      });
    });
  });
}
