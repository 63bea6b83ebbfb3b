import { afterEach, describe, expect, it } from 'vitest';
import { createClient, LATEST_MODERN_VERSION, type Client } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http/client';
import { waitFor } from './helpers/harness.js';

const TASK_ID = 'task-42';

/** One POST the client made: its JSON-RPC method, the request headers, the params. */
interface Posted {
  readonly method: string;
  readonly headers: Headers;
  readonly params: Record<string, unknown> | undefined;
}

const task = (status: string, extra: Record<string, unknown> = {}) => ({
  taskId: TASK_ID,
  status,
  createdAt: '2026-07-28T00:00:00.000Z',
  lastUpdatedAt: new Date().toISOString(),
  ttlMs: 60_000,
  pollIntervalMs: 10,
  ...extra,
});

/**
 * A modern server in a fetch: it answers server/discover without offering
 * pushes (so the client polls), makes `tools/call` a task that asks for a
 * name once, takes the answer by `tasks/update`, and is cancelled by
 * `tasks/cancel`. It records every POST.
 */
function fakeTaskServer(): { fetch: typeof globalThis.fetch; posted: Posted[] } {
  const posted: Posted[] = [];
  let state: 'asking' | 'working' | 'cancelled' = 'asking';
  const answer = (message: { id?: unknown; method: string }): unknown => {
    switch (message.method) {
      case 'server/discover':
        return { supportedVersions: [LATEST_MODERN_VERSION], capabilities: { tools: {} } };
      case 'tools/call':
        return { resultType: 'task', ...task('working') };
      case 'tasks/get':
        if (state === 'asking') {
          return task('input_required', {
            inputRequests: { name: { method: 'elicitation/create', params: { message: 'Name?', requestedSchema: { type: 'object', properties: {} } } } },
          });
        }
        return task(state);
      case 'tasks/update':
        state = 'working';
        return {};
      case 'tasks/cancel':
        state = 'cancelled';
        return {};
      default:
        return {};
    }
  };
  const fetch: typeof globalThis.fetch = async (_url, init) => {
    if (init?.method !== 'POST') return new Response(null, { status: 405 });
    const message = JSON.parse(String(init.body)) as { id?: unknown; method: string; params?: Record<string, unknown> };
    posted.push({ method: message.method, headers: new Headers(init.headers), params: message.params });
    if (message.id === undefined) return new Response(null, { status: 202 });
    const body = JSON.stringify({ jsonrpc: '2.0', id: message.id, result: answer(message) });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, posted };
}

let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

describe('the Streamable HTTP client names the task of tasks/* requests (Mcp-Name, PROTOCOL.md §tasks)', () => {
  it('tasks/get, tasks/update and tasks/cancel POSTs carry Mcp-Method and Mcp-Name: <taskId>', async () => {
    const server = fakeTaskServer();
    client = createClient({ name: 'c', version: '1' }, { era: 'modern', onElicitationRequest: () => ({ action: 'accept', content: {} }) });
    await client.connect(createStreamableHttpClientTransport('http://127.0.0.1:1/mcp', { fetch: server.fetch }));

    const handle = await client.callTool('job', {}, { task: true, pollIntervalMs: 10 });
    expect(handle.taskId).toBe(TASK_ID);
    // The first read finds the question, the answer goes by tasks/update, the next reads find it working.
    await waitFor(() => expect(server.posted.map((p) => p.method)).toContain('tasks/update'));
    await waitFor(() => expect(server.posted.filter((p) => p.method === 'tasks/get').length).toBeGreaterThanOrEqual(2));
    await handle.cancel();
    await expect(handle.result).rejects.toMatchObject({ code: 'RequestCancelled' });

    const tasksPosts = server.posted.filter((p) => p.method.startsWith('tasks/'));
    expect(new Set(tasksPosts.map((p) => p.method))).toEqual(new Set(['tasks/get', 'tasks/update', 'tasks/cancel']));
    for (const post of tasksPosts) {
      expect(post.params?.taskId).toBe(TASK_ID);
      expect([post.method, post.headers.get('mcp-method'), post.headers.get('mcp-name')]).toEqual([post.method, post.method, TASK_ID]);
    }
    // The tool call is named by its tool, not by a task it does not have yet.
    expect(server.posted.find((p) => p.method === 'tools/call')?.headers.get('mcp-name')).toBe('job');
  });
});
