import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryClusterBus, type Server } from '@tidings/protocol';
import { Marker, watchMarkers } from '../../../test-support/marker.js';
import { startRoundRobinProxy } from '../../../test-support/roundRobinProxy.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectHttpClient, onCleanup, startHttp, waitFor } from './helpers/harness.js';

afterEach(closeAll);

/** Three nodes on one bus behind a balancer with no stickiness: every request may land on any node. */
async function startCluster(): Promise<{ nodes: Server[]; url: string; served: readonly number[] }> {
  const bus = createMemoryClusterBus();
  const nodes = [1, 2, 3].map((i) => createDemoServer({ cluster: { bus, nodeId: `node-${i}` } }));
  const origins: string[] = [];
  for (const node of nodes) {
    await node.cluster!.joined;
    origins.push(new URL((await startHttp(node)).url).origin);
  }
  const proxy = await startRoundRobinProxy(origins);
  onCleanup(() => proxy.close());
  return { nodes, url: `${proxy.origin}/mcp`, served: proxy.served };
}

describe('modern clients of a cluster through a round-robin balancer (in-process bus)', () => {
  it('calls land on every node and each listen stream gets a broadcast made on any node, once', async () => {
    const { nodes, url, served } = await startCluster();
    const tidings = await connectHttpClient(url, { era: 'modern' });
    const tidingsMarkers = watchMarkers(tidings);
    await tidings.listening();

    const sdk = new V2Client({ name: 'sdk-v2', version: '2.0.0' }, { capabilities: {}, versionNegotiation: { mode: 'auto' } });
    onCleanup(() => sdk.close());
    let sdkListChanged = 0;
    sdk.setNotificationHandler('notifications/tools/list_changed', () => void sdkListChanged++);
    await sdk.connect(new V2Transport(new URL(url)));
    const subscription = await sdk.listen({ toolsListChanged: true });

    for (let i = 0; i < 3; i++) {
      const progress: number[] = [];
      const result = await tidings.callTool('long_running_task', { task_name: `t${i}`, steps: 2 }, { onProgress: (p) => progress.push(p.progress) });
      expect(result.content).toEqual([{ type: 'text', text: `Task 't${i}' completed` }]);
      expect(progress).toEqual([0.5, 1]);
    }
    expect(new Set(served).size).toBe(3);

    // Each listen stream is on some node; each node's notification reaches the stream that asked for it, counted cluster-wide.
    // long_running_task announces list changes as it ends, on whichever node ran it: each reached the SDK's stream.
    await waitFor(() => expect(sdkListChanged).toBe(3));
    for (const node of nodes) expect(await node.sendToolListChanged()).toBe(1);
    for (const [i, node] of nodes.entries()) expect(await node.broadcast(Marker, { n: i + 1 })).toBe(1);
    await waitFor(() => expect(tidingsMarkers).toEqual([1, 2, 3]));
    await waitFor(() => expect(sdkListChanged).toBe(6));
    await subscription.close();
  });
});
