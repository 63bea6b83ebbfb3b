import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { createSdkV1Driver } from '../../../test-conformance/src/drivers/sdkV1Client.js';
import { createSdkV2Driver } from '../../../test-conformance/src/drivers/sdkV2Client.js';
import type { ScenarioClient } from '../../../test-conformance/src/types.js';
import { Marker } from '../../../test-support/marker.js';
import type { RoundRobinProxy } from '../../../test-support/roundRobinProxy.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { startBalancedCluster, type BalancedCluster } from './clusterNodes.js';

const text = (result: { content: unknown }): string => ((result.content as Array<{ text: string }>)[0] ?? { text: '' }).text;

/** What one legacy client heard. */
interface Heard {
  readonly name: string;
  readonly client: ScenarioClient;
  readonly markers: number[];
  readonly logs: string[];
  listChanged: number;
  updates: number;
}

describe('legacy sessions shared by three server processes behind a balancer with no stickiness', () => {
  let cluster: BalancedCluster | undefined;
  let proxy: RoundRobinProxy;
  let url: string;
  const clients: ScenarioClient[] = [];

  beforeAll(async () => {
    cluster = await startBalancedCluster(inject('referenceServer'), ['legacy-a', 'legacy-b', 'legacy-c']);
    ({ proxy, url } = cluster);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await cluster?.stop();
  });

  /** A client of each implementation, each announcing its name, each heard from. */
  async function connectAll(): Promise<Heard[]> {
    const tidings = createClient({ name: 'tidings-legacy', version: '1.0.0' }, { era: 'legacy' });
    await tidings.connect(createStreamableHttpClientTransport(url));
    const made: Array<[string, ScenarioClient]> = [
      ['sdk-v1-legacy', await createSdkV1Driver(new V1Transport(new URL(url)), { era: 'legacy', name: 'sdk-v1-legacy' })],
      ['sdk-v2-legacy', await createSdkV2Driver(new V2Transport(new URL(url)), { era: 'legacy', name: 'sdk-v2-legacy' })],
      ['tidings-legacy', tidings],
    ];
    return made.map(([name, client]) => {
      clients.push(client);
      const heard: Heard = { name, client, markers: [], logs: [], listChanged: 0, updates: 0 };
      client.on(Marker, ({ n }) => void heard.markers.push(n));
      client.on('notifications/message', (params) => void heard.logs.push(String((params as { data: unknown }).data)));
      client.on('notifications/tools/list_changed', () => void heard.listChanged++);
      client.on('notifications/resources/updated', () => void heard.updates++);
      return heard;
    });
  }

  it('every request may land on another node; logs, list_changed, resource updates, broadcasts and targeted notify made on any node reach each session once', async () => {
    const heard = await connectAll();
    const [driver] = heard;
    const call = async (name: string, args: Record<string, unknown>): Promise<string> => text(await driver!.client.callTool(name, args));

    // State set through one node holds on every node: the level and the subscription each went to some node.
    for (const { client } of heard) {
      await client.setLogLevel('warning');
      await client.subscribe('test://static-text');
    }
    // Progress of a call comes back on the call's own stream, whichever node ran it.
    for (const { client } of heard) {
      const progress: number[] = [];
      const result = await client.callTool('long_running_task', { task_name: 'p', steps: 2 }, { onProgress: (p) => progress.push(p.progress) });
      expect(text(result)).toBe("Task 'p' completed");
      expect(progress).toEqual([0.5, 1]);
    }
    // Each long_running_task announced a tools list change once its node's merge window closed. A prompts
    // change made on every node answers once that node's own later window closed: the tools ones are out.
    const settling = proxy.served.length;
    for (let i = 0; i < 10 && new Set(proxy.served.slice(settling)).size < 3; i++) await call('test_trigger_prompt_change', {});
    expect(new Set(proxy.served.slice(settling)).size).toBe(3);
    // Everything so far is in once a marker sent after it is: then the counts start from here.
    expect(await call('broadcast', { method: Marker.method, params: { n: 1 } })).toBe('3');
    await waitFor(() => expect(heard.map((h) => h.markers)).toEqual([[1], [1], [1]]), 20_000);
    const before = heard.map((h) => ({ listChanged: h.listChanged, updates: h.updates, logs: h.logs.length }));

    const served = proxy.served.length;
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await call('broadcast', { method: 'notifications/message', params: { level: 'info', data: `quiet-${i}` } }));
      answers.push(await call('broadcast', { method: 'notifications/message', params: { level: 'error', data: `loud-${i}` } }));
      answers.push(await call('broadcast', { method: 'notifications/tools/list_changed' }));
      answers.push(await call('touch_resource', { uri: 'test://static-text' }));
    }
    // Each node made some of them, and each counted the sessions of the cluster entitled to each.
    expect(new Set(proxy.served.slice(served)).size).toBe(3);
    expect(answers).toEqual(['0', '3', '3', '3', '0', '3', '3', '3', '0', '3', '3', '3']);

    // A targeted notify reaches its session from every node.
    const sessions: Array<{ id: string; client?: string }> = [];
    for (let i = 0; i < 3; i++) sessions.push(...(JSON.parse(await call('list_sessions', {})) as typeof sessions));
    for (const [index, { name }] of heard.entries()) {
      const id = sessions.find((s) => s.client === name)?.id;
      expect(id, `${name} is a recipient on one node`).toBeDefined();
      for (let from = 0; from < 3; from++) expect(await call('notify_session', { session_id: id, method: Marker.method, params: { n: 10 + index } })).toBe('true');
    }
    expect(await call('broadcast', { method: Marker.method, params: { n: 99 } })).toBe('3');
    await waitFor(() => expect(heard.map((h) => h.markers.at(-1))).toEqual([99, 99, 99]), 20_000);
    for (const [index, h] of heard.entries()) {
      expect(h.markers, h.name).toEqual([1, 10 + index, 10 + index, 10 + index, 99]);
      expect(h.logs.slice(before[index]!.logs), h.name).toEqual(['loud-0', 'loud-1', 'loud-2']);
      expect(h.listChanged - before[index]!.listChanged, h.name).toBe(3);
      expect(h.updates - before[index]!.updates, h.name).toBe(3);
    }
  });
});
