import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMemoryClusterBus } from '../../src/cluster/clusterBus.js';
import { ProtocolError } from '../../src/errors.js';
import { createServer, type Server } from '../../src/server/createServer.js';
import { createMemoryTaskStore } from '../../src/tasks/taskStore.js';
import { closeAll, connectClient, waitFor } from '../helpers/pair.js';

const nodes: Server[] = [];
afterEach(async () => {
  await closeAll();
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

const FORM = { type: 'object' as const, properties: { ok: { type: 'boolean' } }, required: ['ok'] };

/** Two nodes on one bus and one task store, each serving the same task tools. */
async function twoNodes(): Promise<{ a: Server; b: Server; aborted: () => boolean }> {
  const bus = createMemoryClusterBus();
  const store = createMemoryTaskStore();
  let aborted = false;
  const make = (nodeId: string): Server => {
    const server = createServer({ name: nodeId, version: '1.0.0' }, { cluster: { bus, nodeId }, tasks: { store } });
    server.tool({ name: 'wait_forever', input: z.object({}), execution: { taskSupport: 'optional' } }, (_args, ctx) =>
      ctx.runAsTask(
        (task) =>
          new Promise<string>((_resolve, reject) =>
            task.signal.addEventListener('abort', () => {
              aborted = true;
              reject(task.signal.reason);
            }),
          ),
      ),
    );
    server.tool({ name: 'ask', input: z.object({}), execution: { taskSupport: 'optional' } }, (_args, ctx) =>
      ctx.runAsTask(async (task) => {
        const answer = await task.elicit({ message: 'ok?', requestedSchema: FORM }, { key: 'ok' });
        return answer.action === 'accept' && answer.content?.ok === true ? 'confirmed' : 'declined';
      }),
    );
    nodes.push(server);
    return server;
  };
  const [a, b] = [make('node-a'), make('node-b')];
  await Promise.all([a.cluster!.joined, b.cluster!.joined]);
  return { a, b, aborted: () => aborted };
}

describe('tasks of a cluster (shared store, one bus)', () => {
  it('tasks/cancel made through another node cancels the work where it runs', async () => {
    const { a, b, aborted } = await twoNodes();
    const caller = await connectClient(a, { era: 'modern' });
    const task = await caller.callTool('wait_forever', {}, { task: true });
    const follower = await connectClient(b, { era: 'modern' });
    const watched = follower.watchTask(task.taskId!);
    await watched.cancel();
    await expect(watched.result).rejects.toSatisfy((e: unknown) => e instanceof ProtocolError && e.code === 'RequestCancelled');
    await waitFor(() => expect(aborted()).toBe(true));
  });

  it('tasks/update made through another node answers the input the work waits for', async () => {
    const { a, b } = await twoNodes();
    // The caller can be asked (it declares elicitation) but leaves before it answers.
    const caller = await connectClient(a, { era: 'modern', onElicitationRequest: () => new Promise(() => {}) });
    const task = await caller.callTool('ask', {}, { task: true });
    await caller.close();
    // The client answering lives on the other node.
    const follower = await connectClient(b, { era: 'modern', onElicitationRequest: async () => ({ action: 'accept', content: { ok: true } }) });
    const result = await follower.watchTask(task.taskId!).result;
    expect(result.content).toEqual([{ type: 'text', text: 'confirmed' }]);
  });
});
