import { createClient } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { Announcement } from './announcement.js';
import type { RunningCluster } from './cluster.js';

const text = (result: { content: unknown }): string => ((result.content as Array<{ text?: string }>)[0]?.text ?? '');

/**
 * What the cluster does behind a balancer without stickiness: every request
 * of a modern (2026-07-28) client may land on another node, yet a broadcast
 * made on any node reaches a listen stream held by any other, and a task
 * started on one node is followed to its end through the others; a legacy
 * (2025-11-25) session opened on one node is served by all of them.
 */
export async function runDemo(cluster: RunningCluster, print: (line: string) => void): Promise<void> {
  const listener = createClient({ name: 'listener', version: '1.0.0' }, { era: 'modern' });
  const heard: string[] = [];
  listener.on(Announcement, ({ from, text }) => {
    heard.push(from);
    print(`listener heard "${text}" from ${from}`);
  });
  const caller = createClient({ name: 'caller', version: '1.0.0' }, { era: 'modern' });
  try {
    await listener.connect(createStreamableHttpClientTransport(cluster.url));
    await listener.listening();
    await caller.connect(createStreamableHttpClientTransport(cluster.url));

    // Round robin: three calls, three nodes; each broadcast counts the listen streams of the whole cluster.
    for (let i = 1; i <= 3; i++) {
      const node = text(await caller.callTool('whoami', {}));
      const reached = text(await caller.callTool('announce', { text: `hello ${i}` }));
      print(`caller: whoami → ${node}; announce "hello ${i}" reached ${reached} listener(s)`);
    }
    const deadline = Date.now() + 10_000;
    while (heard.length < 3) {
      if (Date.now() > deadline) throw new Error(`only ${heard.length} of 3 announcements arrived within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    print(`announcements came from ${new Set(heard).size} different nodes to one listen stream`);

    const task = await caller.callTool('render', { scene: 'intro', steps: 3 }, { task: true, pollIntervalMs: 50 });
    const taskId = task.taskId;
    if (taskId === undefined) throw new Error('the server ran render at once instead of as a task');
    const before = cluster.balancer.served.length;
    task.onStatus(({ status }) => print(`task ${taskId.slice(0, 8)}… ${status}`));
    const result = text(await task.result);
    const followedThrough = new Set(cluster.balancer.served.slice(before).map((i) => cluster.nodeIds[i]));
    print(`task result: ${result}; followed through ${[...followedThrough].sort().join(', ')}`);
    await legacySession(cluster, caller, print);
  } finally {
    await Promise.all([listener.close(), caller.close()]);
  }
}

/** A legacy session, opened on one node: its later requests go to the others, and its GET stream hears the cluster. */
async function legacySession(cluster: RunningCluster, caller: ReturnType<typeof createClient>, print: (line: string) => void): Promise<void> {
  const legacy = createClient({ name: 'legacy', version: '1.0.0' }, { era: 'legacy' });
  const heard: string[] = [];
  legacy.on(Announcement, ({ text }) => void heard.push(text));
  try {
    await legacy.connect(createStreamableHttpClientTransport(cluster.url));
    const served: string[] = [];
    for (let i = 0; i < 3; i++) served.push(text(await legacy.callTool('whoami', {})));
    const reached = text(await caller.callTool('announce', { text: 'hello legacy' }));
    const deadline = Date.now() + 10_000;
    while (!heard.includes('hello legacy')) {
      if (Date.now() > deadline) throw new Error('the legacy session did not hear the announcement within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    print(`legacy session: requests served by ${served.join(', ')}; heard "hello legacy" (reached ${reached} listener(s))`);
  } finally {
    await legacy.close();
  }
}
