import type { Client, Progress } from '@tidings/protocol';
import { expect } from 'vitest';
import { waitFor } from './waitFor.js';

const LISTS = ['tools', 'resources', 'prompts'] as const;

/**
 * The scenario of the FastMCP-based client documentation (seed 001), asserted
 * the same way on every transport: `long_running_task(test, 5)` yields five
 * ordered progress notifications `Step i/5`, the result text, and for each of
 * the three lists at least one and at most five list_changed (one per step,
 * coalesced). The server must register `registerLongRunningTask`.
 */
export async function expectFastMcpScenario(client: Client): Promise<void> {
  const counts = { tools: 0, resources: 0, prompts: 0 };
  for (const kind of LISTS) client.on(`notifications/${kind}/list_changed`, () => counts[kind]++);
  await client.listening();
  const progress: Progress[] = [];
  const result = await client.callTool('long_running_task', { task_name: 'test', steps: 5 }, { onProgress: (p) => progress.push(p) });
  expect(result.content).toEqual([{ type: 'text', text: "Task 'test' completed" }]);
  expect(progress).toEqual([1, 2, 3, 4, 5].map((i) => ({ progress: i / 5, total: 1, message: `Step ${i}/5` })));
  // The last change of a coalescing window is always delivered: at least one of each arrives.
  await waitFor(() => {
    for (const kind of LISTS) expect(counts[kind]).toBeGreaterThanOrEqual(1);
  });
  // Late extras would show up within a few windows.
  await new Promise((resolve) => setTimeout(resolve, 30));
  for (const kind of LISTS) expect(counts[kind]).toBeLessThanOrEqual(5);
}
