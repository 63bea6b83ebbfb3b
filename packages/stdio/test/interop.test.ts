import { Client as V2Client } from '@modelcontextprotocol/client';
import { StdioClientTransport as V2StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { META, type Progress } from '@tidings/protocol';
import { closeAll, connectFixture, fixtureCommand, isAlive, onCleanup, waitFor } from './helpers/children.js';

afterEach(closeAll);

const STEPS = [1, 2, 3, 4, 5].map((i) => ({ progress: i / 5, total: 1, message: `Step ${i}/5` }));
/**
 * The SDK clients dispatch notifications a microtask later than responses, so
 * progress that arrives in the same read as the response is dropped (their
 * issue #2580; DESIGN §0). A pause after each step keeps every progress
 * notification in an earlier read than the response, so what is tested here
 * is our wire, not their race.
 */
const SDK_DELAY_MS = 50;
const sdkParams = () => ({ ...fixtureCommand('tidingsServer.ts'), stderr: 'pipe' as const });

describe('the official SDK v1 client against a Tidings stdio server', () => {
  it('gets progress through onprogress, the three list_changed and log messages (legacy)', async () => {
    const transport = new V1StdioClientTransport(sdkParams());
    const client = new V1Client({ name: 'sdk-v1-client', version: '1.0.0' });
    onCleanup(() => client.close());
    const counts = { tools: 0, resources: 0, prompts: 0 };
    const logs: string[] = [];
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void counts.tools++);
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void counts.resources++);
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => void counts.prompts++);
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(`${n.params.level}:${String(n.params.data)}`));
    await client.connect(transport);
    expect(client.getServerVersion()).toEqual({ name: 'PrimitiveServer', version: '1.0.0' });
    await client.setLoggingLevel('debug');

    const progress: unknown[] = [];
    const result = await client.callTool({ name: 'long_running_task', arguments: { task_name: 'test', steps: 5, delay_ms: SDK_DELAY_MS } }, undefined, {
      onprogress: (p) => void progress.push(p),
    });
    expect(result.content).toEqual([{ type: 'text', text: "Task 'test' completed" }]);
    expect(progress).toEqual(STEPS);
    expect(logs).toEqual(['info:Starting: test', ...[1, 2, 3, 4, 5].map((i) => `debug:Completed step ${i}`)]);
    await waitFor(() => {
      for (const kind of ['tools', 'resources', 'prompts'] as const) expect(counts[kind]).toBeGreaterThanOrEqual(1);
    });

    const pid = transport.pid!;
    await client.close();
    await waitFor(() => expect(isAlive(pid)).toBe(false));
  });
});

describe('the official SDK v2 client against a Tidings stdio server', () => {
  it('negotiates the modern era (versionNegotiation auto) and gets progress, list_changed through listen, and logs', async () => {
    const transport = new V2StdioClientTransport(sdkParams());
    const client = new V2Client({ name: 'sdk-v2-client', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    onCleanup(() => client.close());
    const counts = { tools: 0, resources: 0, prompts: 0 };
    const logs: string[] = [];
    client.setNotificationHandler('notifications/tools/list_changed', () => void counts.tools++);
    client.setNotificationHandler('notifications/resources/list_changed', () => void counts.resources++);
    client.setNotificationHandler('notifications/prompts/list_changed', () => void counts.prompts++);
    client.setNotificationHandler('notifications/message', (n) => void logs.push(`${n.params.level}:${String(n.params.data)}`));
    await client.connect(transport);
    expect(client.getProtocolEra()).toBe('modern');

    const subscription = await client.listen({ toolsListChanged: true, resourcesListChanged: true, promptsListChanged: true });
    expect(subscription.honoredFilter).toMatchObject({ toolsListChanged: true, resourcesListChanged: true, promptsListChanged: true });

    const progress: unknown[] = [];
    const result = await client.callTool(
      // Modern logging is per request: the client asks for it in the request's _meta.
      { name: 'long_running_task', arguments: { task_name: 'test', steps: 5, delay_ms: SDK_DELAY_MS }, _meta: { [META.logLevel]: 'debug' } },
      { onprogress: (p) => void progress.push(p) },
    );
    expect(result.content).toEqual([{ type: 'text', text: "Task 'test' completed" }]);
    expect(progress).toEqual(STEPS);
    expect(logs).toEqual(['info:Starting: test', ...[1, 2, 3, 4, 5].map((i) => `debug:Completed step ${i}`)]);
    await waitFor(() => {
      for (const kind of ['tools', 'resources', 'prompts'] as const) expect(counts[kind]).toBeGreaterThanOrEqual(1);
    });
    for (const kind of ['tools', 'resources', 'prompts'] as const) expect(counts[kind]).toBeLessThanOrEqual(5);

    await subscription.close();
    const pid = transport.pid!;
    await client.close();
    await waitFor(() => expect(isAlive(pid)).toBe(false));
  });
});

describe('a Tidings client against the official SDK v1 stdio server', () => {
  it('falls back to legacy with era auto and gets progress and the three list_changed', async () => {
    const counts = { tools: 0, resources: 0, prompts: 0 };
    const { client } = await connectFixture('sdkV1Server.ts', { era: 'auto' });
    client.on('notifications/tools/list_changed', () => counts.tools++);
    client.on('notifications/resources/list_changed', () => counts.resources++);
    client.on('notifications/prompts/list_changed', () => counts.prompts++);
    expect(client.era).toBe('legacy');
    expect(client.serverInfo).toEqual({ name: 'sdk-v1-server', version: '1.0.0' });

    const progress: Progress[] = [];
    const result = await client.callTool('long_running_task', { task_name: 'test', steps: 5 }, { onProgress: (p) => progress.push(p) });
    expect(result.content).toEqual([{ type: 'text', text: "Task 'test' completed" }]);
    expect(progress).toEqual(STEPS);
    await waitFor(() => {
      for (const kind of ['tools', 'resources', 'prompts'] as const) expect(counts[kind]).toBeGreaterThanOrEqual(1);
    });
  });
});
