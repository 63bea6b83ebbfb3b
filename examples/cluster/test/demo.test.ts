import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../src/cluster.js';
import { runDemo } from '../src/demo.js';

let cluster: RunningCluster | undefined;
beforeAll(async () => void (cluster = await startCluster()));
afterAll(async () => void (await cluster?.stop()));

it("the example's demo: broadcasts from three nodes reach one listen stream, a task started on one node is followed through the others, a legacy session is served by every node", async () => {
  const lines: string[] = [];
  await runDemo(cluster!, (line) => lines.push(line));

  const callers = lines.filter((l) => l.startsWith('caller:'));
  expect(callers).toHaveLength(3);
  // Each call landed on another node, and each broadcast reached the one listen stream, wherever it is.
  expect(new Set(callers.map((l) => /whoami → (\S+);/.exec(l)?.[1])).size).toBe(3);
  for (const line of callers) expect(line).toMatch(/reached 1 listener\(s\)$/);
  const heard = lines.filter((l) => /^listener heard "hello \d"/.test(l));
  expect(heard.map((l) => /"(hello \d)"/.exec(l)?.[1]).sort()).toEqual(['hello 1', 'hello 2', 'hello 3']);
  expect(new Set(heard.map((l) => / from (\S+)$/.exec(l)?.[1])).size).toBe(3);

  const result = lines.find((l) => l.startsWith('task result:'));
  const [, ranOn, followed] = /^task result: rendered 'intro' on (\S+); followed through (.+)$/.exec(result ?? '') ?? [];
  expect(ranOn).toMatch(/^node-[abc]$/);
  // The task's statuses were read through nodes other than the one running it.
  expect(followed!.split(', ').filter((node) => node !== ranOn).length).toBeGreaterThan(0);
  expect(lines.some((l) => / completed$/.test(l))).toBe(true);

  // A legacy session's requests went to three nodes; the announcement reached it and the listen stream.
  const legacy = /^legacy session: requests served by (\S+), (\S+), (\S+); heard "hello legacy" \(reached (\d+) listener\(s\)\)$/.exec(lines.find((l) => l.startsWith('legacy session:')) ?? '');
  expect(legacy).not.toBeNull();
  expect(new Set(legacy!.slice(1, 4)).size).toBe(3);
  expect(legacy![4]).toBe('2');
});
