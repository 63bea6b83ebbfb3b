import { afterEach, describe, expect, it } from 'vitest';
import type { Progress } from '@tidings/protocol';
import { ERAS, referenceFixture, textOf, waitFor, type ReferenceFixture } from './connectReference.js';

let fixture: ReferenceFixture;
afterEach(async () => {
  await fixture?.close();
});

describe.each(ERAS)("the reference server's own tools (%s era)", (era) => {
  it('long_running_task reports every step, emits the three list_changed, logs at debug and answers', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const changed = { tools: 0, resources: 0, prompts: 0 };
    const logs: unknown[] = [];
    client.on('notifications/tools/list_changed', () => changed.tools++);
    client.on('notifications/resources/list_changed', () => changed.resources++);
    client.on('notifications/prompts/list_changed', () => changed.prompts++);
    client.on('notifications/message', (params) => logs.push([params.level, params.data]));
    await client.setLogLevel('debug');
    await client.listening();
    const progress: Progress[] = [];
    const result = await client.callTool(
      'long_running_task',
      { task_name: 'demo', steps: 3, delay_ms: 5 },
      { onProgress: (p) => progress.push(p) },
    );
    expect(textOf(result)).toBe("Task 'demo' completed");
    expect(progress).toEqual([1, 2, 3].map((i) => ({ progress: i / 3, total: 1, message: `Step ${i}/3` })));
    expect(logs).toEqual([1, 2, 3].map((i) => ['debug', `Task 'demo': completed step ${i}/3`]));
    await waitFor(() => expect(Math.min(changed.tools, changed.resources, changed.prompts)).toBeGreaterThanOrEqual(1));
    // Merged per recipient: never more than one per step.
    expect(Math.max(changed.tools, changed.resources, changed.prompts)).toBeLessThanOrEqual(3);
  });

  it('long_running_task defaults to 5 steps and refuses a bad step count', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    const progress: Progress[] = [];
    await client.callTool('long_running_task', { task_name: 'five' }, { onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.message)).toEqual(['Step 1/5', 'Step 2/5', 'Step 3/5', 'Step 4/5', 'Step 5/5']);
    const refused = await client.callTool('long_running_task', { task_name: 'none', steps: 0 });
    expect(refused.isError).toBe(true);
  });

  it('add_tool and remove_tool change the tool list and announce it', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    let changes = 0;
    client.on('notifications/tools/list_changed', () => changes++);
    await client.listening();
    expect(textOf(await client.callTool('add_tool', { name: 'dyn_1', description: 'A dynamic tool' }))).toBe('added dyn_1');
    await waitFor(() => expect(changes).toBe(1));
    const listed = (await client.listTools()).tools.find((t) => t.name === 'dyn_1');
    expect(listed?.description).toBe('A dynamic tool');
    expect(textOf(await client.callTool('dyn_1', { a: 1 }))).toBe(`Dynamic tool 'dyn_1' called with {"a":1}`);

    expect(textOf(await client.callTool('remove_tool', { name: 'dyn_1' }))).toBe('true');
    await waitFor(() => expect(changes).toBe(2));
    expect((await client.listTools()).tools.some((t) => t.name === 'dyn_1')).toBe(false);
    expect(textOf(await client.callTool('remove_tool', { name: 'dyn_1' }))).toBe('false');
    expect((await client.callTool('add_tool', { name: 'bad name!' })).isError).toBe(true);
  });

  it('broadcast reaches every connected client that listens for the method', async () => {
    fixture = referenceFixture();
    const first = await fixture.connect({ era });
    const second = await fixture.connect({ era });
    const got: unknown[] = [];
    for (const client of [first, second]) {
      // Only `n`: on a listen stream the core also tags `_meta` with the subscription id.
      client.on('custom/hello', (params) => got.push((params as { n?: unknown }).n));
      await client.listening();
    }
    expect(textOf(await first.callTool('broadcast', { method: 'custom/hello', params: { n: 1 } }))).toBe('2');
    await waitFor(() => expect(got).toEqual([1, 1]));
  });

  it('echo answers its message', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era });
    expect(textOf(await client.callTool('echo', { message: 'hi there' }))).toBe('hi there');
  });
});

describe("the reference server's own tools (legacy sessions)", () => {
  it('notify_session delivers to the session named by list_sessions and answers false for an unknown id', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({ era: 'legacy' });
    const got: unknown[] = [];
    client.on('custom/ping', (params) => got.push(params));
    const sessions = JSON.parse(textOf(await client.callTool('list_sessions'))) as { id: string; era: string; client: string }[];
    expect(sessions).toEqual([{ id: expect.any(String), era: 'legacy', kind: 'session', client: 'reference-test' }]);
    const id = sessions[0]!.id;
    expect(textOf(await client.callTool('notify_session', { session_id: id, method: 'custom/ping', params: { at: 1 } }))).toBe('true');
    await waitFor(() => expect(got).toEqual([{ at: 1 }]));
    expect(textOf(await client.callTool('notify_session', { session_id: 'no-such-session', method: 'custom/ping' }))).toBe('false');
  });

  it('list_roots answers the roots the client offers', async () => {
    fixture = referenceFixture();
    const roots = [{ uri: 'file:///work/project', name: 'project' }];
    const client = await fixture.connect({ era: 'legacy', roots });
    expect(JSON.parse(textOf(await client.callTool('list_roots')))).toEqual(roots);
  });

  it('slow_sampling sends only increasing progress heartbeats until the client answers', async () => {
    fixture = referenceFixture();
    const client = await fixture.connect({
      era: 'legacy',
      onSamplingRequest: async () => {
        await new Promise((resolve) => setTimeout(resolve, 80));
        return { role: 'assistant', content: { type: 'text', text: 'done' }, model: 'slow-model' };
      },
    });
    const other: string[] = [];
    client.on('notifications/message', () => other.push('log'));
    const progress: Progress[] = [];
    const result = await client.callTool('slow_sampling', { heartbeat_ms: 10 }, { onProgress: (p) => progress.push(p) });
    expect(textOf(result)).toBe('Sampled: done');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
    expect(other).toEqual([]);
  });
});
