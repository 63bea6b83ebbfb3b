import { afterEach, describe, expect, it } from 'vitest';
import type { Progress } from '@tidings/protocol';
import { createDemoServer } from '../helpers/demoServer.js';
import { closeAll, connectHttpClient, ERAS, startHttp, waitFor } from '../helpers/harness.js';

afterEach(closeAll);

describe.each(ERAS)('the FastMCP long_running_task scenario over Streamable HTTP (%s)', (era) => {
  it('delivers 5 ordered progress notifications, 1..5 of each list_changed and the result', async () => {
    const server = createDemoServer();
    const http = await startHttp(server);
    const counts = { tools: 0, resources: 0, prompts: 0 };
    const client = await connectHttpClient(http.url, { era });
    client.on('notifications/tools/list_changed', () => counts.tools++);
    client.on('notifications/resources/list_changed', () => counts.resources++);
    client.on('notifications/prompts/list_changed', () => counts.prompts++);
    await client.listening();
    const progress: Progress[] = [];
    const result = await client.callTool('long_running_task', { task_name: 'test', steps: 5 }, { onProgress: (p) => progress.push(p) });
    expect(result.content).toEqual([{ type: 'text', text: "Task 'test' completed" }]);
    expect(progress).toEqual([1, 2, 3, 4, 5].map((i) => ({ progress: i / 5, total: 1, message: `Step ${i}/5` })));
    await waitFor(() => {
      for (const kind of ['tools', 'resources', 'prompts'] as const) expect(counts[kind]).toBeGreaterThanOrEqual(1);
    });
    await new Promise((r) => setTimeout(r, 30));
    for (const kind of ['tools', 'resources', 'prompts'] as const) expect(counts[kind]).toBeLessThanOrEqual(5);
    expect(client.era).toBe(era);
  });
});
